-- Detection: roll-ups (incremental = full), one run over a small world with
-- one planted campaign among ordinary accounts and a benign NAT, the run's
-- tables, and every input error.  The data is deterministic (hashint8).
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS pg_sybil;
RESET client_min_messages;
SET TimeZone = 'UTC';

CREATE FUNCTION pick(bigint, int) RETURNS int
    LANGUAGE sql IMMUTABLE AS $$ SELECT (abs(hashint8($1)::bigint) % $2)::int $$;

-- 600 ordinary accounts (1..600): diurnal, bursty, free-form prompts on a
-- personal mix of 40 topics; 80 of them behind one NAT address.
CREATE TABLE usage_log (account_id bigint, ts timestamptz, ip inet, device text, user_agent text,
                        topic text, prompt text, tokens_out int, model text);
INSERT INTO usage_log
SELECT a,
       '2025-03-01'::timestamptz + pick(a * 1000 + i, 14) * interval '1 day'
         + (8 + pick(a * 7000 + i, 12)) * interval '1 hour' + pick(a * 9000 + i, 3600) * interval '1 second',
       CASE WHEN a <= 80 THEN '198.51.100.7'::inet
            ELSE ('10.' || a % 200 || '.' || pick(a, 250) || '.' || pick(a * 3 + i % 2, 250))::inet END,
       'dev-' || a, (ARRAY['Mozilla/5.0 Chrome/120', 'Mozilla/5.0 Firefox/121', 'okhttp/4.9'])[1 + pick(a, 3)],
       'topic' || (CASE WHEN pick(a * 31 + i, 3) = 0 THEN pick(a * 17 + i, 40) ELSE pick(a, 40) END),
       (ARRAY['how', 'what', 'why', 'can', 'please', 'tell', 'explain', 'show'])[1 + pick(a * 5 + i, 8)]
         || ' word' || pick(a * 11 + i, 500) || ' thing' || pick(a * 13 + i, 500) || ' about ' || i,
       100 + pick(a * 19 + i, 400),
       CASE WHEN i > 30 AND pick(a, 2) = 0 THEN 'model-b' ELSE 'model-a' END
FROM generate_series(1, 600) a, generate_series(1, 1 + pick(a, 60)) i;

-- The campaign (accounts 1001..1030): a sign-up burst, a rotating pool of 40
-- proxy addresses, flat round-the-clock cadence every ~20 minutes, one
-- template, each account two topics of a 20-topic space, long outputs.
INSERT INTO usage_log
SELECT a,
       '2025-03-01'::timestamptz + i * interval '20 minutes' + pick(a * 100 + i, 60) * interval '1 second',
       ('203.0.113.' || (1 + pick(a * 41 + i / 3, 40)))::inet,
       'headless-' || pick(a, 4), 'python-requests/2.31',
       'cap' || ((a - 1001) * 2 % 20 + pick(a * 3 + i, 2)),
       'Solve this step by step and show all work: task ' || a || '-' || i,
       2500 + pick(a * 23 + i, 1000),
       'model-a'
FROM generate_series(1001, 1030) a, generate_series(1, 900) i;

-- A quieter campaign (accounts 2001..2040) that shares no template, card or
-- device and behaves like anybody but for its long outputs: each session
-- leaves through another of 400 residential exits, and one session in ten
-- through the home address of an ordinary account (541..560).
INSERT INTO usage_log
SELECT a,
       '2025-03-01'::timestamptz + pick(a * 1000 + i, 14) * interval '1 day'
         + (9 + pick(a * 7000 + i, 13)) * interval '1 hour' + pick(a * 9000 + i, 3600) * interval '1 second',
       CASE WHEN pick(a * 53 + i / 10, 10) = 0
            THEN ('10.' || h % 200 || '.' || pick(h, 250) || '.' || pick(h * 3, 250))::inet
            ELSE ('198.18.' || p / 250 || '.' || p % 250)::inet END,
       'dev-' || a, 'Mozilla/5.0 Chrome/120',
       'topic' || (CASE WHEN pick(a * 31 + i, 3) = 0 THEN pick(a * 17 + i, 40) ELSE pick(a, 40) END),
       (ARRAY['how', 'what', 'why', 'can', 'please', 'tell', 'explain', 'show'])[1 + pick(a * 5 + i, 8)]
         || ' word' || pick(a * 11 + i, 500) || ' thing' || pick(a * 13 + i, 500) || ' about ' || i,
       2500 + pick(a * 19 + i, 1500),
       'model-a'
FROM generate_series(2001, 2040) a, generate_series(1, 250) i,
     LATERAL (SELECT 541 + pick(a * 59 + i / 10, 20) AS h, pick(a * 71 + i / 10, 400) AS p) x;

CREATE TABLE account_info (account_id bigint, created_at timestamptz, email_domain text,
                           payment_fingerprint text, signup_ip inet, country text);
INSERT INTO account_info
SELECT a, '2024-06-01'::timestamptz + pick(a, 200) * interval '1 day' + pick(a * 2, 86400) * interval '1 second',
       (ARRAY['gmail.com', 'outlook.com', 'example.edu'])[1 + pick(a, 3)], NULL,
       ('10.' || a % 200 || '.' || pick(a, 250) || '.1')::inet, 'FR'
FROM generate_series(1, 600) a
UNION ALL
SELECT a, '2024-06-01'::timestamptz + pick(a, 200) * interval '1 day' + pick(a * 2, 86400) * interval '1 second',
       'gmail.com', NULL, ('198.18.' || pick(a, 4) || '.' || pick(a * 5, 250))::inet, 'FR'
FROM generate_series(2001, 2040) a
UNION ALL
SELECT a, '2025-02-27 03:00'::timestamptz + (a - 1001) * interval '7 seconds', 'mailbox.top', 'card-' || a % 3,
       ('203.0.113.' || a % 40)::inet, 'US'
FROM generate_series(1001, 1030) a;

-- Roll-ups: in three steps, then again (nothing new), equal to one pass.
SELECT sybil.rollup('usage_log', '2025-03-05'), sybil.rollup('usage_log', '2025-03-09 12:00'),
       sybil.rollup('usage_log', '2025-04-01'), sybil.rollup('usage_log', '2025-04-01');
SELECT relation, rolled_through, usage_columns, rows_read = (SELECT count(*) FROM usage_log) AS all_rows
FROM sybil.rollup_state;
CREATE TABLE days_in_steps AS SELECT * FROM sybil.account_days;
CREATE TABLE tokens_in_steps AS SELECT * FROM sybil.account_tokens;
DELETE FROM sybil.account_days; DELETE FROM sybil.account_tokens; DELETE FROM sybil.rollup_state;
SELECT sybil.rollup('usage_log', '2025-04-01');
SELECT count(*) AS day_rows,
       count(*) FILTER (WHERE s.events = d.events AND s.tokens_out = d.tokens_out
                          AND s.topics::text = d.topics::text AND s.models::text = d.models::text
                          AND s.hours = d.hours AND s.first_ts = d.first_ts AND s.last_ts = d.last_ts
                          AND abs(s.gap_sq_sum - d.gap_sq_sum) <= 1e-9 * greatest(d.gap_sq_sum, 1)) AS equal
FROM sybil.account_days d FULL JOIN days_in_steps s USING (relation, day, account_id);
-- openings repeated within each step only are kept per step: compare the rest
SELECT count(*) AS token_rows, count(*) FILTER (WHERE s.events = t.events AND s.first_day = t.first_day
                                                  AND s.last_day = t.last_day) AS equal
FROM sybil.account_tokens t FULL JOIN tokens_in_steps s USING (relation, kind, token, account_id)
WHERE coalesce(t.kind, s.kind) <> 'opening';
SELECT kind, count(DISTINCT token) AS tokens, count(*) AS rows FROM sybil.account_tokens GROUP BY 1 ORDER BY 1;

-- The gap statistics kept per day agree with sybil.cadence on the raw rows.
SELECT count(*) AS account_days,
       count(*) FILTER (WHERE abs(sqrt(d.gap_sq_sum / (d.events - 1)
                                       - (extract(epoch FROM d.last_ts - d.first_ts) / (d.events - 1)) ^ 2)
                                  - (c.stats).sd_gap) < 1e-6) AS sd_equal
FROM sybil.account_days d
JOIN (SELECT account_id, (ts AT TIME ZONE 'UTC')::date AS day, sybil.cadence(ts) AS stats
      FROM usage_log GROUP BY 1, 2) c USING (account_id, day)
WHERE d.events >= 3;

-- One run.
SET client_min_messages = warning;
SELECT sybil.detect('usage_log', '2025-03-01', '2025-03-15', 'account_info') AS run \gset
RESET client_min_messages;
SELECT run_id = :run AS same_run, relation, accounts, signals, accounts_seen, clusters_found, accounts_flagged,
       settings->'link_threshold' AS link_threshold, stage_seconds ?& ARRAY['rollup', 'features', 'links', 'clusters', 'write'] AS timed
FROM sybil.runs;
-- exactly the two campaigns are flagged: the first as one cluster, most of the second
SELECT account_id / 1000 AS campaign, min(account_id), max(account_id), count(*), count(DISTINCT cluster_id) AS clusters
FROM sybil.cluster_members WHERE run_id = :run AND flagged GROUP BY 1 ORDER BY 1;
SELECT c.size, c.flagged, c.score > 0.8 AS strong, c.signals->'links'->'dense_block' IS NOT NULL AS dense_block,
       (c.signals->'links'->>'rare_infrastructure')::float8 >= 0.5 AS rare_infrastructure,
       (SELECT array_agg(k ORDER BY k) FROM jsonb_each(c.signals->'behaviours') b(k, v) WHERE v::float8 >= 0.5) AS behaviours
FROM sybil.clusters c WHERE run_id = :run AND flagged ORDER BY c.size;
-- the households whose address the second campaign's exits also used are not
SELECT count(*) AS households_flagged FROM sybil.cluster_members WHERE run_id = :run AND account_id BETWEEN 541 AND 560 AND flagged;
SELECT kind, count(*) AS clusters FROM sybil.cluster_evidence WHERE run_id = :run GROUP BY 1 ORDER BY 1;
SELECT e.detail->0->>'example' LIKE 'Solve this step by step%' AS template_example, e.detail->0->'members' AS members
FROM sybil.cluster_evidence e WHERE run_id = :run AND kind = 'templates';
SELECT (SELECT count(*) FROM jsonb_array_elements(detail)) AS days FROM sybil.cluster_evidence
WHERE run_id = :run AND kind = 'timeline'
  AND cluster_id = (SELECT cluster_id FROM sybil.cluster_members WHERE run_id = :run AND account_id = 1001);
SELECT m.features ?& ARRAY['events', 'flatness', 'gap_cv', 'topic_bits', 'flags', 'fit'] AS has_features,
       m.features->'flags' AS flags
FROM sybil.cluster_members m WHERE run_id = :run AND account_id = 1001;
-- the NAT's 80 accounts share an address but behave like anybody
SELECT count(*) AS nat_flagged FROM sybil.cluster_members WHERE run_id = :run AND account_id <= 80 AND flagged;

-- Without the accounts relation or optional columns the matching signals go.
-- (The run sorts with maintenance_work_mem, then puts the caller's work_mem back.)
CREATE VIEW usage_thin AS SELECT account_id, ts, ip FROM usage_log;
SET client_min_messages = warning;
BEGIN;
SET LOCAL work_mem = '1MB';
SET LOCAL maintenance_work_mem = '16MB';
SELECT sybil.detect('usage_thin', '2025-03-01', '2025-03-15') AS thin_run \gset
SELECT current_setting('work_mem') AS work_mem_after_run;
SELECT sybil.use_batch_work_mem() AS work_mem_before, current_setting('work_mem') AS work_mem_in_batch;
COMMIT;
RESET client_min_messages;
SELECT signals FROM sybil.runs WHERE run_id = :thin_run;

-- An ip column of type text: the same ip tokens, no subnets.
CREATE VIEW usage_text_ip AS SELECT account_id, ts, host(ip) AS ip FROM usage_log;
SELECT sybil.rollup('usage_text_ip', '2025-04-01') = (SELECT count(*) FROM usage_log) AS text_ip_rolled;
SELECT array_agg(DISTINCT kind) AS text_ip_kinds,
       (SELECT count(*) FROM ((SELECT account_id, token, first_day, last_day, events FROM sybil.account_tokens
                               WHERE relation = 'usage_text_ip'::regclass
                               EXCEPT SELECT account_id, token, first_day, last_day, events FROM sybil.account_tokens
                               WHERE relation = 'usage_log'::regclass AND kind = 'ip')
                              UNION ALL
                              (SELECT account_id, token, first_day, last_day, events FROM sybil.account_tokens
                               WHERE relation = 'usage_log'::regclass AND kind = 'ip'
                               EXCEPT SELECT account_id, token, first_day, last_day, events FROM sybil.account_tokens
                               WHERE relation = 'usage_text_ip'::regclass)) d) AS tokens_differing
FROM sybil.account_tokens WHERE relation = 'usage_text_ip'::regclass;

-- The scoring helpers on their own.  Robust z: no spread makes any
-- difference extreme; the median is 0.
SELECT sybil.robust_z(3, '{0,1,1.349}') AS two_sd_up, sybil.robust_z(2, '{2,2,2}') AS at_median,
       sybil.robust_z(2.5, '{2,2,2}') AS no_spread_above, sybil.robust_z(1.5, '{2,2,2}') AS no_spread_below;
SELECT sybil.detect_raised(ARRAY[0.3, 2.4, 1.1, 0, -0.5, 2.2, NULL, 'Infinity'], 2) AS raised;
-- a trait of how accounts use the service: strong from the typical member,
-- less so in a small group; volume only from the share raising it
SELECT t.trait, t.n, round(sybil.detect_trait_strength(t.trait, 0.3, 1.8, t.n, 2)::numeric, 3) AS strength
FROM (VALUES ('heavy_output', 150), ('heavy_output', 5), ('high_volume', 150)) t(trait, n);
SELECT round(sybil.detect_behaviour(ARRAY[0, 0.7, 0, 0, 0, 0.5, 0.9, 0])::numeric, 3) AS narrow_and_divergent_once,
       round(sybil.detect_behaviour(ARRAY[0, 0.7, 0, 0, 0, 0, 0.9, 0])::numeric, 3) AS same_as_divergent_alone,
       sybil.detect_behaviour(ARRAY[0, 0, 0, 0, 0, 0, 0, 0]) AS none;

-- Errors (terse: the messages, not the PL/pgSQL line numbers).
\set VERBOSITY terse
SELECT sybil.detect('usage_log', '2025-03-15', '2025-03-01');
SELECT sybil.detect('usage_log', '-infinity', '2025-03-01');
SELECT sybil.detect('usage_log', '2025-03-01', '2025-03-15', NULL, '{"link_treshold": 0.4}');
SELECT sybil.detect('usage_log', '2025-03-01', '2025-03-15', NULL, '{"link_threshold": 2}');
SELECT sybil.detect('usage_log', '2025-03-01', '2025-03-15', NULL, '{"rare_token_accounts": 0}');
SELECT sybil.detect('usage_log', '2025-03-01', '2025-03-15', NULL, '{"core_share": 1.5}');
SELECT sybil.detect('usage_log', '2025-03-01', '2025-03-15', NULL, '{"seed": "one"}');
SELECT sybil.detect('usage_log', '2025-03-01', '2025-03-15', NULL, '[1]');
CREATE TABLE no_ts (account_id bigint, ip inet);
SELECT sybil.rollup('no_ts');
CREATE TABLE bad_type (account_id bigint, ts timestamptz, tokens_out text);
SELECT sybil.rollup('bad_type');
SELECT sybil.rollup('usage_log', NULL);
CREATE TABLE no_account_id (id bigint, created_at timestamptz);
SELECT sybil.detect('usage_log', '2025-03-01', '2025-03-15', 'no_account_id');
CREATE TABLE bad_created (account_id bigint, created_at date);
SELECT sybil.detect('usage_log', '2025-03-01', '2025-03-15', 'bad_created');
SELECT sybil.prompt_opening('Hello, World! and more', 2) = sybil.prompt_opening('hello world', 2) AS same_opening,
       sybil.prompt_opening('...') AS no_word;
SELECT sybil.prompt_opening('x', 0);
SELECT sybil.prompt_opening('x', 17);

-- A run that fails in the middle (here: reading the accounts) leaves nothing.
SELECT count(*) AS runs_before FROM sybil.runs \gset
CREATE VIEW failing_accounts AS
    SELECT account_id, created_at + (1 / (account_id - account_id)) * interval '1 second' AS created_at
    FROM account_info;
SET client_min_messages = warning;
SELECT sybil.detect('usage_log', '2025-03-01', '2025-03-15', 'failing_accounts');
RESET client_min_messages;
\set VERBOSITY default
SELECT count(*) = :runs_before AS nothing_written FROM sybil.runs;

DROP VIEW usage_thin, usage_text_ip, failing_accounts;
DROP TABLE usage_log, account_info, days_in_steps, tokens_in_steps, no_ts, bad_type, no_account_id, bad_created;
DROP FUNCTION pick(bigint, int);
DELETE FROM sybil.runs;
DELETE FROM sybil.account_days; DELETE FROM sybil.account_tokens; DELETE FROM sybil.rollup_state;
