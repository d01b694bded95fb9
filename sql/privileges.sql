-- The role model of docs/security.md: query texts run with the caller's
-- rights, so table privileges and row-level security apply inside them; a
-- dashboard role reads stored results without any access to the raw rows.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS pg_sybil;
RESET client_min_messages;

CREATE TABLE usage_log (account_id bigint, region text, ip text);
INSERT INTO usage_log VALUES
  (1, 'eu', 'ip:a'), (2, 'eu', 'ip:a'), (3, 'us', 'ip:b'), (4, 'us', 'ip:b'), (5, 'us', 'ip:a');
CREATE TABLE findings (account_id bigint, ips sybil.minhash);
INSERT INTO findings SELECT account_id, sybil.minhash_agg(ip) FROM usage_log GROUP BY account_id;

CREATE ROLE sybil_analyst_eu;
CREATE ROLE sybil_dashboard;
GRANT USAGE ON SCHEMA sybil TO sybil_analyst_eu, sybil_dashboard;
GRANT SELECT ON usage_log, findings TO sybil_analyst_eu;
GRANT SELECT ON findings TO sybil_dashboard;

-- Row-level security: the EU analyst sees EU rows only, also through sybil's query texts.
ALTER TABLE usage_log ENABLE ROW LEVEL SECURITY;
CREATE POLICY eu_only ON usage_log TO sybil_analyst_eu USING (region = 'eu');
SET ROLE sybil_analyst_eu;
SELECT * FROM sybil.linked_components('SELECT account_id, ip FROM usage_log') ORDER BY node;
SELECT count(*) AS rows_seen FROM usage_log;
RESET ROLE;
SELECT * FROM sybil.linked_components('SELECT account_id, ip FROM usage_log') ORDER BY node;

-- The dashboard reads stored results and computes on them, but cannot reach the raw rows.
SET ROLE sybil_dashboard;
SELECT a.account_id, b.account_id, sybil.jaccard(a.ips, b.ips)
  FROM findings a JOIN findings b ON a.account_id < b.account_id
 WHERE sybil.jaccard(a.ips, b.ips) = 1 ORDER BY 1, 2;
SELECT * FROM sybil.linked_pairs('SELECT account_id, ip FROM usage_log');
SELECT * FROM sybil.similar_pairs('SELECT account_id, ips FROM findings', 0.9) ORDER BY a, b;
RESET ROLE;

-- An administrator may withhold the query-taking functions from a role entirely.
REVOKE EXECUTE ON FUNCTION sybil.similar_pairs(text, float8, int4, text) FROM PUBLIC;
SET ROLE sybil_dashboard;
SELECT * FROM sybil.similar_pairs('SELECT account_id, ips FROM findings', 0.9);
RESET ROLE;
GRANT EXECUTE ON FUNCTION sybil.similar_pairs(text, float8, int4, text) TO PUBLIC;

DROP TABLE usage_log, findings;
DROP OWNED BY sybil_analyst_eu, sybil_dashboard;
DROP ROLE sybil_analyst_eu, sybil_dashboard;
