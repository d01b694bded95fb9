-- Dense blocks of accounts and items: dense_blocks (FRAUDAR).
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS pg_sybil;
RESET client_min_messages;
SET search_path = sybil, public;
SET extra_float_digits = 0;

-- A ring of four accounts sharing three proxies and a device image, all of
-- them (and 400 ordinary accounts) also behind a popular mobile carrier
-- address; two accounts share a home network; a repeated row and NULLs.
CREATE TABLE seen (account_id bigint, item text);
INSERT INTO seen SELECT a, 'ip:203.0.113.' || p FROM generate_series(1, 4) a, generate_series(1, 3) p;
INSERT INTO seen SELECT a, 'dev:emu-1' FROM generate_series(1, 4) a;
INSERT INTO seen SELECT a, 'ip:100.64.0.1' FROM generate_series(1, 4) a;
INSERT INTO seen SELECT 100 + a, 'ip:100.64.0.1' FROM generate_series(1, 400) a;
INSERT INTO seen VALUES (200, 'ip:192.0.2.55'), (201, 'ip:192.0.2.55'), (1, 'dev:emu-1'),
  (202, NULL), (NULL, 'ip:192.0.2.55');

-- Log weighting leaves the carrier address out of the ring's block.
SELECT * FROM dense_blocks('SELECT account_id, item FROM seen');
-- Unweighted, the carrier address is pulled into it.
SELECT * FROM dense_blocks('SELECT account_id, item FROM seen', 1, 'none');
-- Blocks one after another, until no edge is left.
SELECT block, account_count, item_count, edges, fill, density, items
  FROM dense_blocks('SELECT account_id, item FROM seen', 100);

-- Items of any type, by their text form; integer account columns.
SELECT * FROM dense_blocks($$VALUES (1::int, '10.1.2.3'::inet), (2, '10.1.2.3'), (2, '10.1.2.4')$$);
SELECT * FROM dense_blocks($$VALUES (1::smallint, 77), (2::smallint, 77)$$, weighting => 'none');
SELECT count(*) FROM dense_blocks('SELECT account_id, item FROM seen WHERE false');

-- Bad arguments.
SELECT * FROM dense_blocks('SELECT account_id FROM seen');
SELECT * FROM dense_blocks('SELECT account_id, item, 1 FROM seen');
SELECT * FROM dense_blocks('SELECT item, account_id FROM seen');
SELECT * FROM dense_blocks('SELECT account_id, item FROM seen', 0);
SELECT * FROM dense_blocks('SELECT account_id, item FROM seen', weighting => 'sqrt');
SELECT * FROM dense_blocks(NULL);
SELECT * FROM dense_blocks('SELECT account_id, item FROM seen', NULL);
SELECT * FROM dense_blocks('SELECT account_id, item FROM seen', 1, NULL);
SELECT * FROM dense_blocks('DELETE FROM seen');
SELECT * FROM dense_blocks('SELECT 1, 2; SELECT 3, 4');

-- The query runs with the caller's rights.
CREATE SCHEMA db_private;
CREATE TABLE db_private.seen AS SELECT * FROM seen;
CREATE ROLE db_reader;
GRANT USAGE ON SCHEMA sybil, db_private TO db_reader;
SET ROLE db_reader;
SELECT count(*) FROM sybil.dense_blocks('SELECT account_id, item FROM db_private.seen');
RESET ROLE;
GRANT SELECT ON db_private.seen TO db_reader;
SET ROLE db_reader;
SELECT count(*) FROM sybil.dense_blocks('SELECT account_id, item FROM db_private.seen');
RESET ROLE;
DROP SCHEMA db_private CASCADE;
DROP OWNED BY db_reader;
DROP ROLE db_reader;

-- statement_timeout cancels a long run (terse: a slow server may still be
-- reading the rows when the timeout comes).
SET statement_timeout = '300ms';
\set VERBOSITY terse
SELECT count(*) FROM dense_blocks($$SELECT g, (g % 5000)::text FROM generate_series(1, 3000000) g$$, 50);
\set VERBOSITY default
RESET statement_timeout;
-- sybil.graph_memory_limit bounds the graph.
-- (terse: how much was held depends on allocation sizes)
\set VERBOSITY terse
SET sybil.graph_memory_limit = '1MB';
SELECT count(*) FROM dense_blocks($$SELECT g, (g % 1000)::text FROM generate_series(1, 200000) g$$);
RESET sybil.graph_memory_limit;
\set VERBOSITY default

DROP TABLE seen;
