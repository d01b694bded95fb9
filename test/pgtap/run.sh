#!/usr/bin/env bash
# Run the pgTAP tests of pg_sybil against fresh random reference data.
#
#   pg_virtualenv -v 15 test/pgtap/run.sh
#
# Assumes the libpq variables (PGHOST, PGPORT, PGUSER, ...) point at a running
# throwaway PostgreSQL 15 cluster where pg_sybil and pgtap are installed, and
# that the role may create databases (and, for 60_binary_io, write server
# files: superuser, as in pg_virtualenv).
#
# Each run draws a new seed, prints it first, and generates the fixtures from
# it into test/pgtap/generated/: distributions with scipy
# (test/reference/distributions.py) and connected components with networkx
# (test/reference/components_reference.py), both run by Debian's
# /usr/bin/python3 with python3-numpy, python3-scipy and python3-networkx.
# To reproduce a failure, run again with the seed it printed:
#
#   SYBIL_TEST_SEED=123456789 pg_virtualenv -v 15 test/pgtap/run.sh
#
# Other settings: SYBIL_TEST_JOBS (test files run at once, default 2),
# SYBIL_PG_PROVE_FLAGS (default --verbose: the diagnostics name the worst
# relative error of every cross-check), PYTHON (default /usr/bin/python3).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
python="${PYTHON:-/usr/bin/python3}"
seed="${SYBIL_TEST_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}"
jobs="${SYBIL_TEST_JOBS:-2}"
read -r -a prove_flags <<< "${SYBIL_PG_PROVE_FLAGS:---verbose}"

echo "pgTAP seed: $seed  (reproduce with SYBIL_TEST_SEED=$seed)"

if ! "$python" -c 'import numpy, scipy, networkx' 2>/dev/null; then
	echo "$python lacks numpy, scipy or networkx" \
	     "(Debian: apt-get install python3-numpy python3-scipy python3-networkx)" >&2
	exit 2
fi

generated="$here/generated"
rm -rf "$generated"
# Every generator takes --seed and --out and writes its fixtures there; each
# takes seconds, so one that runs for ten minutes is stuck on its seed.
for generator in "$root"/test/reference/*.py; do
	if ! timeout 600 "$python" "$generator" --seed "$seed" --out "$generated"; then
		echo "$generator failed or ran out of time with seed $seed" >&2
		exit 1
	fi
done

db="sybil_pgtap_$$"
cleanup() {
	dropdb --if-exists "$db" >/dev/null 2>&1 || true
}
trap cleanup EXIT

# UTF8 (the fixtures' labels) with the C collation (byte order, as the type).
createdb -T template0 -E UTF8 --locale=C "$db"
# Install the extensions once here, so that test files running at the same
# time do not wait on each other's CREATE EXTENSION.
psql -X -q -v ON_ERROR_STOP=1 -d "$db" \
	-c 'CREATE EXTENSION pgtap' -c 'CREATE EXTENSION pg_sybil'

status=0
pg_prove -d "$db" -j "$jobs" "${prove_flags[@]}" "$here"/*.sql || status=$?
echo "pgTAP seed: $seed"
exit "$status"
