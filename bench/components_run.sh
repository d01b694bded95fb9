#!/usr/bin/env bash
# bench/components_run.sh: the connected-components benchmark (see
# bench/README.md, "Connected components").
#
# Meant to run inside a throw-away cluster, after `make install`:
#
#   pg_virtualenv -t -v 15 -o 'max_parallel_workers_per_gather=2' bench/components_run.sh
#
# It also runs against any database libpq points at; tables are kept and
# reused when their generator arguments match.
#
#   1. compiles bench/gen_edges.c and bench/union_find_floor.c;
#   2. builds the edge tables with gen_edges piped into COPY ... FREEZE,
#      unless a table from the same generator arguments with the right row
#      count exists; VACUUM ANALYZE:
#        edges        BENCH_EDGES edges over BENCH_NODES nodes (the main one)
#        edges_mem    the same graph model with BENCH_MEM_NODES nodes, for
#                     the memory target
#        edges_<size> one per BENCH_SQL_SIZES, for the SQL scaling series
#      and the view edges_pgr (id, source, target, cost, reverse_cost) over
#      edges for pgRouting;
#   3. exports edges as COPY binary for the C union-find floor;
#   4. runs bench/components_bench.py: every method, in BENCH_RUNS rounds,
#      and prints medians, paired ratios, peak memory and the targets.
#
# Environment: BENCH_EDGES (10000000), BENCH_NODES (5000000), BENCH_SEED
# (20240601), BENCH_RUNS (3), BENCH_SLOW_RUNS (1: rounds that also run the
# slowest methods, networkx and the SQL labelling), BENCH_ONLY
# (comma-separated method names, see components_bench.py --help),
# BENCH_SQL_SIZES ("10000 100000 1000000"), BENCH_SQL_TIMEOUT (300, seconds),
# BENCH_MEM_NODES (3000000), BENCH_OUT (result file; default
# bench/results/components-<date>.txt, "-" for stdout only).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
edges=${BENCH_EDGES:-10000000}
nodes=${BENCH_NODES:-5000000}
seed=${BENCH_SEED:-20240601}
sql_sizes=${BENCH_SQL_SIZES:-10000 100000 1000000}
mem_nodes=${BENCH_MEM_NODES:-3000000}
out=${BENCH_OUT:-$here/results/components-$(date +%Y-%m-%d).txt}
# Debian's python3, which has numpy, scipy and networkx (tools/ensure-deps.sh
# bench), not a python3 that another tool may put first on PATH.
python=${BENCH_PYTHON:-/usr/bin/python3}

psql_q() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }
export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"

work=$(mktemp -d -t pg_sybil_cc.XXXXXX)
trap 'rm -rf "$work"' EXIT
${CC:-cc} -O2 -std=gnu99 -o "$work/gen_edges" "$here/gen_edges.c" -lm
${CC:-cc} -O2 -std=gnu99 -o "$work/union_find_floor" "$here/union_find_floor.c"

psql_q -c 'CREATE EXTENSION IF NOT EXISTS pg_sybil'
if ! psql_q -c 'CREATE EXTENSION IF NOT EXISTS pgrouting CASCADE' 2>"$work/pgr.err"; then
	echo "pgRouting is not available, its method will be skipped: $(cat "$work/pgr.err")" >&2
fi

# Nodes for an edge count, at the main table's nodes-per-edge ratio.
scaled_nodes() { echo $(( $1 * nodes / edges )); }
# 10000 -> 10k, 1000000 -> 1m
size_name() {
	local n=$1
	if (( n % 1000000 == 0 )); then echo "$(( n / 1000000 ))m"
	elif (( n % 1000 == 0 )); then echo "$(( n / 1000 ))k"
	else echo "$n"; fi
}

# load_table NAME EDGES NODES: the generator's arguments are recorded as the
# table's comment, so a table left by another data set or a half-finished
# load is rebuilt.
load_table() {
	local name=$1 n=$2 m=$3 stamp have count=0 start
	stamp="gen_edges edges=$n nodes=$m seed=$seed"
	have=$(psql_q -At -c "SELECT obj_description(to_regclass('public.$name'), 'pg_class')")
	if [ "$have" = "$stamp" ]; then
		count=$(psql_q -At -c "SELECT count(*) FROM $name")
	fi
	if [ "$have" = "$stamp" ] && [ "$count" = "$n" ]; then
		echo "Reusing $name ($stamp)."
		return
	fi
	echo "Building $name: $n edges, $m nodes, seed $seed ..."
	start=$(date +%s)
	# COPY FREEZE into a table created in the same transaction writes frozen,
	# all-visible pages: no hint-bit writes on the first scans.
	psql_q <<-SQL
		BEGIN;
		DROP TABLE IF EXISTS $name CASCADE;
		CREATE TABLE $name (id bigint NOT NULL, a bigint NOT NULL, b bigint NOT NULL);
		\copy $name FROM PROGRAM '$work/gen_edges $n $m $seed' WITH (FREEZE)
		COMMENT ON TABLE $name IS '$stamp';
		COMMIT;
	SQL
	psql_q -c "VACUUM (ANALYZE) $name"
	echo "  loaded in $(( $(date +%s) - start )) s"
}

args=(--runs "${BENCH_RUNS:-3}" --slow-runs "${BENCH_SLOW_RUNS:-1}"
      --sql-timeout "${BENCH_SQL_TIMEOUT:-300}" --seed "$seed"
      --gen "$work/gen_edges" --floor "$work/union_find_floor" --work "$work")
[ -n "${BENCH_ONLY:-}" ] && args+=(--only "$BENCH_ONLY")

load_table edges "$edges" "$nodes"
args+=(--table "main:edges:$edges:$nodes")
mem_edges=$(( mem_nodes * edges / nodes ))
if [ "$mem_nodes" -gt 0 ]; then
	load_table edges_mem "$mem_edges" "$mem_nodes"
	args+=(--table "mem:edges_mem:$mem_edges:$mem_nodes")
fi
for n in $sql_sizes; do
	load_table "edges_$(size_name "$n")" "$n" "$(scaled_nodes "$n")"
	args+=(--table "scale:edges_$(size_name "$n"):$n:$(scaled_nodes "$n")")
done
# pgRouting reads (id, source, target, cost[, reverse_cost]); a view keeps
# the table itself lean for everyone else.
psql_q <<-SQL
	CREATE OR REPLACE VIEW edges_pgr AS
	    SELECT id, a AS source, b AS target, 1::float8 AS cost, 1::float8 AS reverse_cost
	    FROM edges;
SQL

# The floor's input: the same edges, as COPY binary (not timed).
psql_q -c "\\copy (SELECT a, b FROM edges) TO '$work/edges.bin' WITH (FORMAT binary)"

if [ "$out" = "-" ]; then
	"$python" "$here/components_bench.py" "${args[@]}"
else
	mkdir -p "$(dirname "$out")"
	"$python" "$here/components_bench.py" "${args[@]}" --save "$out"
	echo "Saved to $out"
fi
