#!/usr/bin/env bash
# Install, with apt-get, the Debian packages a make target needs and lacks.
# Usage: tools/ensure-deps.sh test|demo|bench
set -euo pipefail

build="make gcc postgresql-common postgresql-15 postgresql-server-dev-15"
case "${1:-}" in
	test) wanted="$build postgresql-15-pgtap postgresql-15-cron libtap-parser-sourcehandler-pgtap-perl perl
	              python3 python3-numpy python3-scipy python3-networkx clang libclang-rt-14-dev" ;;
	demo) wanted="$build" ;;
	bench) wanted="$build python3 python3-numpy python3-scipy postgresql-15-pgrouting python3-networkx python3-igraph" ;;
	*) echo "usage: $0 test|demo|bench" >&2; exit 2 ;;
esac

missing=()
for pkg in $wanted; do
	dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" ||
		missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing missing packages: ${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
