-- sybil.communities() and sybil.cluster_stats().
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS pg_sybil;
RESET client_min_messages;
SET search_path = sybil, public;

-- Two triangles joined by one edge: two communities named after their
-- smallest node, the modularity of the partition on every row.
CREATE TABLE cm_edges (a bigint, b bigint, w float8);
INSERT INTO cm_edges VALUES (1, 2, 1), (2, 3, 1), (1, 3, 1), (10, 11, 1), (11, 12, 1), (10, 12, 1),
                            (3, 10, 1);
SELECT * FROM communities('SELECT a, b FROM cm_edges');
-- Weights (any numeric type) add up over repeated edges; a heavy bridge
-- pulls its ends together.
SELECT * FROM communities($$SELECT a, b, CASE WHEN a = 3 THEN 20 ELSE 1 END::numeric FROM cm_edges$$);
SELECT * FROM communities($$VALUES (1::smallint, 2::integer, 1::real), (2, 1, 2), (2, 3, 0.5)$$);
-- Self-loops, a NULL end (the other end alone), both ends NULL (skipped), a
-- NULL or zero weight (the nodes, no edge).
SELECT * FROM communities($$VALUES (1, 2, 1.0), (2, 2, 3.0), (5, NULL, 1.0), (NULL, NULL, 1.0),
                                   (6, 7, NULL), (8, 9, 0.0)$$);
-- No edge weight at all: everybody alone, modularity NULL (0/0).
SELECT * FROM communities('VALUES (1, NULL::bigint), (2, NULL)');
SELECT count(*) FROM communities(NULL);
SELECT count(*) FROM communities('SELECT 1::bigint, 2::bigint WHERE false');

-- A ring of 30 five-cliques: at resolution 1 modularity merges neighbouring
-- cliques (its resolution limit); a higher resolution finds the cliques.
CREATE TABLE cm_ring AS
  SELECT k * 5 + i AS a, k * 5 + j AS b FROM generate_series(0, 29) k, generate_series(0, 4) i,
         generate_series(0, 4) j WHERE i < j
  UNION ALL
  SELECT k * 5, ((k + 1) % 30) * 5 + 1 FROM generate_series(0, 29) k;
SELECT resolution, count(DISTINCT community) AS communities, min(community_size), max(community_size),
       round(min(modularity)::numeric, 6) AS modularity
  FROM unnest(ARRAY[0.5, 1, 2, 4]) resolution, communities('TABLE cm_ring', resolution => resolution)
 GROUP BY resolution ORDER BY resolution;
-- min_size skips small communities; the same seed gives the same rows.
SELECT count(*), min(community_size) FROM communities('TABLE cm_ring', resolution => 0.5, min_size => 11);
SELECT (SELECT array_agg(row(c.*)) FROM communities('TABLE cm_ring', seed => 7) c)
     = (SELECT array_agg(row(c.*)) FROM communities('TABLE cm_ring', seed => 7) c) AS same_seed_same_rows;
-- NULL options take their defaults.
SELECT count(DISTINCT community) FROM communities('TABLE cm_ring', NULL, NULL, NULL);

-- Bad arguments.
SELECT * FROM communities('TABLE cm_ring', resolution => 0);
SELECT * FROM communities('TABLE cm_ring', resolution => -1);
SELECT * FROM communities('TABLE cm_ring', resolution => 'NaN');
SELECT * FROM communities('TABLE cm_ring', resolution => 'Infinity');
SELECT * FROM communities('SELECT 1');
SELECT * FROM communities('SELECT 1, 2, 3, 4');
SELECT * FROM communities($$SELECT 'x', 2$$);
SELECT * FROM communities($$SELECT 1, 2.5$$);
SELECT * FROM communities($$SELECT 1, 2, 'heavy'$$);
SELECT * FROM communities('VALUES (1, 2, -1.0)');
SELECT * FROM communities($$VALUES (1, 2, 'NaN'::float8)$$);
SELECT * FROM communities($$VALUES (1, 2, 'Infinity'::float8)$$);
SELECT * FROM communities('VALUES (1, 2, 1e308::float8), (2, 3, 1e308::float8)');
SELECT * FROM communities('SELECT 1, 2; SELECT 3, 4');
SELECT * FROM communities('DELETE FROM cm_edges RETURNING a, b');
SELECT * FROM communities('SELECT * FROM no_such_table');
SELECT count(*) AS untouched FROM cm_edges;

-- sybil.cluster_stats: the communities above, ranked for review.
SELECT * FROM cluster_stats('SELECT a, b FROM cm_edges',
                            'SELECT node, community FROM sybil.communities(''SELECT a, b FROM cm_edges'')');
-- Weights; a member without edges; a node of no cluster (its edges are cut
-- edges of the cluster across); a repeated row; NULLs skipped; a cluster
-- holding every edge has no conductance, a single node no density.
SELECT * FROM cluster_stats($$VALUES (1, 2, 2.0), (2, 3, 1.0), (3, 4, 0.5), (1, 2, 1.0), (4, 4, 1.0)$$,
                            $$VALUES (1, 100), (2, 100), (2, 100), (4, 200), (9, 200), (NULL, 300), (3, NULL)$$);
SELECT * FROM cluster_stats('VALUES (1, 2), (2, 3)', 'VALUES (1, -5), (2, -5), (3, -5)');
SELECT count(*) FROM cluster_stats(NULL, 'VALUES (1, 1)');
SELECT count(*) FROM cluster_stats('VALUES (1, 2)', 'SELECT 1, 1 WHERE false');
-- Bad arguments.
SELECT * FROM cluster_stats('VALUES (1, 2)', 'VALUES (1, 10), (1, 11)');
SELECT * FROM cluster_stats('VALUES (1, 2)', 'SELECT 1');
SELECT * FROM cluster_stats('VALUES (1, 2)', 'SELECT 1, 2, 3');
SELECT * FROM cluster_stats('VALUES (1, 2)', $$SELECT 1, 'x'$$);
SELECT * FROM cluster_stats('VALUES (1, 2, -3)', 'VALUES (1, 1)');
SELECT * FROM cluster_stats('VALUES (1, 2)', 'UPDATE cm_edges SET w = 0 RETURNING a, b');

-- The queries run with the caller's rights.
CREATE SCHEMA cm_private;
CREATE TABLE cm_private.edges AS SELECT * FROM cm_edges;
CREATE ROLE cm_reader;
GRANT USAGE ON SCHEMA sybil, cm_private TO cm_reader;
SET ROLE cm_reader;
SELECT count(*) FROM sybil.communities('SELECT a, b FROM cm_private.edges');
SELECT count(*) FROM sybil.cluster_stats('VALUES (1, 2)', 'SELECT a, a FROM cm_private.edges');
RESET ROLE;
GRANT SELECT ON cm_private.edges TO cm_reader;
SET ROLE cm_reader;
SELECT count(*) FROM sybil.communities('SELECT a, b FROM cm_private.edges');
SELECT count(*) FROM sybil.cluster_stats('SELECT a, b FROM cm_private.edges', 'SELECT a, a FROM cm_private.edges');
RESET ROLE;
DROP SCHEMA cm_private CASCADE;
DROP OWNED BY cm_reader;
DROP ROLE cm_reader;

-- sybil.graph_memory_limit stops a graph that outgrows it.
-- (terse: how much was held depends on allocation sizes)
\set VERBOSITY terse
SET sybil.graph_memory_limit = '1MB';
SELECT count(*) FROM communities('SELECT g, g + 1 FROM generate_series(1, 200000) g');
SELECT count(*) FROM cluster_stats('SELECT g, g + 1 FROM generate_series(1, 200000) g', 'VALUES (1, 1)');
RESET sybil.graph_memory_limit;
-- statement_timeout cancels a long run (terse: the rows may still be
-- being read when the timeout comes, on a slow server).
SET statement_timeout = '300ms';
SELECT count(*) FROM communities('SELECT g, (g * 7919) % 3000000 FROM generate_series(1, 3000000::bigint) g');
RESET statement_timeout;
\set VERBOSITY default

DROP TABLE cm_edges, cm_ring;
