#!/usr/bin/env bash
# bench/detect_run.sh: sybil.detect at the brief's size, timed and scored.
#
#   make bench-detect        # deps, build, install, then the line below (~25 min)
#   pg_virtualenv -t -v 15 -o shared_buffers=2GB -o max_parallel_workers_per_gather=2 bench/detect_run.sh
#
# 1. Loads the demo generator's data (demo/run.sh, no reports): 1M accounts
#    and 30M interactions by default, seed 11, variant main.
# 2. First run: demo/detect.sql — sybil.detect over the whole window, which
#    rolls the 30M rows up first, then its quality against the planted labels.
# 3. Nightly run: sybil.detect again over the same window, the roll-ups in
#    place (what a scheduled run reads), with its stage times.
# 4. The rule a team writes without pg_sybil: flag every account that shares
#    a device, a card or a sign-up IP with 2 to 50 other accounts (more is a
#    hub: a NAT, a campus), timed and scored the same way.
# Prints everything and saves it to bench/results/detect-<date>.txt.
#
# Environment: BENCH_ACCOUNTS (1000000), BENCH_INTERACTIONS (30000000),
# BENCH_SEED (11), BENCH_VARIANT (main), BENCH_OUT (the results file; - for
# stdout only).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
accounts="${BENCH_ACCOUNTS:-1000000}"
interactions="${BENCH_INTERACTIONS:-30000000}"
seed="${BENCH_SEED:-11}"
variant="${BENCH_VARIANT:-main}"
out="${BENCH_OUT:-$here/results/detect-$(date +%Y-%m-%d).txt}"

if [ "$out" != - ]; then
	exec > >(tee "$out") 2>&1
fi

psql_q() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

echo "== bench/detect_run.sh $(date -u '+%Y-%m-%d %H:%M UTC'): $accounts accounts, $interactions interactions, seed $seed, variant $variant"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo); load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "git $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?'); pg_sybil.so sha256 $(sha256sum "$(pg_config --pkglibdir)/pg_sybil.so" | cut -c1-12)"
psql -X -At -c "SELECT 'server: ' || version()" \
	-c "SELECT 'settings: ' || string_agg(name || '=' || current_setting(name), ', ' ORDER BY name)
	    FROM pg_settings WHERE name IN ('shared_buffers', 'work_mem', 'maintenance_work_mem',
	        'max_parallel_workers_per_gather', 'max_wal_size', 'jit')"

echo
echo "== 1. Load (demo/run.sh)"
t=$(now)
DEMO_SEED="$seed" DEMO_ACCOUNTS="$accounts" DEMO_INTERACTIONS="$interactions" DEMO_VARIANT="$variant" \
	DEMO_REPORT=0 "$root/demo/run.sh"
echo "load total                      $(elapsed "$t") s"

echo
echo "== 2. First run: roll-up of every row, then detection (demo/detect.sql)"
t=$(now)
psql -X -v ON_ERROR_STOP=1 -f "$root/demo/detect.sql"
echo "first run with its report       $(elapsed "$t") s"

echo
echo "== 3. Nightly run: the same window, roll-ups in place"
psql_q <<'SQL'
\pset footer off
SELECT min(ts) AS window_start, max(ts) + interval '1 microsecond' AS window_end FROM public.interactions \gset
SELECT sybil.detect('public.interactions', :'window_start', :'window_end', 'public.account_signup') AS run \gset
SELECT run_id, accounts_flagged, round(extract(epoch FROM finished_at - started_at)::numeric, 1) AS seconds,
       stage_seconds
FROM sybil.runs WHERE run_id = :run;
SELECT r1.run_id AS first_run, r2.run_id AS nightly_run,
       (SELECT count(*) FROM sybil.cluster_members a JOIN sybil.cluster_members b USING (account_id)
        WHERE a.run_id = r1.run_id AND b.run_id = r2.run_id AND a.flagged AND b.flagged) AS flagged_in_both,
       r1.accounts_flagged AS flagged_first, r2.accounts_flagged AS flagged_nightly
FROM sybil.runs r1, sybil.runs r2 WHERE r2.run_id = :run AND r1.run_id = (SELECT max(run_id) FROM sybil.runs WHERE run_id < :run);
SQL

echo
echo "== 4. The rule without pg_sybil: a device, card or sign-up IP shared with 2..50 others"
psql_q <<'SQL'
\pset footer off
SELECT clock_timestamp() AS t0 \gset
CREATE TEMP TABLE rule_flagged AS
WITH attrs AS (
    SELECT DISTINCT account_id, 'device:' || device AS attr FROM public.interactions
    UNION SELECT account_id, 'card:' || payment_fingerprint FROM public.accounts WHERE payment_fingerprint IS NOT NULL
    UNION SELECT account_id, 'signup:' || host(signup_ip) FROM public.accounts
), shared AS (
    SELECT attr FROM attrs GROUP BY attr HAVING count(*) BETWEEN 3 AND 51
)
SELECT DISTINCT a.account_id FROM attrs a JOIN shared s USING (attr);
SELECT round(extract(epoch FROM clock_timestamp() - :'t0'::timestamptz)::numeric, 1) AS rule_seconds,
       (SELECT round(extract(epoch FROM finished_at - started_at)::numeric, 1) FROM sybil.runs
        ORDER BY run_id DESC LIMIT 1) AS nightly_detect_seconds;
ANALYZE rule_flagged;
WITH active AS (SELECT DISTINCT account_id FROM public.interactions),
ours AS (SELECT account_id FROM sybil.cluster_members
         WHERE run_id = (SELECT max(run_id) FROM sybil.runs) AND flagged),
scored AS (
    SELECT c.campaign IS NOT NULL AS positive, r.account_id IS NOT NULL AS rule, o.account_id IS NOT NULL AS ours
    FROM active a JOIN public.accounts c USING (account_id)
    LEFT JOIN rule_flagged r USING (account_id)
    LEFT JOIN ours o USING (account_id)
)
SELECT method,
       count(*) FILTER (WHERE flagged) AS flagged,
       round(count(*) FILTER (WHERE flagged AND positive)::numeric / nullif(count(*) FILTER (WHERE flagged), 0), 4) AS precision,
       round(count(*) FILTER (WHERE flagged AND positive)::numeric / nullif(count(*) FILTER (WHERE positive), 0), 4) AS recall
FROM scored CROSS JOIN LATERAL (VALUES ('rule', rule), ('sybil.detect', ours)) v(method, flagged)
GROUP BY method ORDER BY method;
SQL
