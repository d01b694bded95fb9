#!/usr/bin/env bash
# bench/run.sh: the topic-entropy benchmark (see bench/README.md).
#
# Run by `make bench` inside pg_virtualenv, so the libpq variables (PGHOST,
# PGPORT, PGUSER, PGDATABASE, ...) point at a throw-away cluster that has
# pg_sybil installed.  It also runs against any database you point libpq at:
# the data set is kept and reused when it is already there.
#
#   1. builds the table interactions(account_id bigint, topic text) with
#      bench/gen_interactions.c piped into COPY ... FREEZE, unless a table
#      from the same generator arguments with the right row count exists;
#      VACUUM ANALYZE;
#   2. builds the per-account, per-day roll-up tables of benchmark e;
#   3. runs bench/bench.py: every query, serial and with two parallel
#      workers, in BENCH_RUNS rounds, and prints medians and paired ratios.
#
# Environment: BENCH_ROWS (30000000), BENCH_ACCOUNTS (1000000), BENCH_SEED
# (20240601), BENCH_RUNS (3), BENCH_ONLY (comma-separated query names, e.g.
# "ours,floor"), BENCH_OUT (result file; default
# bench/results/topic_entropy-<date>.txt, "-" for stdout only).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
rows=${BENCH_ROWS:-30000000}
accounts=${BENCH_ACCOUNTS:-1000000}
seed=${BENCH_SEED:-20240601}
days=42
out=${BENCH_OUT:-$here/results/topic_entropy-$(date +%Y-%m-%d).txt}

psql_q() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }
export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"

work=$(mktemp -d -t pg_sybil_bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
${CC:-cc} -O2 -std=gnu99 -o "$work/gen_interactions" "$here/gen_interactions.c" -lm

psql_q -c 'CREATE EXTENSION IF NOT EXISTS pg_sybil'

# The generator's arguments are recorded as the table's comment, so a table
# left by another data set or a half-finished load is rebuilt.
stamp="gen_interactions rows=$rows accounts=$accounts seed=$seed"
have=$(psql_q -At -c "SELECT obj_description(to_regclass('public.interactions'), 'pg_class')")
count=0
if [ "$have" = "$stamp" ]; then
	count=$(psql_q -At -c 'SELECT count(*) FROM interactions')
fi
if [ "$have" = "$stamp" ] && [ "$count" = "$rows" ]; then
	echo "Reusing interactions ($rows rows, $stamp)."
else
	echo "Building interactions: $rows rows, $accounts accounts, seed $seed ..."
	start=$(date +%s)
	# COPY FREEZE into a table created in the same transaction writes frozen,
	# all-visible pages: no hint-bit writes on the first scans, and VACUUM
	# has nothing to do but set the visibility map.
	psql_q <<-SQL
		BEGIN;
		DROP TABLE IF EXISTS interactions CASCADE;
		CREATE TABLE interactions (account_id bigint NOT NULL, topic text NOT NULL);
		\copy interactions FROM PROGRAM '$work/gen_interactions $rows $accounts $seed' WITH (FREEZE)
		COMMENT ON TABLE interactions IS '$stamp';
		COMMIT;
	SQL
	psql_q -c 'VACUUM (ANALYZE) interactions'
	echo "  loaded in $(( $(date +%s) - start )) s"
fi

# Benchmark e: per-account, per-day histograms, and the same counts as plain
# rows for the SQL alternative.  The log is in time order and COPY wrote it
# in that order, so the day of a row is its heap block's share of the table
# (six weeks, like the reported campaign).
dstamp="$stamp days=$days"
have=$(psql_q -At -c "SELECT obj_description(to_regclass('public.daily_topic_histograms'), 'pg_class')")
have2=$(psql_q -At -c "SELECT obj_description(to_regclass('public.daily_topic_counts'), 'pg_class')")
if [ "$have" = "$dstamp" ] && [ "$have2" = "$dstamp" ]; then
	echo "Reusing daily_topic_histograms and daily_topic_counts."
else
	echo "Building daily_topic_histograms and daily_topic_counts ($days days) ..."
	start=$(date +%s)
	psql_q <<-SQL
		SET work_mem = '256MB';
		BEGIN;
		DROP TABLE IF EXISTS daily_topic_histograms, daily_topic_counts;
		CREATE TEMP VIEW interactions_by_day AS
		    SELECT account_id, topic,
		           ((ctid::text::point)[0] * $days
		            / (SELECT greatest(relpages, 1) FROM pg_class
		               WHERE oid = 'interactions'::regclass))::int AS day
		    FROM interactions;
		CREATE TABLE daily_topic_counts AS
		    SELECT account_id, day, topic, count(*) AS n
		    FROM interactions_by_day GROUP BY account_id, day, topic;
		-- 15M groups: sorted grouping builds them in one pass, where hash
		-- aggregation would spill and re-read most of its input.
		SET LOCAL enable_hashagg = off;
		CREATE TABLE daily_topic_histograms AS
		    SELECT account_id, day, sybil.histogram_agg(topic, n) AS h
		    FROM daily_topic_counts GROUP BY account_id, day;
		COMMENT ON TABLE daily_topic_counts IS '$dstamp';
		COMMENT ON TABLE daily_topic_histograms IS '$dstamp';
		COMMIT;
		VACUUM (ANALYZE) daily_topic_counts, daily_topic_histograms;
	SQL
	echo "  built in $(( $(date +%s) - start )) s"
fi

args=(--runs "${BENCH_RUNS:-3}" --data "$stamp")
[ -n "${BENCH_ONLY:-}" ] && args+=(--only "$BENCH_ONLY")
if [ "$out" = "-" ]; then
	python3 "$here/bench.py" "${args[@]}"
else
	mkdir -p "$(dirname "$out")"
	python3 "$here/bench.py" "${args[@]}" --save "$out"
	echo "Saved to $out"
fi
