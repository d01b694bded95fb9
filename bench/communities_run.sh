#!/usr/bin/env bash
# bench/communities_run.sh: the communities benchmark (see bench/README.md,
# "Communities").
#
# Meant to run inside a throw-away cluster, after `make install`:
#
#   pg_virtualenv -t -v 15 -o 'max_parallel_workers_per_gather=2' bench/communities_run.sh
#
# It also runs against any database libpq points at; tables are kept and
# reused when their generator arguments match.
#
#   1. compiles bench/gen_community_edges.c;
#   2. builds the edge tables (a bigint, b bigint) with gen_community_edges
#      piped into COPY ... FREEZE, unless a table from the same generator
#      arguments with the right row count exists; VACUUM ANALYZE:
#        comm_edges         BENCH_EDGES edges over BENCH_NODES nodes (the
#                           main one)
#        comm_edges_<size>  one per BENCH_NX_SIZES edges, at the main
#                           table's nodes per edge, where networkx runs too
#   3. runs bench/communities_bench.py: ours, igraph and networkx in
#      BENCH_RUNS rounds (networkx in the first BENCH_SLOW_RUNS), then scores
#      every partition (untimed) and prints medians, paired ratios, CPU, peak
#      memory, modularity and the targets.
#
# Environment: BENCH_EDGES (10000000), BENCH_NODES (1000000), BENCH_SEED
# (20240601), BENCH_MU (0.2: the share of edges between planted blocks),
# BENCH_RUNS (3), BENCH_SLOW_RUNS (1), BENCH_NX_SIZES ("1000000 2000000"; "" for none),
# BENCH_NX_TIMEOUT (1200: seconds networkx may run on the main table; 0 does
# not run it there), BENCH_ONLY (comma-separated: ours,igraph,networkx),
# BENCH_OUT (result file; default bench/results/communities-<date>.txt, "-"
# for stdout only), BENCH_PYTHON (/usr/bin/python3).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
edges=${BENCH_EDGES:-10000000}
nodes=${BENCH_NODES:-1000000}
seed=${BENCH_SEED:-20240601}
mu=${BENCH_MU:-0.2}
nx_sizes=${BENCH_NX_SIZES-1000000 2000000}
out=${BENCH_OUT:-$here/results/communities-$(date +%Y-%m-%d).txt}
# Debian's python3, which has python3-igraph, networkx and numpy
# (tools/ensure-deps.sh bench), not a python3 that another tool may put first
# on PATH.
python=${BENCH_PYTHON:-/usr/bin/python3}

psql_q() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }
export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"

work=$(mktemp -d -t pg_sybil_cm.XXXXXX)
trap 'rm -rf "$work"' EXIT
${CC:-cc} -O2 -std=gnu99 -o "$work/gen_community_edges" "$here/gen_community_edges.c" -lm

psql_q -c 'CREATE EXTENSION IF NOT EXISTS pg_sybil'

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
	stamp="gen_community_edges edges=$n nodes=$m seed=$seed mu=$mu"
	have=$(psql_q -At -c "SELECT obj_description(to_regclass('public.$name'), 'pg_class')")
	if [ "$have" = "$stamp" ]; then
		count=$(psql_q -At -c "SELECT count(*) FROM $name")
	fi
	if [ "$have" = "$stamp" ] && [ "$count" = "$n" ]; then
		echo "Reusing $name ($stamp)."
		return
	fi
	echo "Building $name: $n edges, $m nodes, seed $seed, mu $mu ..."
	start=$(date +%s)
	# COPY FREEZE into a table created in the same transaction writes frozen,
	# all-visible pages: no hint-bit writes on the first scans.
	psql_q <<-SQL
		BEGIN;
		DROP TABLE IF EXISTS $name CASCADE;
		CREATE TABLE $name (a bigint NOT NULL, b bigint NOT NULL);
		\copy $name FROM PROGRAM '$work/gen_community_edges $n $m $seed $mu' WITH (FREEZE)
		COMMENT ON TABLE $name IS '$stamp';
		COMMIT;
	SQL
	psql_q -c "VACUUM (ANALYZE) $name"
	echo "  loaded in $(( $(date +%s) - start )) s"
}

args=(--runs "${BENCH_RUNS:-3}" --slow-runs "${BENCH_SLOW_RUNS:-1}"
      --nx-timeout "${BENCH_NX_TIMEOUT:-1200}" --seed "$seed" --mu "$mu"
      --gen "$work/gen_community_edges" --work "$work")
[ -n "${BENCH_ONLY:-}" ] && args+=(--only "$BENCH_ONLY")

load_table comm_edges "$edges" "$nodes"
args+=(--table "main:comm_edges:$edges:$nodes")
for n in $nx_sizes; do
	[ "$n" -eq "$edges" ] && continue
	load_table "comm_edges_$(size_name "$n")" "$n" "$(scaled_nodes "$n")"
	args+=(--table "scale:comm_edges_$(size_name "$n"):$n:$(scaled_nodes "$n")")
done

# communities_bench.py imports pgproc and components_bench from bench/.
if [ "$out" = "-" ]; then
	"$python" "$here/communities_bench.py" "${args[@]}"
else
	mkdir -p "$(dirname "$out")"
	"$python" "$here/communities_bench.py" "${args[@]}" --save "$out"
	echo "Saved to $out"
fi
