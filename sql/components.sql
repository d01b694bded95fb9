-- sybil.component_set, the components aggregates and sybil.components().
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS pg_sybil;
RESET client_min_messages;
SET search_path = sybil, public;

-- Text form: canonical order whatever the input order; blanks and signs.
SELECT '{{5,7},{3,2,1}}'::component_set;
SELECT ' { { -9223372036854775808 , 9223372036854775807 } , {+0} } '::component_set;
SELECT '{}'::component_set, '{{42}}'::component_set;
SELECT '{{1,2},{2}}'::component_set;
SELECT '{{1,2},{}}'::component_set;
SELECT '{{1,2}'::component_set;
SELECT '{{1,x}}'::component_set;
SELECT '{{9223372036854775808}}'::component_set;
SELECT '{{1,2}} junk'::component_set;
SELECT '{{1,2},{3}}'::component_set = '{{3},{2,1}}'::component_set AS same,
       '{{1,2},{3}}'::component_set <> '{{1,2,3}}'::component_set AS differ;

-- The aggregate: edges, self-loops, duplicates, a NULL end adds a lone node.
SELECT components_agg(a, b)
  FROM (VALUES (1, 2), (2, 1), (1, 2), (3, 4), (2, 3), (10, NULL), (NULL, 11),
               (NULL, NULL), (7, 7)) v(a, b);
SELECT components_agg(a, b) IS NULL AS no_rows FROM (VALUES (1, 2)) v(a, b) WHERE false;
SELECT components_agg(a, b) IS NULL AS only_nulls
  FROM (VALUES (NULL::bigint, NULL::bigint)) v(a, b);
SELECT g % 3 AS grp, components_agg(g, g + 3)
  FROM generate_series(1, 12) g GROUP BY 1 ORDER BY 1;
SELECT components_union(c)
  FROM (VALUES ('{{1,2}}'::component_set), (NULL), ('{{2,3},{8,9}}'), ('{{9,100}}')) v(c);
-- Direct calls never modify their input.
SELECT components_add_edge('{{1,2}}', 2, 3), components_merge('{{1,2}}', '{{5,6}}');
SELECT components_add_edge(NULL, NULL, NULL) IS NULL AS skipped;

-- Reading a set.
SELECT * FROM component_rows('{{5,7},{3,2,1},{9}}');
SELECT * FROM component_rows('{{5,7},{3,2,1},{9}}', min_size => 2);
SELECT node_count(c), component_count(c), component_of(c, 3), component_of(c, 4) IS NULL AS absent
  FROM (SELECT '{{1,2,3},{5,7}}'::component_set AS c) s;
SELECT node_count('{}'), component_count('{}');

-- Parallel plans give the partition of the serial plan.
CREATE TABLE cc_edges AS
  SELECT g AS a, CASE WHEN g % 7 = 0 THEN NULL ELSE (g * 7919) % 50000 END AS b
    FROM generate_series(1, 100000) g;
ANALYZE cc_edges;
CREATE TABLE cc_serial AS SELECT components_agg(a, b) AS c FROM cc_edges;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT components_agg(a, b) FROM cc_edges;
SELECT components_agg(a, b) = (SELECT c FROM cc_serial) AS parallel_same FROM cc_edges;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
SELECT node_count(c), component_count(c) FROM cc_serial;

-- sybil.components(): the same partition as rows; options.
SELECT count(*) AS nodes, count(DISTINCT component) AS components,
       bool_and(component <= node) AS smallest_id
  FROM components('SELECT a, b FROM cc_edges');
SELECT (SELECT array_agg(row(r.*) ORDER BY node) FROM components('TABLE cc_edges') r)
     = (SELECT array_agg(row(r.*) ORDER BY node) FROM cc_serial, component_rows(c) r) AS same_rows;
SELECT * FROM components($$VALUES (1, 2, 0.5), (2, 3, 2.0), (4, 5, NULL), (6, 7, 'NaN')$$,
                         min_weight => 1);
SELECT * FROM components($$SELECT 1::smallint, 2::integer, 3::real$$);
SELECT * FROM components('VALUES (1, 2), (10, 11), (11, 12)', min_size => 3);
SELECT * FROM components('VALUES (1, 2)', seed => '{{2,9},{20,30}}');
SELECT count(*) FROM components(NULL);
SELECT count(*) FROM components('SELECT 1::bigint, 2::bigint WHERE false');

-- Bad edges queries.
SELECT * FROM components('SELECT 1');
SELECT * FROM components('SELECT 1, 2, 3, 4');
SELECT * FROM components('VALUES (1, 2)', min_weight => 0);
SELECT * FROM components($$SELECT 'x', 2$$);
SELECT * FROM components($$SELECT 1, 2, 'heavy'$$);
SELECT * FROM components('SELECT 1, 2; SELECT 3, 4');
SELECT * FROM components('CREATE TABLE nope (a int)');
SELECT * FROM components('INSERT INTO cc_edges VALUES (1, 2) RETURNING a, b');
SELECT * FROM components('WITH d AS (DELETE FROM cc_edges RETURNING a, b) SELECT a, b FROM d');
SELECT * FROM components('SELECT a, b FROM cc_edges FOR UPDATE');
SELECT count(*) AS untouched FROM cc_edges;
SELECT * FROM components('SELECT * FROM no_such_table');
SELECT * FROM components('VALUES (1, 2)', min_weight => 'NaN');

-- The query runs with the caller's rights.
CREATE SCHEMA cc_private;
CREATE TABLE cc_private.edges AS SELECT * FROM cc_edges LIMIT 10;
CREATE ROLE cc_reader;
GRANT USAGE ON SCHEMA sybil, cc_private TO cc_reader;
SET ROLE cc_reader;
SELECT count(*) FROM sybil.components('SELECT a, b FROM cc_private.edges');
RESET ROLE;
GRANT SELECT ON cc_private.edges TO cc_reader;
SET ROLE cc_reader;
SELECT count(*) FROM sybil.components('SELECT a, b FROM cc_private.edges');
RESET ROLE;
DROP SCHEMA cc_private CASCADE;
DROP OWNED BY cc_reader;
DROP ROLE cc_reader;

-- sybil.graph_memory_limit stops a graph that outgrows it.
-- (terse: how much was held depends on allocation sizes)
\set VERBOSITY terse
SET sybil.graph_memory_limit = '1MB';
SELECT count(*) FROM components('SELECT g, g + 1 FROM generate_series(1, 1000000) g');
SELECT node_count(components_agg(g, g + 1)) FROM generate_series(1, 1000000) g;
-- Reading a stored set builds no graph: no limit.
SELECT node_count(c), length(c::text) AS text_length FROM cc_serial;
RESET sybil.graph_memory_limit;
\set VERBOSITY default
SET sybil.graph_memory_limit = '100kB';

-- statement_timeout cancels a long graph.
SET statement_timeout = '200ms';
SELECT count(*) FROM components('SELECT g, g + 1 FROM generate_series(1, 1000000000) g');
RESET statement_timeout;

DROP TABLE cc_edges, cc_serial;
