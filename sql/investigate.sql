-- Investigation helpers and dashboard views over two detection runs of a
-- small world: ordinary accounts, a NAT (a hub), two households, campaign A
-- for the whole fortnight and campaign B from its second week.  Each result
-- is cross-checked against plain SQL over sybil.account_tokens and the run
-- tables.  The data is deterministic (hashint8), as in detect.sql.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS pg_sybil;
RESET client_min_messages;
SET TimeZone = 'UTC';

-- Before any run; then run numbers from 1, for messages that stay the same.
SELECT * FROM sybil.linked_accounts(1);
SELECT setval('sybil.runs_run_id_seq', 1, false);

CREATE FUNCTION pick(bigint, int) RETURNS int
    LANGUAGE sql IMMUTABLE AS $$ SELECT (abs(hashint8($1)::bigint) % $2)::int $$;

-- 400 ordinary accounts (1..400), 60 of them behind one NAT address, and
-- two households (401..406, 407..412) of six accounts on one home address and
-- one shared device.
CREATE TABLE usage_log (account_id bigint, ts timestamptz, ip inet, device text, user_agent text,
                        topic text, prompt text, tokens_out int, model text);
INSERT INTO usage_log
SELECT a,
       '2025-03-01'::timestamptz + pick(a * 1000 + i, 14) * interval '1 day'
         + (8 + pick(a * 7000 + i, 12)) * interval '1 hour' + pick(a * 9000 + i, 3600) * interval '1 second',
       CASE WHEN a <= 60 THEN '198.51.100.7'::inet
            WHEN a > 400 THEN ('192.0.' || 2 + (a - 401) / 6 || '.9')::inet
            ELSE ('10.' || a % 200 || '.' || pick(a, 250) || '.' || pick(a * 3 + i % 2, 250))::inet END,
       CASE WHEN a > 400 THEN 'family-tablet-' || (a - 401) / 6 ELSE 'dev-' || a END,
       (ARRAY['Mozilla/5.0 Chrome/120', 'Mozilla/5.0 Firefox/121', 'okhttp/4.9'])
         [1 + CASE WHEN a > 400 THEN (a - 401) / 6 ELSE pick(a, 3) END],
       'topic' || (CASE WHEN pick(a * 31 + i, 3) = 0 THEN pick(a * 17 + i, 40) ELSE pick(a, 40) END),
       (ARRAY['how', 'what', 'why', 'can', 'please', 'tell', 'explain', 'show'])[1 + pick(a * 5 + i, 8)]
         || ' word' || pick(a * 11 + i, 500) || ' thing' || pick(a * 13 + i, 500) || ' about ' || i,
       100 + pick(a * 19 + i, 400),
       'model-a'
FROM generate_series(1, 412) a, generate_series(1, 1 + pick(a, 60)) i;

-- Campaign A (2001..2024), all 14 days: a pool of 30 proxy addresses, four
-- headless devices, one of them with a name full of quotes, backslashes and
-- a line break, flat cadence every ~20 minutes, one template, long outputs.
INSERT INTO usage_log
SELECT a,
       '2025-03-01'::timestamptz + i * interval '20 minutes' + pick(a * 100 + i, 60) * interval '1 second',
       ('203.0.113.' || (1 + pick(a * 41 + i / 3, 30)))::inet,
       CASE pick(a, 4) WHEN 0 THEN E'rig "7" \\ lab\nB' ELSE 'headless-' || pick(a, 4) END,
       'python-requests/2.31',
       'cap' || ((a - 2001) * 2 % 20 + pick(a * 3 + i, 2)),
       'Solve this step by step and show all work: task ' || a || '-' || i,
       2500 + pick(a * 23 + i, 1000),
       'model-a'
FROM generate_series(2001, 2024) a, generate_series(1, 1000) i;

-- Campaign B (3001..3012) from day 8 on: another proxy pool, curl, another template.
INSERT INTO usage_log
SELECT a,
       '2025-03-08'::timestamptz + i * interval '15 minutes' + pick(a * 100 + i, 60) * interval '1 second',
       ('233.252.0.' || (1 + pick(a * 43 + i / 3, 20)))::inet,
       'vm-' || pick(a, 3), 'curl/8.4',
       'agent' || ((a - 3001) % 10 + pick(a * 5 + i, 2)),
       'You are an agent. Plan the tool calls for job ' || a || '-' || i,
       3000 + pick(a * 29 + i, 1000),
       'model-a'
FROM generate_series(3001, 3012) a, generate_series(1, 650) i;

-- The accounts: ordinary ones on three mail domains (hubs here), campaign A
-- created in one burst on a throwaway domain with three cards, campaign B on
-- one domain (in two spellings) with a card each.
CREATE TABLE account_info (account_id bigint, created_at timestamptz, email_domain text, payment_fingerprint text);
INSERT INTO account_info
SELECT a, '2024-06-01'::timestamptz + pick(a, 200) * interval '1 day' + pick(a * 2, 86400) * interval '1 second',
       (ARRAY['gmail.com', 'outlook.com', 'example.edu'])[1 + pick(a, 3)], NULL
FROM generate_series(1, 412) a
UNION ALL
SELECT a, '2025-02-27 03:00'::timestamptz + (a - 2001) * interval '7 seconds', 'mailbox.top', 'card-' || a % 3
FROM generate_series(2001, 2024) a
UNION ALL
SELECT a, '2025-01-01'::timestamptz + (a - 3001) * interval '3 days', CASE WHEN a % 2 = 0 THEN 'Proton.me' ELSE 'proton.me' END,
       'card-b' || a
FROM generate_series(3001, 3012) a;

-- Two runs: the first week, then the fortnight; hubs above 50 accounts.
SET client_min_messages = warning;
SELECT sybil.detect('usage_log', '2025-03-01', '2025-03-08', 'account_info', '{"max_token_accounts": 50}') AS run1 \gset
SELECT sybil.detect('usage_log', '2025-03-01', '2025-03-15', 'account_info', '{"max_token_accounts": 50}') AS run2 \gset
RESET client_min_messages;
SELECT m.cluster_id AS campaign_a FROM sybil.cluster_members m WHERE m.run_id = :run2 AND m.account_id = 2001 \gset
SELECT m.cluster_id AS campaign_b FROM sybil.cluster_members m WHERE m.run_id = :run2 AND m.account_id = 3001 \gset
SELECT m.cluster_id AS household FROM sybil.cluster_members m WHERE m.run_id = :run2 AND m.account_id = 401 \gset
SELECT c.cluster_id = :campaign_a AS campaign_a, c.cluster_id = :campaign_b AS campaign_b, c.size, c.flagged,
       (SELECT array_agg(DISTINCT m.account_id / 1000) FROM sybil.cluster_members m
        WHERE m.run_id = c.run_id AND m.cluster_id = c.cluster_id) AS thousands
FROM sybil.clusters c WHERE c.run_id = :run2 ORDER BY c.size DESC, 5;

-- linked_accounts: the same rows as a plain join over the roll-ups of the
-- run's days and the accounts' own attributes, without the hubs (tokens of
-- more than 50 accounts).
CREATE TEMP VIEW window_tokens AS
SELECT u.account_id, u.kind, u.token, count(*) OVER (PARTITION BY u.kind, u.token) AS holders
FROM (SELECT t.account_id, t.kind, t.token FROM sybil.account_tokens t
      WHERE t.relation = 'usage_log'::regclass AND t.last_day >= '2025-03-01' AND t.first_day <= '2025-03-14'
      UNION ALL
      SELECT a.account_id, k.kind, k.token
      FROM account_info a,
           LATERAL (VALUES ('payment', a.payment_fingerprint), ('email_domain', lower(a.email_domain)),
                           ('signup_time', to_char(date_bin('10 minutes', a.created_at, '2000-01-01'), 'YYYY-MM-DD HH24:MI')))
             k(kind, token)
      WHERE k.token IS NOT NULL) u;
CREATE TEMP TABLE expected_links AS
SELECT b.account_id AS linked_account, count(*)::int4 AS shared,
       array_agg(a.kind || ':' || a.token ORDER BY a.kind, a.token) AS tokens,
       count(*)::float8 / ((SELECT count(*) FROM window_tokens x WHERE x.account_id = 2001 AND x.holders BETWEEN 2 AND 50)
                           + (SELECT count(*) FROM window_tokens x WHERE x.account_id = b.account_id AND x.holders BETWEEN 2 AND 50)
                           - count(*)) AS jaccard
FROM window_tokens a JOIN window_tokens b ON b.kind = a.kind AND b.token = a.token AND b.account_id <> a.account_id
WHERE a.account_id = 2001 AND a.holders <= 50
GROUP BY b.account_id;
CREATE TEMP TABLE got_links AS
SELECT l.*, array(SELECT k.key || ':' || v.value FROM jsonb_each(l.tokens) k, jsonb_array_elements_text(k.value) v
                  ORDER BY k.key, v.value) AS token_list
FROM sybil.linked_accounts(2001) l;
SELECT count(*) AS linked, count(*) FILTER (WHERE same_cluster AND flagged AND cluster_id = :campaign_a) AS same_campaign,
       min(linked_account), max(linked_account), min(shared), max(shared), max(hub_tokens::text) AS hubs
FROM got_links;
SELECT count(*) AS expected, count(g.*) AS matching
FROM expected_links e
LEFT JOIN got_links g ON g.linked_account = e.linked_account AND g.shared = e.shared AND g.token_list = e.tokens
                     AND abs(g.jaccard - e.jaccard) < 1e-12;
-- most shared first; the Jaccard is shared / (|2001's| + |theirs| - shared)
SELECT linked_account, shared, round(jaccard::numeric, 3) AS jaccard, tokens->'device' AS devices,
       tokens->'payment' AS cards, tokens->'email_domain' AS domains, tokens->'signup_time' AS signup,
       jsonb_array_length(tokens->'ip') AS ips, score > 0.9 AS high_score
FROM got_links ORDER BY shared DESC, jaccard DESC, linked_account LIMIT 3;
SELECT count(*) AS listed FROM sybil.linked_accounts(2001, :run2, 5);
-- an ordinary account behind the NAT: the NAT's address is a hub, and links nobody
SELECT count(*) AS linked FROM sybil.linked_accounts(5);
SELECT count(*) AS linked FROM sybil.linked_accounts(150);
-- a household: its home address and tablet link it, the shared browser is a hub
SELECT linked_account, shared, tokens, jaccard, same_cluster, cluster_id = :household AS household, flagged, hub_tokens
FROM sybil.linked_accounts(401) ORDER BY linked_account;
-- campaign B was not active in the first run's week: only its accounts'
-- own attributes (one mail domain) link it then
SELECT count(*) AS linked, min(shared), max(shared), max(tokens::text) AS tokens, bool_or(same_cluster) AS same_cluster
FROM sybil.linked_accounts(3001, :run1);
SELECT count(*) AS linked, bool_and(same_cluster) AS same_cluster FROM sybil.linked_accounts(3001, :run2);
-- an account without any attribute in the run
SELECT count(*) AS linked FROM sybil.linked_accounts(999999, :run2);

-- cluster_report: the members, signals and every kind of evidence.
SELECT r->'run_id' = to_jsonb(:run2) AS run, r->'cluster_id' = to_jsonb(:campaign_a) AS cluster, r->'size' AS size,
       r->'member_count' AS member_count, r->'flagged_members' AS flagged_members,
       r->'members_shown' AS shown, jsonb_array_length(r->'members') AS members, r->'flagged' AS flagged,
       r->'strongest_signals' AS strongest,
       (SELECT array_agg(k ORDER BY k) FROM jsonb_object_keys(r->'evidence') k) AS evidence,
       r->'members'->0->'flags' AS top_member_flags, r->'window' AS window
FROM sybil.cluster_report(:run2, :campaign_a) r;
SELECT r->'members' @> (SELECT jsonb_agg(jsonb_build_object('account_id', m.account_id, 'flagged', m.flagged))
                        FROM sybil.cluster_members m WHERE m.run_id = :run2 AND m.cluster_id = :campaign_a) AS every_member,
       r->'evidence' = (SELECT jsonb_object_agg(e.kind, e.detail) FROM sybil.cluster_evidence e
                        WHERE e.run_id = :run2 AND e.cluster_id = :campaign_a) AS all_evidence,
       r->'signals' = (SELECT c.signals FROM sybil.clusters c WHERE c.run_id = :run2 AND c.cluster_id = :campaign_a) AS signals
FROM sybil.cluster_report(:run2, :campaign_a) r;
-- a benign cluster: scored low, no evidence written, which the report says
SELECT r->'size' AS size, r->'member_count' AS member_count, r->'flagged' AS flagged, r->'evidence' AS evidence,
       r->'evidence_note' AS note
FROM sybil.cluster_report(:run2, :household) r;

-- cluster_dot: valid DOT.  With every quoted string replaced by Q, each line
-- is a graph, node or edge statement; a quoted string cannot hold a raw line
-- break, a lone quote or a lone backslash.
CREATE FUNCTION dot_lines(dot text) RETURNS TABLE (line text)
    LANGUAGE sql AS $$
    SELECT l FROM regexp_split_to_table(rtrim(regexp_replace(dot, '"([^"\\\n]|\\[^\n])*"', 'Q', 'g'), E'\n'), E'\n') l
$$;
CREATE FUNCTION dot_bad_lines(dot text) RETURNS bigint
    LANGUAGE sql AS $$
    SELECT count(*) FROM dot_lines(dot) l
    WHERE l.line !~ '^(graph Q \{|  (graph|node|edge|Q) \[[a-z]+=(Q|[a-z0-9.]+)(, [a-z]+=(Q|[a-z0-9.]+))*\];|  Q -- Q;|\})$'
       OR l.line ~ '["\\]'
$$;
SELECT sybil.cluster_dot(:run2, :campaign_a) AS dot \gset
SELECT left(:'dot', 6) AS starts, dot_bad_lines(:'dot') AS bad_lines,
       (SELECT count(*) FROM regexp_matches(:'dot', '^  "a\d+" \[', 'gn')) AS account_nodes,
       (SELECT count(*) FROM regexp_matches(:'dot', '^  "a\d+" \[[^\n]*fillcolor="#f4a3a3"', 'gn')) AS flagged_nodes,
       (SELECT count(*) FROM regexp_matches(:'dot', '^  "t\d+" \[', 'gn')) AS token_nodes,
       (SELECT count(*) FROM regexp_matches(:'dot', '^  "a\d+" -- "t\d+";$', 'gn')) AS edges;
-- the attributes two members or more share, and their edges, by plain SQL
SELECT count(DISTINCT (t.kind, t.token)) AS shared_tokens, count(*) AS edges
FROM (SELECT w.kind, w.token, w.holders, count(*) OVER (PARTITION BY w.kind, w.token) AS members
      FROM window_tokens w
      JOIN sybil.cluster_members m ON m.account_id = w.account_id AND m.run_id = :run2 AND m.cluster_id = :campaign_a) t
WHERE t.holders <= 50 AND t.members >= 2;
-- the device named with quotes, a backslash and a line break, escaped
SELECT m[1] AS label FROM regexp_matches(:'dot', '"t\d+" \[label=("device[^\n]*?"), shape=hexagon', 'g') m ORDER BY 1;
SELECT strpos(:'dot', sybil.dot_quote(E'device\nrig "7" \\ lab\nB')) > 0 AS escaped_label,
       sybil.dot_quote(E'a "b" \\ c\r\nd\te\\') AS quoted, sybil.dot_quote(repeat('x', 10), 5) AS cut,
       sybil.dot_quote(NULL) AS null_string;
-- within max_nodes: the accounts by score leave the attributes half
SELECT sybil.cluster_dot(:run2, :campaign_a, 20) AS small \gset
SELECT dot_bad_lines(:'small') AS bad_lines,
       (SELECT count(*) FROM regexp_matches(:'small', '^  "a\d+" \[', 'gn')) AS account_nodes,
       (SELECT count(*) FROM regexp_matches(:'small', '^  "t\d+" \[', 'gn')) AS token_nodes,
       (regexp_match(:'small', 'label="([^"]*)"'))[1] AS title;
SELECT sybil.cluster_dot(:run2, :household) AS benign \gset
SELECT dot_bad_lines(:'benign') AS bad_lines,
       (SELECT count(*) FROM regexp_matches(:'benign', '^  "a\d+" \[[^\n]*fillcolor="#ffffff"', 'gn')) AS plain_account_nodes,
       (SELECT string_agg(m[1], ' ' ORDER BY m[1]) FROM regexp_matches(:'benign', '^  "t\d+" \[label="([^"]*)"', 'gn') m) AS tokens,
       (regexp_match(:'benign', 'label="([^"]*)"'))[1] AS title;

-- The dashboard views.
SELECT run_id = :run2 AS latest, previous_run_id = :run1 AS previous, window_start, window_end,
       duration > '0' AS timed, signals, accounts_seen, clusters_found, clusters_flagged, accounts_flagged, flagged_change
FROM sybil.detection_summary WHERE relation = 'usage_log'::regclass;
-- (the two campaigns' scores tie to 3 places: rank is by the exact score)
SELECT cluster_id = :campaign_a AS campaign_a, cluster_id = :campaign_b AS campaign_b, run_id = :run2 AS latest_run,
       size, round(score::numeric, 3) AS score, flagged_members, top_links, top_behaviours, first_day, last_day,
       active_days, events
FROM sybil.top_clusters WHERE relation = 'usage_log'::regclass ORDER BY size DESC;
SELECT array_agg(rank ORDER BY score DESC, cluster_id) AS ranks FROM sybil.top_clusters WHERE relation = 'usage_log'::regclass;
SELECT run_id = :run2 AS second_run, signal_group, signal, flagged_clusters, accounts, mean_strength
FROM sybil.signal_trends WHERE relation = 'usage_log'::regclass
ORDER BY run_id, signal_group, signal;
-- the same counts straight from the clusters
SELECT t.run_id = :run2 AS second_run, t.signal, t.flagged_clusters,
       (SELECT count(*) FROM sybil.clusters c
        WHERE c.run_id = t.run_id AND c.flagged
          AND coalesce(c.signals->'links'->>t.signal, c.signals->'behaviours'->>t.signal)::float8 >= 0.5) AS counted
FROM sybil.signal_trends t WHERE t.relation = 'usage_log'::regclass AND t.signal IN ('ip', 'device', 'high_volume')
ORDER BY t.run_id, t.signal;

-- Errors.
SELECT * FROM sybil.linked_accounts(NULL);
SELECT * FROM sybil.linked_accounts(2001, :run2, 0);
SELECT * FROM sybil.linked_accounts(2001, -1);
SELECT sybil.cluster_report(-1, 1);
SELECT sybil.cluster_report(:run2, -1);
SELECT sybil.cluster_report(NULL, 1);
SELECT sybil.cluster_dot(-1, 1);
SELECT sybil.cluster_dot(:run2, NULL);
SELECT sybil.cluster_dot(:run2, :campaign_a, 1);
SELECT sybil.dot_quote('x', 1);

DROP VIEW window_tokens;
DROP TABLE usage_log, account_info, expected_links, got_links;
DROP FUNCTION pick(bigint, int), dot_lines(text), dot_bad_lines(text);
DELETE FROM sybil.runs;
DELETE FROM sybil.account_days; DELETE FROM sybil.account_tokens; DELETE FROM sybil.rollup_state;
