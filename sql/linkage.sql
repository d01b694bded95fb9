-- Accounts linked by shared tokens: linked_pairs, linked_components,
-- hub_tokens, why_linked.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS pg_sybil;
RESET client_min_messages;
SET search_path = sybil, public;
SET extra_float_digits = 0;

-- A ring of three accounts sharing devices and a card, a pair sharing one
-- IP, and 60 ordinary accounts behind one corporate NAT, two of which also
-- share a home IP.
CREATE TABLE seen (account_id bigint, token text);
INSERT INTO seen VALUES
  (1, 'dev:aa'), (2, 'dev:aa'), (3, 'dev:aa'), (1, 'card:42'), (2, 'card:42'),
  (3, 'card:42'), (3, 'ip:10.0.0.9'), (1, 'dev:aa'),
  (4, 'ip:198.51.100.7'), (5, 'ip:198.51.100.7'),
  (6, NULL), (NULL, 'ip:198.51.100.7');
INSERT INTO seen SELECT 100 + g, 'ip:203.0.113.1' FROM generate_series(1, 60) g;
INSERT INTO seen VALUES (101, 'ip:192.0.2.55'), (102, 'ip:192.0.2.55');

SELECT * FROM linked_pairs('SELECT account_id, token FROM seen', max_degree => 50);
SELECT * FROM linked_pairs('SELECT account_id, token FROM seen', min_shared => 2, max_degree => 50);
SELECT * FROM linked_pairs('SELECT account_id, token FROM seen', max_degree => 50, min_jaccard => 0.9);
-- Without the hub cap the NAT links all its accounts.
SELECT count(*) AS pairs, count(*) FILTER (WHERE account_a > 100) AS nat_pairs
  FROM linked_pairs('SELECT account_id, token FROM seen', max_degree => 1000);
SELECT * FROM linked_components('SELECT account_id, token FROM seen', max_degree => 50);
SELECT count(*) AS nodes, max(component_size) AS largest
  FROM linked_components('SELECT account_id, token FROM seen', max_degree => 1000);
SELECT count(*) AS accounts
  FROM linked_components('SELECT account_id, token FROM seen', max_degree => 50, min_size => 1);
SELECT * FROM hub_tokens('SELECT account_id, token FROM seen', 50);
SELECT * FROM hub_tokens('SELECT account_id, token FROM seen', 2);

-- Why linked: two accounts, then a cluster.
SELECT * FROM why_linked('SELECT account_id, token FROM seen', 101, 102, max_degree => 50);
SELECT * FROM why_linked('SELECT account_id, token FROM seen', 1, 3);
SELECT * FROM why_linked('SELECT account_id, token FROM seen', 1, 999);
SELECT * FROM why_linked('SELECT account_id, token FROM seen', ARRAY[3, 1, 2, 2, 4, NULL, 999]);
SELECT * FROM why_linked('SELECT account_id, token FROM seen', ARRAY[1, 2, 3], min_shared => 2);

-- Tokens of any type, by their text form; integer account columns.
SELECT * FROM linked_pairs($$VALUES (1::int, '10.1.2.3'::inet), (2, '10.1.2.3'), (3, '10.1.2.4')$$);
SELECT * FROM linked_pairs($$VALUES (1::smallint, 77), (2::smallint, 77)$$);
SELECT count(*) FROM linked_pairs('SELECT account_id, token FROM seen WHERE false');

-- Bad arguments.
SELECT * FROM linked_pairs('SELECT account_id FROM seen');
SELECT * FROM linked_pairs('SELECT token, account_id FROM seen');
SELECT * FROM linked_pairs('SELECT account_id, token FROM seen', min_shared => 0);
SELECT * FROM linked_pairs('SELECT account_id, token FROM seen', max_degree => 0);
SELECT * FROM linked_pairs('SELECT account_id, token FROM seen', min_jaccard => 1.5);
SELECT * FROM linked_pairs('SELECT account_id, token FROM seen', min_jaccard => 'NaN');
SELECT * FROM linked_pairs(NULL);
SELECT * FROM hub_tokens('SELECT account_id, token FROM seen', NULL);
SELECT * FROM linked_components('DELETE FROM seen');

-- statement_timeout cancels a run with a huge hub (terse: a slow server may
-- still be reading the rows when the timeout comes).
SET statement_timeout = '300ms';
\set VERBOSITY terse
SELECT count(*) FROM linked_pairs($$SELECT g, 'hub' FROM generate_series(1, 100000) g$$,
                                  max_degree => 1000000);
\set VERBOSITY default
RESET statement_timeout;
-- sybil.graph_memory_limit bounds the rows held.
-- (terse: how much was held depends on allocation sizes)
\set VERBOSITY terse
SET sybil.graph_memory_limit = '1MB';
SELECT count(*) FROM linked_pairs($$SELECT g, (g % 1000)::text FROM generate_series(1, 200000) g$$);
RESET sybil.graph_memory_limit;
\set VERBOSITY default

DROP TABLE seen;
