#!/usr/bin/env bash
# bench/minhash_run.sh: the MinHash / similar-pairs benchmark (see
# bench/README.md, "MinHash and similar pairs").
#
# Meant to run inside a throw-away cluster, after `make install`:
#
#   pg_virtualenv -t -v 15 -o 'max_parallel_workers_per_gather=2' bench/minhash_run.sh
#
# It also runs against any database libpq points at; tables are kept and
# reused when their generator arguments match.
#
#   1. compiles bench/gen_ip_rows.c;
#   2. builds the access-log tables (account_id bigint, ip inet) with
#      gen_ip_rows piped into COPY ... FREEZE, unless a table from the same
#      generator arguments with the right row count exists; VACUUM ANALYZE:
#        ip_rows         BENCH_ROWS rows over BENCH_ACCOUNTS accounts (the
#                        main one: signatures over 30M rows, pairs at 1M)
#        ip_rows_<size>  one per BENCH_PAIR_SIZES accounts, at the main
#                        table's rows per account (similar pairs against the
#                        self-join; the largest carries the targets)
#   3. runs bench/minhash_bench.py: builds the signature tables and the exact
#      answer sets (untimed), times every method in BENCH_RUNS rounds, and
#      prints medians, paired ratios, CPU, peak memory, precision / recall
#      and the targets.
#
# Environment: BENCH_ROWS (30000000), BENCH_ACCOUNTS (1000000), BENCH_SEED
# (20240601), BENCH_PAIR_SIZES ("30000 100000"), BENCH_THRESHOLDS
# ("0.5 0.8"), BENCH_RUNS (3), BENCH_SLOW_RUNS (1: rounds that also run the
# self-join at BENCH_ACCOUNTS), BENCH_SQL_TIMEOUT (120: seconds the self-join
# at BENCH_ACCOUNTS may run; 0 skips it), BENCH_ONLY (comma-separated parts
# or methods, see minhash_bench.py --help), BENCH_OUT (result file; default
# bench/results/minhash-<date>.txt, "-" for stdout only).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
rows=${BENCH_ROWS:-30000000}
accounts=${BENCH_ACCOUNTS:-1000000}
seed=${BENCH_SEED:-20240601}
pair_sizes=${BENCH_PAIR_SIZES:-30000 100000}
out=${BENCH_OUT:-$here/results/minhash-$(date +%Y-%m-%d).txt}
python=${BENCH_PYTHON:-/usr/bin/python3}

psql_q() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }
export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"

work=$(mktemp -d -t pg_sybil_mh.XXXXXX)
trap 'rm -rf "$work"' EXIT
${CC:-cc} -O2 -std=gnu99 -o "$work/gen_ip_rows" "$here/gen_ip_rows.c" -lm

psql_q -c 'CREATE EXTENSION IF NOT EXISTS pg_sybil'

# Rows for an account count, at the main table's rows per account.
scaled_rows() { echo $(( $1 * rows / accounts )); }
# 10000 -> 10k, 1000000 -> 1m
size_name() {
	local n=$1
	if (( n % 1000000 == 0 )); then echo "$(( n / 1000000 ))m"
	elif (( n % 1000 == 0 )); then echo "$(( n / 1000 ))k"
	else echo "$n"; fi
}

# load_table NAME ROWS ACCOUNTS: the generator's arguments are recorded as
# the table's comment, so a table left by another data set or a
# half-finished load is rebuilt.
load_table() {
	local name=$1 n=$2 m=$3 stamp have count=0 start
	stamp="gen_ip_rows rows=$n accounts=$m seed=$seed"
	have=$(psql_q -At -c "SELECT obj_description(to_regclass('public.$name'), 'pg_class')")
	if [ "$have" = "$stamp" ]; then
		count=$(psql_q -At -c "SELECT count(*) FROM $name")
	fi
	if [ "$have" = "$stamp" ] && [ "$count" = "$n" ]; then
		echo "Reusing $name ($stamp)."
		return
	fi
	echo "Building $name: $n rows, $m accounts, seed $seed ..."
	start=$(date +%s)
	# COPY FREEZE into a table created in the same transaction writes frozen,
	# all-visible pages: no hint-bit writes on the first scans.
	psql_q <<-SQL
		BEGIN;
		DROP TABLE IF EXISTS $name CASCADE;
		CREATE TABLE $name (account_id bigint NOT NULL, ip inet NOT NULL);
		\copy $name FROM PROGRAM '$work/gen_ip_rows $n $m $seed' WITH (FREEZE)
		COMMENT ON TABLE $name IS '$stamp';
		COMMIT;
	SQL
	psql_q -c "VACUUM (ANALYZE) $name"
	echo "  loaded in $(( $(date +%s) - start )) s"
}

args=(--runs "${BENCH_RUNS:-3}" --slow-runs "${BENCH_SLOW_RUNS:-1}"
      --sql-timeout "${BENCH_SQL_TIMEOUT:-120}" --seed "$seed"
      --thresholds "${BENCH_THRESHOLDS:-0.5 0.8}" --gen "$work/gen_ip_rows")
[ -n "${BENCH_ONLY:-}" ] && args+=(--only "$BENCH_ONLY")

for n in $pair_sizes; do
	load_table "ip_rows_$(size_name "$n")" "$(scaled_rows "$n")" "$n"
	args+=(--table "pairs:ip_rows_$(size_name "$n"):$(scaled_rows "$n"):$n")
done
load_table ip_rows "$rows" "$accounts"
args+=(--table "main:ip_rows:$rows:$accounts")

if [ "$out" = "-" ]; then
	"$python" "$here/minhash_bench.py" "${args[@]}"
else
	mkdir -p "$(dirname "$out")"
	"$python" "$here/minhash_bench.py" "${args[@]}" --save "$out"
	echo "Saved to $out"
fi
