#!/usr/bin/env bash
# Detection runs as unattended jobs: a cancelled run, a run whose backend is
# killed (the server restarts), and a run that fails leave no trace; two runs
# at once each write a whole run of their own; and a pg_cron job runs
# sybil.detect on schedule.
#
# Runs against the cluster that libpq's environment names.  The cluster must
# load pg_cron (shared_preload_libraries = pg_cron, cron.use_background_workers
# = on; make test starts it so) and let this user kill its backends (the
# test runs as the cluster's owner or root, as under pg_virtualenv).
set -euo pipefail

db=sybil_jobs
work=$(mktemp -d)
trap 'rm -rf "$work"; dropdb --if-exists $db 2>/dev/null' EXIT
dropdb --if-exists $db 2>/dev/null
createdb $db
q() { psql -X -q -At -v ON_ERROR_STOP=1 -d $db "$@"; }
q -c 'CREATE EXTENSION pg_sybil'

# 20,000 ordinary accounts and a campaign of 60 (accounts 900001..900060),
# built as in sql/detect.sql: enough rows for a run of several seconds.
q <<'SQL'
CREATE FUNCTION pick(bigint, int) RETURNS int
    LANGUAGE sql IMMUTABLE AS $$ SELECT (abs(hashint8($1)::bigint) % $2)::int $$;
CREATE TABLE usage_log (account_id bigint, ts timestamptz, ip inet, device text, topic text, prompt text,
                        tokens_out int);
INSERT INTO usage_log
SELECT a, '2025-03-01'::timestamptz + pick(a * 1000 + i, 14) * interval '1 day'
          + (8 + pick(a * 7000 + i, 12)) * interval '1 hour' + pick(a * 9000 + i, 3600) * interval '1 second',
       ('10.' || a % 200 || '.' || pick(a, 250) || '.' || pick(a * 3 + i % 2, 250))::inet, 'dev-' || a,
       'topic' || (CASE WHEN pick(a * 31 + i, 3) = 0 THEN pick(a * 17 + i, 40) ELSE pick(a, 40) END),
       'how ' || pick(a * 11 + i, 500) || ' thing ' || i, 100 + pick(a * 19 + i, 400)
FROM generate_series(1, 20000) a, generate_series(1, 1 + pick(a, 60)) i;
INSERT INTO usage_log
SELECT a, '2025-03-01'::timestamptz + i * interval '20 minutes' + pick(a * 100 + i, 60) * interval '1 second',
       ('203.0.113.' || (1 + pick(a * 41 + i / 3, 40)))::inet, 'headless-' || pick(a, 4),
       'cap' || ((a - 900001) * 2 % 20 + pick(a * 3 + i, 2)),
       'Solve this step by step and show all work: task ' || a || '-' || i, 2500 + pick(a * 23 + i, 1000)
FROM generate_series(900001, 900060) a, generate_series(1, 900) i;
ANALYZE usage_log;
SQL
detect="SELECT sybil.detect('public.usage_log', '2025-03-01', '2025-03-15')"
nothing_left="SELECT (SELECT count(*) FROM sybil.runs) + (SELECT count(*) FROM sybil.clusters)
                     + (SELECT count(*) FROM sybil.rollup_state) + (SELECT count(*) FROM sybil.account_days)"

status=0
check() {  # check NAME CONDITION-STATUS DETAIL
	if [ "$2" = 0 ]; then echo "ok - $1"; else echo "not ok - $1: $3"; status=1; fi
}
backend_of() {
	q -c "SELECT pid FROM pg_stat_activity WHERE application_name = '$1' AND state = 'active'"
}

# Cancelled while rolling up.
PGAPPNAME=detect_cancel psql -X -q -d $db -c "$detect" >"$work/cancel.out" 2>&1 &
job=$!
sleep 2
start=$(date +%s.%N)
q -c "SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE application_name = 'detect_cancel'" >/dev/null
wait $job || true
took=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.3f", b - a }')
grep -q 'canceling statement due to user request' "$work/cancel.out"
check "a cancelled run stops (${took}s) and leaves nothing" \
	"$([ "$(q -c "$nothing_left")" = 0 ] && awk -v t="$took" 'BEGIN { exit !(t < 1) }'; echo $?)" \
	"$(cat "$work/cancel.out"); left: $(q -c "$nothing_left")"

# Killed: the server goes through crash recovery, the run is gone.
PGAPPNAME=detect_kill psql -X -q -d $db -c "$detect" >"$work/kill.out" 2>&1 &
job=$!
sleep 2
pid=$(backend_of detect_kill)
kill -KILL "$pid"
wait $job || true
for _ in $(seq 60); do pg_isready -q && q -c 'SELECT 1' >/dev/null 2>&1 && break; sleep 1; done
check "a run whose backend is killed leaves nothing after recovery" \
	"$([ "$(q -c "$nothing_left")" = 0 ]; echo $?)" "left: $(q -c "$nothing_left")"

# Two runs at once (the roll-up done first, as a nightly job would find it).
q -c "SELECT sybil.rollup('public.usage_log', '2025-03-15')" >/dev/null
psql -X -q -At -d $db -c "$detect" >"$work/run1.out" 2>&1 &
one=$!
psql -X -q -At -d $db -c "$detect" >"$work/run2.out" 2>&1 &
two=$!
wait $one && wait $two
flagged=$(q -c "SELECT string_agg(format('%s:%s-%s', n, lo, hi), ' ' ORDER BY run_id) FROM (
                    SELECT run_id, count(*) AS n, min(account_id) AS lo, max(account_id) AS hi
                    FROM sybil.cluster_members WHERE flagged GROUP BY run_id) r")
runs=$(q -c "SELECT count(*) FROM sybil.runs WHERE accounts_flagged = 60")
check "two runs at once write two whole runs" \
	"$([ "$runs" = 2 ] && [ "$flagged" = "60:900001-900060 60:900001-900060" ]; echo $?)" \
	"runs: $runs, flagged: $flagged; $(cat "$work/run1.out" "$work/run2.out")"

# pg_cron: a job scheduled every minute in this database runs the detection.
cron_db=$(psql -X -At -d postgres -c "SHOW cron.database_name")
psql -X -q -d "$cron_db" -c 'CREATE EXTENSION IF NOT EXISTS pg_cron'
job_id=$(psql -X -At -d "$cron_db" -c "SELECT cron.schedule_in_database('sybil-test', '* * * * *',
              \$\$SELECT sybil.detect('public.usage_log', '2025-03-01', '2025-03-15')\$\$, '$db')")
before=$(q -c "SELECT count(*) FROM sybil.runs")
result=none
for _ in $(seq 150); do
	result=$(psql -X -At -d "$cron_db" -c "SELECT status || ' ' || coalesce(return_message, '')
	             FROM cron.job_run_details WHERE jobid = $job_id AND status IN ('succeeded', 'failed')
	             ORDER BY runid DESC LIMIT 1")
	[ -n "$result" ] && break
	sleep 1
done
psql -X -q -At -d "$cron_db" -c "SELECT cron.unschedule($job_id)" >/dev/null
after=$(q -c "SELECT count(*) FROM sybil.runs WHERE accounts_flagged = 60")
check "pg_cron runs sybil.detect on schedule ($result)" \
	"$([ "${result%% *}" = succeeded ] && [ "$after" = $((before + 1)) ]; echo $?)" \
	"job result: $result; runs before $before, flagged runs after $after"
exit $status
