-- sybil.components(edges_query, min_weight, min_size, seed) on ~230 random
-- graphs of many shapes (see 80_components.sql) against networkx's connected
-- components of the same edges (test/reference/components_reference.py):
-- node columns of every integer type, weights of every numeric type with a
-- min_weight (NULL and NaN weights drop the edge), min_size, a seed partition
-- merged with the edges of the query, and pgRouting's sample graph.  The
-- function runs one query per graph.
\set QUIET 1
\set ON_ERROR_STOP 1
BEGIN;
SET LOCAL client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS pg_sybil;
CREATE SCHEMA t82;
SET LOCAL search_path = t82, public;
SET LOCAL max_parallel_workers_per_gather = 0;

SELECT plan(19);
\ir lib/helpers.psql
\ir generated/components.sql

\ir lib/components_helpers.psql

CREATE INDEX ON cc_edge (gid, seq);
ANALYZE cc_edge;

-- components(query) per graph: the query text of graph gid, with the given
-- select list and condition
CREATE FUNCTION pg_temp.q(gid int, cols text DEFAULT 'a, b', cond text DEFAULT 'true') RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT format('SELECT %s FROM t82.cc_edge WHERE gid = %s AND (%s) ORDER BY seq', cols, gid, cond)
$$;
-- the aggregate over some edges of graph gid, for seeds
CREATE FUNCTION pg_temp.agg_of(gid int, cond text) RETURNS sybil.component_set LANGUAGE plpgsql AS $$
DECLARE
  c sybil.component_set;
BEGIN
  EXECUTE format('SELECT sybil.components_agg(a, b ORDER BY seq) FROM t82.cc_edge WHERE gid = %s AND (%s)', gid, cond)
    INTO c;
  RETURN c;
END
$$;

CREATE TABLE q_all AS
  SELECT g.gid, r.node, r.component, r.component_size FROM cc_graph g, sybil.components(pg_temp.q(g.gid)) r;
SELECT pg_temp.same_rows('components(edges query): every graph''s (node, component, size) rows = networkx''s',
  'SELECT * FROM q_all', 'SELECT * FROM cc_expect');
SELECT results_eq(
  'SELECT q.* FROM t82.q_all q JOIN t82.cc_graph g USING (gid) WHERE g.n_nodes <= 5000 ORDER BY q.gid, q.node',
  'SELECT e.* FROM t82.cc_expect e JOIN t82.cc_graph g USING (gid) WHERE g.n_nodes <= 5000 ORDER BY e.gid, e.node',
  'components(edges query) ordered by graph and node = networkx''s, row for row (graphs of up to 5,000 nodes)');
SELECT is((SELECT count(*)::int FROM cc_graph g, sybil.components(pg_temp.q(g.gid)) r WHERE g.n_nodes = 0)
          + (SELECT count(*)::int FROM sybil.components(pg_temp.q(1, 'a, b', 'false'))), 0,
          'components of edges that are all (NULL, NULL), and of no edges: no rows');

-- node columns of other integer types, for the graphs whose ids fit
CREATE TABLE fits AS
  SELECT gid, bool_and(coalesce(a, 0) BETWEEN -32768 AND 32767 AND coalesce(b, 0) BETWEEN -32768 AND 32767) AS int2,
         bool_and(coalesce(a, 0) BETWEEN -2147483648 AND 2147483647
                  AND coalesce(b, 0) BETWEEN -2147483648 AND 2147483647) AS int4
    FROM cc_edge GROUP BY gid;
SELECT ok((SELECT count(*) FROM fits WHERE int2) > 10 AND (SELECT count(*) FROM fits WHERE int4 AND NOT int2) > 0,
          'many graphs have ids that fit in smallint, some others in integer');
SELECT pg_temp.same_rows('components(SELECT a::int, b::int), (a::smallint, b::int), (a::int, b::smallint): networkx''s rows where the ids fit',
  $$SELECT g.gid, 'int4' AS t, r.* FROM cc_graph g JOIN fits f USING (gid), sybil.components(pg_temp.q(g.gid, 'a::int, b::int')) r
     WHERE f.int4
    UNION ALL
    SELECT g.gid, 'int2/4', r.* FROM cc_graph g JOIN fits f USING (gid), sybil.components(pg_temp.q(g.gid, 'a::int2, b::int')) r
     WHERE f.int2
    UNION ALL
    SELECT g.gid, 'int4/2', r.* FROM cc_graph g JOIN fits f USING (gid), sybil.components(pg_temp.q(g.gid, 'a::int, b::int2')) r
     WHERE f.int2$$,
  $$SELECT e.gid, 'int4' AS t, e.node, e.component, e.component_size FROM cc_expect e JOIN fits f USING (gid) WHERE f.int4
    UNION ALL
    SELECT e.gid, 'int2/4', e.node, e.component, e.component_size FROM cc_expect e JOIN fits f USING (gid) WHERE f.int2
    UNION ALL
    SELECT e.gid, 'int4/2', e.node, e.component, e.component_size FROM cc_expect e JOIN fits f USING (gid) WHERE f.int2$$);
SELECT pg_temp.same_rows('components(SELECT a, b, weight) without min_weight: the weights (NULL, NaN too) are ignored',
  $$SELECT g.gid, r.* FROM cc_graph g, sybil.components(pg_temp.q(g.gid, 'a, b, w')) r$$,
  'SELECT * FROM cc_expect');

-- min_size
SELECT pg_temp.same_rows('components(query, min_size => k) = networkx''s rows of the components of at least k nodes',
  'SELECT g.gid, r.* FROM cc_graph g, sybil.components(pg_temp.q(g.gid), min_size => g.min_size) r',
  'SELECT e.* FROM cc_expect e JOIN cc_graph g USING (gid) WHERE e.component_size >= g.min_size');

-- min_weight: networkx's components of the edges of weight >= min_weight
SELECT ok((SELECT count(*) FROM cc_edge e JOIN cc_graph g USING (gid) WHERE e.w = g.min_weight) > 10
          AND (SELECT count(*) FROM cc_edge WHERE w IS NULL) > 10 AND (SELECT count(*) FROM cc_edge WHERE w = 'NaN') > 10
          AND (SELECT count(*) FROM cc_edge WHERE w < 0) > 10,
          'the weights have ties with min_weight, NULLs, NaNs and negative values');
SELECT pg_temp.same_rows('components(SELECT a, b, w::numeric, min_weight): networkx''s rows of the edges of weight >= min_weight (NULL and NaN dropped)',
  $$SELECT g.gid, r.* FROM cc_graph g, sybil.components(pg_temp.q(g.gid, 'a, b, w'), min_weight => g.min_weight::float8) r$$,
  'SELECT * FROM cc_expect_w');
SELECT pg_temp.same_rows('components(SELECT a, b, w::float8, min_weight): networkx''s rows',
  $$SELECT g.gid, r.* FROM cc_graph g, sybil.components(pg_temp.q(g.gid, 'a, b, w::float8'), min_weight => g.min_weight::float8) r$$,
  'SELECT * FROM cc_expect_w');
SELECT pg_temp.same_rows('components(SELECT a, b, w::real, min_weight => min_weight::real): networkx''s rows',
  $$SELECT g.gid, r.* FROM cc_graph g,
           sybil.components(pg_temp.q(g.gid, 'a, b, w::float4'), min_weight => g.min_weight::float4::float8) r$$,
  'SELECT * FROM cc_expect_w');
SELECT pg_temp.same_rows('components(SELECT a, b, integer weight in thousandths, min_weight in thousandths): networkx''s rows',
  $$SELECT g.gid, r.* FROM cc_graph g,
           sybil.components(pg_temp.q(g.gid, $q$a, b, CASE WHEN w <> 'NaN' THEN (w * 1000)::int END$q$),
                            min_weight => (g.min_weight * 1000)::float8) r$$,
  'SELECT * FROM cc_expect_w');
SELECT pg_temp.same_rows('components(query, min_weight, min_size): networkx''s rows of the kept edges'' components of at least min_size nodes',
  $$SELECT g.gid, r.* FROM cc_graph g,
           sybil.components(pg_temp.q(g.gid, 'a, b, w'), min_weight => g.min_weight::float8, min_size => g.min_size) r$$,
  'SELECT e.* FROM cc_expect_w e JOIN cc_graph g USING (gid) WHERE e.component_size >= g.min_size');

-- seed: a previous partition merged with the query's edges
SELECT pg_temp.same_rows('components(edges of part 1, seed => components_agg of part 0) = networkx''s components of parts 0 and 1',
  $$SELECT g.gid, r.* FROM cc_graph g,
           sybil.components(pg_temp.q(g.gid, 'a, b', 'part = 1'), seed => pg_temp.agg_of(g.gid, 'part = 0')) r$$,
  'SELECT * FROM cc_expect_p01');
SELECT pg_temp.same_rows('components(edges of part 3, seed => components_agg of parts 0-2) = networkx''s components of the graph',
  $$SELECT g.gid, r.* FROM cc_graph g,
           sybil.components(pg_temp.q(g.gid, 'a, b', 'part = 3'), seed => pg_temp.agg_of(g.gid, 'part <= 2')) r$$,
  'SELECT * FROM cc_expect');
SELECT pg_temp.same_rows('components(weighted edges of part 1, min_weight, seed => components_agg of part 0): networkx''s (the seed''s nodes all stay)',
  $$SELECT g.gid, r.* FROM cc_graph g,
           sybil.components(pg_temp.q(g.gid, 'a, b, w', 'part = 1'), min_weight => g.min_weight::float8,
                            seed => pg_temp.agg_of(g.gid, 'part = 0')) r$$,
  'SELECT * FROM cc_expect_p0w1');
-- the seed read from a table (the big graphs' states are compressed and toasted)
CREATE TABLE stored AS SELECT gid, sybil.components_agg(a, b) AS c FROM cc_edge GROUP BY gid;
SELECT pg_temp.same_rows('components(no edges, seed => the graph''s state from a table, min_size): networkx''s rows of the components of at least min_size nodes',
  $$SELECT g.gid, r.* FROM cc_graph g JOIN stored s USING (gid),
           sybil.components(pg_temp.q(g.gid, 'a, b', 'false'), seed => s.c, min_size => g.min_size) r$$,
  'SELECT e.* FROM cc_expect e JOIN cc_graph g USING (gid) WHERE e.component_size >= g.min_size');

-- pgRouting's sample graph, in pgRouting's table layout
CREATE TABLE edges AS
  SELECT e.seq::bigint AS id, e.a AS source, e.b AS target, 1::float8 AS cost, 1::float8 AS reverse_cost
    FROM cc_edge e JOIN cc_graph g USING (gid) WHERE g.shape = 'pgrouting_sample';
SELECT results_eq(
  $$SELECT component, node FROM sybil.components('SELECT source, target FROM t82.edges') ORDER BY component, node$$,
  $$VALUES (1::bigint, 1::bigint), (1, 3), (1, 5), (1, 6), (1, 7), (1, 8), (1, 9), (1, 10), (1, 11), (1, 12),
           (1, 15), (1, 16), (1, 17), (2, 2), (2, 4), (13, 13), (13, 14)$$,
  'pgRouting''s sample graph: the components that pgRouting''s manual documents for pgr_connectedComponents');
SELECT results_eq(
  $$SELECT node, component, component_size FROM sybil.components('SELECT source, target FROM t82.edges', min_size => 3)
     ORDER BY node$$,
  $$SELECT node, component, component_size FROM t82.cc_expect e JOIN t82.cc_graph g USING (gid)
     WHERE g.shape = 'pgrouting_sample' AND component_size >= 3 ORDER BY node$$,
  'pgRouting''s sample graph, min_size => 3: the component of 13 nodes only (networkx)');

SELECT * FROM finish();
ROLLBACK;
