#!/usr/bin/env bash
# demo/run.sh: generate synthetic usage data with planted campaigns, load it,
# run the detection (sybil.detect) and report what it found against the
# planted labels, after the prompt-topic report.
#
#   pg_virtualenv -v 15 demo/run.sh
#
# Needs pg_sybil installed (make install) and libpq variables (PGHOST,
# PGPORT, PGUSER, PGDATABASE...) pointing at a throwaway cluster: it drops
# and recreates the tables accounts, interactions and account_kinds in the
# current database's public schema.
#
# Environment: DEMO_SEED (42), DEMO_ACCOUNTS (100000), DEMO_INTERACTIONS
# (3000000), DEMO_VARIANT (main; holdout: data the detection was not tuned
# on), DEMO_REPORT (1; 0 loads the data without running the reports), CC (cc).
# The reference size of the brief: DEMO_ACCOUNTS=1000000
# DEMO_INTERACTIONS=30000000.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
seed="${DEMO_SEED:-42}"
accounts="${DEMO_ACCOUNTS:-100000}"
interactions="${DEMO_INTERACTIONS:-3000000}"
variant="${DEMO_VARIANT:-main}"
report="${DEMO_REPORT:-1}"

tmp="$(mktemp -d "${TMPDIR:-/tmp}/pg_sybil_demo.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

psql_q() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }
rate() { awk -v n="$1" -v a="$2" -v b="$(now)" 'BEGIN { d = b - a; printf "%.0f", (d > 0 ? n / d : 0) }'; }

echo "== pg_sybil demo: seed $seed, $accounts accounts, $interactions interactions, variant $variant"

t=$(now)
"${CC:-cc}" -O2 -std=c99 -Wall -Wextra -Werror -o "$tmp/generate_usage" "$here/generate_usage.c" -lm
gen=("$tmp/generate_usage" --seed "$seed" --accounts "$accounts" --interactions "$interactions" --variant "$variant")
echo "compiled generator              $(elapsed "$t") s"

if [ "$(psql -X -At -c "SELECT count(*) FROM pg_available_extensions WHERE name = 'pg_sybil'")" != 1 ]; then
    echo "run.sh: pg_sybil is not installed in this PostgreSQL (run make install first)" >&2
    exit 1
fi

psql_q <<'SQL'
SET client_min_messages = warning;
DROP TABLE IF EXISTS public.interactions, public.accounts, public.account_kinds;
CREATE EXTENSION IF NOT EXISTS pg_sybil;
CREATE TABLE public.accounts (
    account_id          bigint      NOT NULL,
    created_at          timestamptz NOT NULL,
    email_domain        text        NOT NULL,
    payment_fingerprint text,                 -- NULL = free account
    signup_ip           inet        NOT NULL,
    country             text        NOT NULL,
    campaign            text        -- ground truth for evaluation only; NULL = benign
);
CREATE TABLE public.interactions (
    account_id bigint      NOT NULL,
    ts         timestamptz NOT NULL,
    ip         inet        NOT NULL,
    device     text        NOT NULL,
    user_agent text        NOT NULL,
    topic      text        NOT NULL,
    prompt     text        NOT NULL,
    tokens_out int         NOT NULL,      -- output tokens of the answer
    model      text        NOT NULL       -- model version that served the request
);
CREATE TABLE public.account_kinds (   -- ground truth for evaluation only
    account_id bigint NOT NULL,
    kind       text   NOT NULL,
    grp        text
);
COMMENT ON COLUMN public.accounts.campaign IS
    'planted campaign label from demo/generate_usage.c: ground truth for evaluation, not a detection input';
COMMENT ON TABLE public.account_kinds IS
    'benign sub-population of each account from demo/generate_usage.c: ground truth for evaluation';
SQL

t=$(now)
"${gen[@]}" --table accounts |
    psql_q -c "COPY public.accounts (account_id, created_at, email_domain, payment_fingerprint,
                                     signup_ip, country, campaign) FROM STDIN"
"${gen[@]}" --table kinds | psql_q -c "COPY public.account_kinds (account_id, kind, grp) FROM STDIN"
echo "loaded accounts                 $(elapsed "$t") s"

t=$(now)
"${gen[@]}" --table interactions --stats 2>"$tmp/stats" |
    psql_q -c "COPY public.interactions (account_id, ts, ip, device, user_agent, topic, prompt,
                                         tokens_out, model) FROM STDIN"
echo "generated + loaded interactions $(elapsed "$t") s ($(rate "$interactions" "$t") rows/s)"
sed 's/^/    /' "$tmp/stats"

t=$(now)
psql_q <<'SQL'
SET maintenance_work_mem = '512MB';
ALTER TABLE public.accounts ADD PRIMARY KEY (account_id);
ALTER TABLE public.account_kinds ADD PRIMARY KEY (account_id);
CREATE INDEX interactions_account_ts ON public.interactions (account_id, ts);
-- the log is written in time order, so a BRIN index on ts is tiny and useful
CREATE INDEX interactions_ts_brin ON public.interactions USING brin (ts);
SQL
echo "indexed                         $(elapsed "$t") s"

t=$(now)
psql_q -c "VACUUM (ANALYZE) public.accounts, public.account_kinds, public.interactions"
echo "vacuum analyze                  $(elapsed "$t") s"
psql -X -At -c "SELECT 'table sizes: interactions ' || pg_size_pretty(pg_total_relation_size('public.interactions'))
                || ', accounts ' || pg_size_pretty(pg_total_relation_size('public.accounts'))"

if [ "$report" != 0 ]; then
    t=$(now)
    psql -X -v ON_ERROR_STOP=1 -f "$here/report.sql"
    echo
    echo "topic report                    $(elapsed "$t") s"
    t=$(now)
    psql -X -v ON_ERROR_STOP=1 -f "$here/detect.sql"
    echo
    echo "detection and its report        $(elapsed "$t") s"
fi
