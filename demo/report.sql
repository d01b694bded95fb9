-- demo/report.sql: prompt-topic analytics over the demo data with pg_sybil.
--
--   psql -X -v ON_ERROR_STOP=1 -f demo/report.sql
--
-- Needs the tables that demo/run.sh loads (accounts, interactions, and
-- optionally account_kinds) and CREATE EXTENSION pg_sybil.  Works in
-- temporary tables only; changes nothing else.
--
-- accounts.campaign (and account_kinds) are the generator's ground truth.
-- Sections 1-5 never read them: they are used in section 6 only, to score
-- the flagged list.

\set QUIET 1
\set ON_ERROR_STOP 1
\pset pager off
\pset footer off
\pset null '-'
SET client_min_messages = warning;

\echo
\echo '==================================================================='
\echo ' pg_sybil demo: which accounts have anomalous prompt-topic mixes?'
\echo '==================================================================='

-- One pass over the log: a topic histogram per account (the sketch the
-- detection jobs keep per account and day), and one per week.
CREATE TEMP TABLE account_topics AS
SELECT account_id,
       count(*)                  AS n,
       sybil.histogram_agg(topic) AS h,
       avg(tokens_out)::int      AS avg_tokens
FROM interactions
GROUP BY account_id;

CREATE TEMP TABLE weekly AS
SELECT date_trunc('week', ts)::date       AS week,
       count(*)                           AS n,
       sybil.topic_entropy(topic)         AS bits,
       avg(tokens_out)::int               AS avg_tokens
FROM interactions
GROUP BY 1;

-- The population histogram is the roll-up of the per-account ones.
CREATE TEMP TABLE population AS
SELECT sybil.histogram_union(h) AS h FROM account_topics;

SELECT sybil.label_count(h) AS n_topics,
       log(2, sybil.label_count(h)::numeric)::float8 AS max_bits
FROM population \gset

\echo
\echo '== 1. Data set ====================================================='
\pset tuples_only on
SELECT format('%s accounts (%s active), %s interactions from %s to %s, %s topics',
              (SELECT count(*) FROM accounts), count(*), sum(n),
              (SELECT min(ts)::date FROM interactions), (SELECT max(ts)::date FROM interactions),
              :n_topics)
FROM account_topics;
\pset tuples_only off

\echo
\echo '== 2. Population topic histogram ==================================='
SELECT sybil.total(h)::bigint                        AS interactions,
       sybil.label_count(h)                          AS topics,
       round(sybil.entropy(h)::numeric, 3)           AS entropy_bits,
       round(:max_bits::numeric, 3)                  AS max_bits,
       round(sybil.normalized_entropy(h)::numeric, 3) AS normalized,
       round(sybil.top_share(h, 10)::numeric, 3)     AS top10_share
FROM population;

\echo 'Most asked topics (Zipf-like head):'
SELECT t.label, t.count::bigint AS interactions, round(100 * t.share::numeric, 1) AS pct
FROM population, sybil.top_labels(population.h, 6) AS t;

\echo 'Topic domains: the histogram re-bucketed with histogram_agg(label, weight):'
SELECT round(sybil.entropy(d)::numeric, 3) AS domain_entropy_bits,
       sybil.label_count(d) AS domains,
       (SELECT string_agg(format('%s %s%%', t.label, round(100 * t.share::numeric)), ', ')
          FROM sybil.top_labels(d, 5) AS t) AS top_domains
FROM (SELECT sybil.histogram_agg(split_part(t.label, '.', 1), t.count) AS d
        FROM population, sybil.top_labels(population.h, :n_topics) AS t) AS s;

\echo 'Week by week (sybil.topic_entropy aggregate):'
SELECT week, n AS interactions, round(bits::numeric, 3) AS entropy_bits, avg_tokens
FROM weekly ORDER BY week;

\echo
\echo '== 3. Per-account topic histograms ================================='
CREATE TEMP TABLE features AS
SELECT a.account_id, a.n, a.h, a.avg_tokens,
       sybil.entropy(a.h)              AS bits,
       sybil.normalized_entropy(a.h)   AS norm_entropy,
       sybil.label_count(a.h)          AS labels,
       sybil.top_share(a.h, 3)         AS top3,
       sybil.js_divergence(a.h, p.h)   AS jsd
FROM account_topics a, population p;

\echo 'By activity: light accounts have few topics just by chance, so a narrow'
\echo 'mix only means something at volume.  jsd = JS divergence from the population.'
SELECT (ARRAY['1-9', '10-49', '50-199', '200-999', '1000+'])[band] AS interactions,
       count(*) AS accounts,
       round(percentile_cont(0.5) WITHIN GROUP (ORDER BY labels)::numeric, 1) AS med_topics,
       round(percentile_cont(0.5) WITHIN GROUP (ORDER BY bits)::numeric, 2) AS med_bits,
       round(percentile_cont(0.1) WITHIN GROUP (ORDER BY bits)::numeric, 2) AS p10_bits,
       round(percentile_cont(0.5) WITHIN GROUP (ORDER BY norm_entropy)::numeric, 2) AS med_norm_ent,
       round(percentile_cont(0.5) WITHIN GROUP (ORDER BY jsd)::numeric, 2) AS med_jsd
FROM (SELECT *, width_bucket(n, ARRAY[1, 10, 50, 200, 1000]) AS band FROM features) f
GROUP BY band ORDER BY band;

\echo 'Two histograms at the median volume (text form is JSON), and the busiest'
\echo 'account, by its top labels (sybil.top_labels):'
SELECT account_id, n, left(h::text, 110) AS histogram
FROM features
WHERE n = (SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY n) FROM features)
ORDER BY account_id LIMIT 2;
SELECT f.account_id, f.n, string_agg(format('%s %s%%', t.label, round(100 * t.share::numeric)), ', ') AS top_labels
FROM (SELECT * FROM features ORDER BY n DESC, account_id LIMIT 1) f, sybil.top_labels(f.h, 4) t
GROUP BY 1, 2;

\echo
\echo '== 4. Accounts with the most anomalous topic mixes ================='
-- Narrowness is measured against the whole topic space (bits / log2 of the
-- population's topic count).  normalized_entropy divides by the account's
-- OWN topic count instead, so an account split evenly over two topics scores
-- 1.0 there: fine for "how even", wrong for "how narrow".
SELECT greatest(20, percentile_disc(0.75) WITHIN GROUP (ORDER BY n)) AS min_n FROM features \gset
\set min_score 0.45
CREATE TEMP TABLE flagged AS
SELECT f.*, a.email_domain, a.created_at,
       f.jsd * (1 - f.bits / :max_bits) AS score
FROM features f JOIN accounts a USING (account_id)
WHERE f.n >= :min_n
  AND f.jsd * (1 - f.bits / :max_bits) >= :min_score;

\pset tuples_only on
SELECT format('score = jsd * (1 - bits / %s), i.e. far from the population AND narrow;', round(:max_bits::numeric, 2))
UNION ALL
SELECT format('flagged when score >= %s among the busiest quarter of accounts (n >= %s).', :min_score, :min_n);
\pset tuples_only off
SELECT count(*) AS flagged,
       round(100.0 * count(*) / (SELECT count(*) FROM features WHERE n >= :min_n), 1) AS pct_of_busy,
       sum(n) AS their_interactions,
       round(avg(avg_tokens)) AS avg_tokens,
       (SELECT round(avg(avg_tokens)) FROM features WHERE n >= :min_n) AS busy_avg_tokens
FROM flagged;

\echo 'Top 8 by score.  Single-topic accounts lead: API integrations and focused'
\echo 'users are anomalous too, which does not make them abusive:'
SELECT account_id, n, round(bits::numeric, 2) AS bits, round(norm_entropy::numeric, 2) AS norm_ent,
       labels, round(top3::numeric, 2) AS top3, round(jsd::numeric, 2) AS jsd,
       round(score::numeric, 3) AS score, avg_tokens AS tokens,
       (SELECT string_agg(t.label, ' ') FROM sybil.top_labels(flagged.h, 2) t) AS main_topics,
       email_domain
FROM flagged ORDER BY score DESC, n DESC, account_id LIMIT 8;

\echo
\echo '== 5. How the flagged accounts group ==============================='
\echo 'Grouped by e-mail domain and by sign-up hour.  A campaign spreads its sweep'
\echo 'over many accounts: each covers a narrow slice (few effective topics, 2^bits),'
\echo 'their union covers a whole capability area.  A group is SUSPICIOUS when >= 5'
\echo 'members are flagged and they are at least half of the group.'
CREATE TEMP TABLE groups AS
WITH keyed AS (
    SELECT 'email ' || a.email_domain AS grp, a.account_id FROM accounts a
    UNION ALL
    SELECT 'signup ' || to_char(a.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24"h"'), a.account_id
    FROM accounts a
)
SELECT k.grp,
       count(*)                                  AS accounts,
       count(f.account_id)                       AS flagged,
       avg(power(2, f.bits))                     AS eff_topics,
       sybil.histogram_union(f.h)                AS h_union
FROM keyed k LEFT JOIN flagged f USING (account_id)
GROUP BY k.grp
HAVING count(f.account_id) >= 5;

SELECT grp, accounts, flagged, round(100.0 * flagged / accounts) AS pct,
       round(eff_topics::numeric, 1) AS eff_topics_each,
       round(power(2, sybil.entropy(h_union))::numeric, 1) AS eff_topics_union,
       (SELECT string_agg(format('%s %s%%', d.label, round(100 * d.share::numeric)), ' ')
          FROM sybil.top_labels(
                 (SELECT sybil.histogram_agg(split_part(t.label, '.', 1), t.count)
                    FROM sybil.top_labels(h_union, 1000) t), 3) d) AS union_domains,
       CASE WHEN flagged * 2 >= accounts THEN 'SUSPICIOUS' ELSE '' END AS verdict
FROM groups
ORDER BY flagged * 2 >= accounts DESC, flagged DESC, grp
LIMIT 18;

CREATE TEMP TABLE grouped AS
SELECT DISTINCT f.account_id
FROM flagged f JOIN accounts a USING (account_id)
JOIN groups g ON g.flagged * 2 >= g.accounts
             AND (g.grp = 'email ' || a.email_domain
                  OR g.grp = 'signup ' || to_char(a.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24"h"'));

\echo
\echo '== 6. Evaluation against ground truth =============================='
\echo 'accounts.campaign is the planted label from the generator.  It is used'
\echo 'here only, to score the lists above; nothing upstream read it.'
SELECT stage, flagged, true_pos,
       round(true_pos::numeric / nullif(flagged, 0), 3) AS precision,
       round(true_pos::numeric / nullif(campaign_accounts, 0), 3) AS recall
FROM (
    SELECT '1 topic anomaly alone' AS stage, count(*) AS flagged,
           count(a.campaign) AS true_pos,
           (SELECT count(*) FROM accounts WHERE campaign IS NOT NULL) AS campaign_accounts
    FROM flagged f JOIN accounts a USING (account_id)
    UNION ALL
    SELECT '2 anomaly + suspicious group', count(*), count(a.campaign),
           (SELECT count(*) FROM accounts WHERE campaign IS NOT NULL)
    FROM grouped g JOIN accounts a USING (account_id)
) s ORDER BY stage;

\echo 'Per campaign:'
SELECT a.campaign, count(*) AS accounts,
       count(f.account_id) AS stage1, count(g.account_id) AS stage2,
       round(count(g.account_id)::numeric / count(*), 3) AS recall
FROM accounts a
LEFT JOIN flagged f USING (account_id)
LEFT JOIN grouped g USING (account_id)
WHERE a.campaign IS NOT NULL
GROUP BY a.campaign ORDER BY a.campaign;

SELECT to_regclass('account_kinds') IS NOT NULL AS has_kinds \gset
\if :has_kinds
\echo 'Who the false positives are (account_kinds, also ground truth):'
SELECT k.kind, count(*) AS accounts,
       count(f.account_id) AS stage1_flagged,
       count(g.account_id) AS stage2_flagged
FROM account_kinds k
LEFT JOIN flagged f USING (account_id)
LEFT JOIN grouped g USING (account_id)
WHERE k.kind <> 'campaign'
GROUP BY k.kind ORDER BY k.kind;
\endif
\echo 'Topic mix alone flags benign look-alikes too (API integrations, focused'
\echo 'power users); grouping by shared e-mail domain and sign-up burst removes'
\echo 'most of them.  Infrastructure, template and timing signals come next.'
