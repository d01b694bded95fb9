-- demo/detect.sql: the detection run over the demo data, and how it did.
--
--   psql -X -v ON_ERROR_STOP=1 -f demo/detect.sql
--
-- Needs the tables demo/run.sh loads.  sybil.detect reads public.interactions
-- and the view public.account_signup, which leaves out accounts.campaign:
-- the ground truth (accounts.campaign, account_kinds) is read only in the
-- evaluation at the end.

\set QUIET 1
\set ON_ERROR_STOP 1
\pset pager off
\pset footer off
\pset null '-'
SET client_min_messages = notice;

CREATE OR REPLACE VIEW public.account_signup AS
SELECT account_id, created_at, email_domain, payment_fingerprint, signup_ip, country FROM public.accounts;

SELECT min(ts) AS window_start, max(ts) + interval '1 microsecond' AS window_end FROM public.interactions \gset

\echo
\echo '==================================================================='
\echo ' pg_sybil demo: detection'
\echo '==================================================================='
SELECT sybil.detect('public.interactions', :'window_start', :'window_end', 'public.account_signup') AS run \gset

\echo
\echo '== The run ========================================================'
SELECT run_id, accounts_seen, clusters_found, accounts_flagged,
       round(extract(epoch FROM finished_at - started_at)::numeric, 1) AS seconds, stage_seconds
FROM sybil.runs WHERE run_id = :run;

\echo
\echo '== Flagged clusters, largest first (sybil.top_clusters) ============'
SELECT rank, cluster_id, size, round(score::numeric, 2) AS score, top_links, top_behaviours
FROM sybil.top_clusters WHERE run_id = :run ORDER BY size DESC, rank LIMIT 15;

\echo
\echo 'The evidence of the largest: shared attributes and a template'
SELECT kind, left(detail::text, 150) AS detail
FROM sybil.cluster_evidence
WHERE run_id = :run
  AND cluster_id = (SELECT cluster_id FROM sybil.clusters WHERE run_id = :run AND flagged ORDER BY size DESC LIMIT 1)
  AND kind IN ('shared_attributes', 'templates', 'signup')
ORDER BY kind;

\echo
\echo '== Evaluation against the planted labels (ground truth) ==========='
CREATE TEMP TABLE scored AS
SELECT a.account_id, a.campaign, k.kind,
       coalesce(m.score, 0) AS score, coalesce(m.flagged, false) AS flagged
FROM public.accounts a
JOIN public.account_kinds k USING (account_id)
LEFT JOIN sybil.cluster_members m ON m.run_id = :run AND m.account_id = a.account_id
WHERE a.account_id IN (SELECT account_id FROM public.interactions);   -- active accounts

SELECT count(*) FILTER (WHERE flagged) AS flagged,
       count(*) FILTER (WHERE flagged AND campaign IS NOT NULL) AS true_positives,
       count(*) FILTER (WHERE campaign IS NOT NULL) AS campaign_accounts,
       round(count(*) FILTER (WHERE flagged AND campaign IS NOT NULL)::numeric
             / nullif(count(*) FILTER (WHERE flagged), 0), 4) AS precision,
       round(count(*) FILTER (WHERE flagged AND campaign IS NOT NULL)::numeric
             / nullif(count(*) FILTER (WHERE campaign IS NOT NULL), 0), 4) AS recall
FROM scored;

\echo 'Per campaign style:'
SELECT split_part(campaign, '-', 1) AS style, count(*) AS accounts, count(*) FILTER (WHERE flagged) AS found,
       round(count(*) FILTER (WHERE flagged)::numeric / count(*), 3) AS recall
FROM scored WHERE campaign IS NOT NULL GROUP BY 1 ORDER BY 1;

\echo 'Benign accounts flagged, by kind (hubs: university, corporate, mobile, vpn, team):'
SELECT kind, count(*) AS accounts, count(*) FILTER (WHERE flagged) AS flagged
FROM scored WHERE campaign IS NULL GROUP BY 1 ORDER BY 1;

\echo 'Ranking by member score: average precision (area under the precision-recall'
\echo 'curve) and recall at a 0.1% false-positive rate among ordinary accounts:'
WITH ranked AS (
    SELECT campaign IS NOT NULL AS positive,
           count(*) FILTER (WHERE campaign IS NOT NULL) OVER w AS tp,
           count(*) FILTER (WHERE campaign IS NULL) OVER w AS fp
    FROM scored WHERE score > 0
    WINDOW w AS (ORDER BY score DESC, account_id)
), totals AS (
    SELECT count(*) FILTER (WHERE campaign IS NOT NULL) AS p, count(*) FILTER (WHERE campaign IS NULL) AS n FROM scored
)
SELECT round((SELECT sum(tp::numeric / (tp + fp)) FILTER (WHERE positive) FROM ranked) / p, 4) AS average_precision,
       round((SELECT max(tp) FROM ranked WHERE fp <= 0.001 * n)::numeric / p, 4) AS recall_at_fpr_0_1pct
FROM totals;
