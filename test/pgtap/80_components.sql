-- components_agg, components_union and the sybil.component_set functions on
-- ~230 random graphs of many shapes (sparse, forests, one giant component,
-- many singletons, stars, chains, cliques, repeated and reversed edges, NULL
-- ends, a star with 100,000 leaves, a chain of 50,000 nodes, pgRouting's
-- sample graph) over node ids of many kinds, against the connected components
-- that networkx computed from the same edges
-- (test/reference/components_reference.py).  Serial plans only:
-- 81_components_parallel compares parallel ones, 82_components_query checks
-- sybil.components().
\set QUIET 1
\set ON_ERROR_STOP 1
BEGIN;
SET LOCAL client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS pg_sybil;
CREATE SCHEMA t80;
SET LOCAL search_path = t80, public;
SET LOCAL max_parallel_workers_per_gather = 0;   -- serial here; 81_components_parallel compares

SELECT plan(29);
\ir lib/helpers.psql
\ir generated/components.sql

\ir lib/components_helpers.psql

CREATE INDEX ON cc_edge (gid, seq);
ANALYZE cc_edge;

-- The state of every graph, one plain aggregate per graph (edges in input order).
CREATE TABLE agg AS
  SELECT g.gid, (SELECT sybil.components_agg(e.a, e.b) FROM cc_edge e WHERE e.gid = g.gid) AS c
    FROM cc_graph g;
CREATE TABLE agg_rows AS SELECT a.gid, r.* FROM agg a, sybil.component_rows(a.c) r;

SELECT diag(format('%s graphs (%s with NULL ends), %s edges, %s nodes; shapes: %s',
                   (SELECT count(*) FROM cc_graph), (SELECT count(*) FROM cc_graph WHERE null_ends),
                   (SELECT count(*) FROM cc_edge), (SELECT count(*) FROM cc_expect),
                   (SELECT string_agg(DISTINCT shape, ' ') FROM cc_graph)));

-- networkx's partition of every graph as a state, to compare states with:
-- its canonical text read in, or for the two graphs too big for a text, the
-- edges (node, component) of networkx's rows (a star per component).  The
-- second assertion checks that these states hold exactly networkx's rows.
CREATE TABLE want AS
  SELECT g.gid, CASE WHEN g.text_form IS NOT NULL THEN g.text_form::sybil.component_set
                     ELSE (SELECT sybil.components_agg(e.node, e.component) FROM cc_expect e WHERE e.gid = g.gid)
                END AS c
    FROM cc_graph g;

SELECT pg_temp.same_rows('components_agg: every graph''s (node, component, size) rows = networkx''s',
  'SELECT gid, node, component, component_size FROM agg_rows',
  'SELECT gid, node, component, component_size FROM cc_expect');
SELECT pg_temp.same_rows('networkx''s partitions as states (its canonical text, or a star per component) hold networkx''s rows',
  'SELECT w.gid, r.* FROM want w, sybil.component_rows(w.c) r',
  'SELECT gid, node, component, component_size FROM cc_expect');
SELECT results_eq(
  'SELECT a.gid, a.node, a.component, a.component_size FROM t80.agg_rows a JOIN t80.cc_graph g USING (gid)
    WHERE g.n_nodes <= 5000 ORDER BY a.gid, a.node',
  'SELECT e.gid, e.node, e.component, e.component_size FROM t80.cc_expect e JOIN t80.cc_graph g USING (gid)
    WHERE g.n_nodes <= 5000 ORDER BY e.gid, e.node',
  'components_agg rows ordered by graph and node = networkx''s, row for row (graphs of up to 5,000 nodes)');
SELECT pg_temp.check_rows('components_agg = networkx''s partition (sybil.=) for every graph; NULL for a graph without a node',
  $$SELECT g.gid, pg_temp.same_c(a.c, w.c) AND (a.c IS NULL) = (g.n_nodes = 0),
           format('%s/%s, %s nodes: got %s, want %s', g.shape, g.id_kind, g.n_nodes, left(a.c::text, 100), left(w.c::text, 100))
      FROM cc_graph g JOIN agg a USING (gid) JOIN want w USING (gid)$$);
SELECT ok((SELECT count(*) FROM cc_graph WHERE n_nodes = 0) > 0
          AND (SELECT count(*) FROM cc_graph WHERE null_ends AND n_nodes > 0) > 10,
          'the fixture has a graph of (NULL, NULL) edges only, and graphs with NULL ends');

SELECT pg_temp.check_rows('node_count and component_count = networkx''s counts',
  $$SELECT g.gid, sybil.node_count(a.c) = g.n_nodes AND sybil.component_count(a.c) = g.n_components,
           format('%s/%s: nodes %s (want %s), components %s (want %s)', g.shape, g.id_kind,
                  sybil.node_count(a.c), g.n_nodes, sybil.component_count(a.c), g.n_components)
      FROM cc_graph g JOIN agg a USING (gid) WHERE g.n_nodes > 0$$);

-- component_of reads the whole state at each call: every node of the graphs
-- of up to 400 nodes, 1 in 20 up to 5,000 nodes, 1 in 2,000 beyond
SELECT pg_temp.check_rows('component_of(state, node) = networkx''s component (its smallest id), on a sample of every graph''s nodes',
  $$SELECT gid || ':' || node, got IS NOT DISTINCT FROM component, format('got %s, want %s', got, component)
      FROM (SELECT e.gid, e.node, e.component, sybil.component_of(a.c, e.node) AS got
              FROM cc_expect e JOIN agg a USING (gid) JOIN cc_graph g USING (gid)
             WHERE g.n_nodes <= 400 OR hashint8(e.node) % (CASE WHEN g.n_nodes <= 5000 THEN 20 ELSE 2000 END) = 0
            OFFSET 0) s$$);
SELECT pg_temp.check_rows('component_of(state, an id that is no node) is NULL',
  $$SELECT g.gid || ':' || g.absent_node, sybil.component_of(a.c, g.absent_node) IS NULL,
           format('got %s', sybil.component_of(a.c, g.absent_node))
      FROM cc_graph g JOIN agg a USING (gid) WHERE a.c IS NOT NULL$$);

SELECT pg_temp.same_rows('component_rows(state, min_size) = networkx''s rows of the components of at least min_size nodes',
  'SELECT a.gid, r.* FROM agg a JOIN cc_graph g USING (gid), sybil.component_rows(a.c, g.min_size) r',
  'SELECT e.gid, e.node, e.component, e.component_size FROM cc_expect e JOIN cc_graph g USING (gid)
    WHERE e.component_size >= g.min_size');
SELECT ok((SELECT count(*) FROM cc_graph g WHERE min_size > 1
              AND EXISTS (SELECT FROM cc_expect e WHERE e.gid = g.gid AND e.component_size = g.min_size)) > 10,
          'min_size is often the size of a component there is');

-- text form
SELECT pg_temp.check_rows('the text of the state = networkx''s canonical text (graphs of up to 5,000 nodes)',
  $$SELECT g.gid, a.c::text = g.text_form,
           format('got %s, want %s', left(a.c::text, 150), left(g.text_form, 150))
      FROM cc_graph g JOIN agg a USING (gid) WHERE g.text_form IS NOT NULL$$);
SELECT pg_temp.check_rows('networkx''s canonical text read in prints the same',
  $$SELECT gid, text_form::sybil.component_set::text = text_form, left(text_form, 150)
      FROM cc_graph WHERE text_form IS NOT NULL$$);
SELECT pg_temp.check_rows('the partition written in shuffled order, with blanks and + signs, reads as the state and prints canonically',
  $$SELECT g.gid, g.shuffled_text::sybil.component_set OPERATOR(sybil.=) a.c
                  AND g.shuffled_text::sybil.component_set::text = g.text_form,
           format('read %s, want %s', left(g.shuffled_text::sybil.component_set::text, 150), left(g.text_form, 150))
      FROM cc_graph g JOIN agg a USING (gid) WHERE g.shuffled_text IS NOT NULL$$);
SELECT pg_temp.same_rows('the big graphs (a star of 100,000 leaves, a chain of 50,000): the state''s text read back holds networkx''s rows',
  'SELECT a.gid, r.* FROM agg a JOIN cc_graph g USING (gid), sybil.component_rows(a.c::text::sybil.component_set) r
    WHERE g.n_nodes > 5000',
  'SELECT e.gid, e.node, e.component, e.component_size FROM cc_expect e JOIN cc_graph g USING (gid) WHERE g.n_nodes > 5000');

-- equality
CREATE TABLE small AS
  SELECT g.gid, a.c, g.text_form FROM cc_graph g JOIN agg a USING (gid) WHERE g.n_nodes BETWEEN 1 AND 400;
SELECT pg_temp.check_rows('= and <> between the states of every two graphs of up to 400 nodes agree with networkx''s texts',
  $$SELECT x.gid || '/' || y.gid,
           (x.c OPERATOR(sybil.=) y.c) = (x.text_form = y.text_form)
           AND (x.c OPERATOR(sybil.<>) y.c) = (x.text_form <> y.text_form),
           format('%s vs %s', left(x.text_form, 80), left(y.text_form, 80))
      FROM small x, small y$$);
SELECT cmp_ok((SELECT count(*)::int FROM small x, small y WHERE x.gid < y.gid AND x.text_form = y.text_form), '>', 0,
              'some two different graphs have the same partition (equal states)');

-- grouped: sorted and hashed aggregation, a spilling hash aggregation,
-- ORDER BY in the aggregate
SET LOCAL enable_hashagg = off;
SELECT alike(pg_temp.plan_of('SELECT gid, sybil.components_agg(a, b) FROM t80.cc_edge GROUP BY gid'),
             '%GroupAggregate%', 'with enable_hashagg off, GROUP BY gid sorts');
CREATE TABLE by_sort AS SELECT gid, sybil.components_agg(a, b) AS c FROM cc_edge GROUP BY gid;
RESET enable_hashagg;
SET LOCAL enable_sort = off;
SET LOCAL enable_incremental_sort = off;
SELECT alike(pg_temp.plan_of('SELECT gid, sybil.components_agg(a, b) FROM t80.cc_edge GROUP BY gid'),
             '%HashAggregate%', 'with enable_sort off, GROUP BY gid hashes');
CREATE TABLE by_hash AS SELECT gid, sybil.components_agg(a, b) AS c FROM cc_edge GROUP BY gid;
SET LOCAL work_mem = '64kB';
SET LOCAL hash_mem_multiplier = 1;
CREATE TABLE spill_plan AS
  SELECT pg_temp.plan_of('CREATE TABLE t80.spilled AS SELECT gid, part, sybil.components_agg(a, b) AS c
                            FROM t80.cc_edge GROUP BY gid, part', true) AS plan;
RESET work_mem;
RESET hash_mem_multiplier;
RESET enable_sort;
RESET enable_incremental_sort;
SELECT pg_temp.check_rows('GROUP BY gid, part under a 64kB work_mem: a hash aggregation that spills to disk',
  $$SELECT 'plan', plan ~ 'HashAggregate' AND (regexp_match(plan, 'Batches: (\d+)'))[1]::int > 1, plan
      FROM spill_plan$$);
CREATE TABLE by_order AS
  SELECT gid, sybil.components_agg(a, b ORDER BY seq DESC) AS c_desc,
         sybil.components_agg(a, b ORDER BY md5(seq::text)) AS c_shuffled
    FROM cc_edge GROUP BY gid;
SELECT pg_temp.check_rows('GROUP BY gid (sorted; hashed, all the graphs in one hash table; spilled by (gid, part) then unioned; ORDER BY seq DESC and shuffled in the aggregate): networkx''s partition for every graph',
  $$SELECT g.gid, pg_temp.same_c(s.c, w.c) AND pg_temp.same_c(h.c, w.c) AND pg_temp.same_c(u.c, w.c)
                  AND pg_temp.same_c(o.c_desc, w.c) AND pg_temp.same_c(o.c_shuffled, w.c),
           format('%s/%s: sorted %s, hashed %s, spilled %s, desc %s, shuffled %s, want %s', g.shape, g.id_kind,
                  left(s.c::text, 60), left(h.c::text, 60), left(u.c::text, 60), left(o.c_desc::text, 60),
                  left(o.c_shuffled::text, 60), left(w.c::text, 60))
      FROM cc_graph g JOIN want w USING (gid)
      LEFT JOIN by_sort s USING (gid) LEFT JOIN by_hash h USING (gid) LEFT JOIN by_order o USING (gid)
      LEFT JOIN (SELECT gid, sybil.components_union(c) AS c FROM spilled GROUP BY gid) u USING (gid)$$);

-- merged partial states
CREATE TABLE part_state AS
  SELECT gid, part, sybil.components_agg(a, b) AS c FROM cc_edge GROUP BY gid, part;
SELECT pg_temp.check_rows('components_union of the states of the 4 parts of each graph (also: shuffled, with NULL states, as a union of the unions of parts 0-1 and 2-3) = networkx''s partition',
  $$SELECT w.gid, pg_temp.same_c(u0.c, w.c) AND pg_temp.same_c(u1.c, w.c) AND pg_temp.same_c(u2.c, w.c),
           format('union %s, shuffled %s, nested %s, want %s', left(u0.c::text, 80), left(u1.c::text, 80),
                  left(u2.c::text, 80), left(w.c::text, 80))
      FROM want w
      LEFT JOIN (SELECT gid, sybil.components_union(c) AS c FROM part_state GROUP BY gid) u0 USING (gid)
      LEFT JOIN (SELECT gid, sybil.components_union(c ORDER BY md5(gid || '/' || part)) AS c
                   FROM (SELECT gid, part, c FROM part_state
                         UNION ALL SELECT gid, -1, NULL::sybil.component_set FROM cc_graph) s GROUP BY gid) u1 USING (gid)
      LEFT JOIN (SELECT gid, sybil.components_union(c) AS c
                   FROM (SELECT gid, part / 2 AS half, sybil.components_union(c) AS c FROM part_state GROUP BY 1, 2) h
                  GROUP BY gid) u2 USING (gid)$$);
SELECT pg_temp.same_rows('components_union of the states of parts 0 and 1 = networkx''s components of those edges',
  'SELECT u.gid, r.* FROM (SELECT gid, sybil.components_union(c) AS c FROM part_state WHERE part <= 1 GROUP BY gid) u,
          sybil.component_rows(u.c) r',
  'SELECT * FROM cc_expect_p01');
SELECT ok((SELECT sybil.components_union(c) IS NULL FROM part_state WHERE false)
          AND (SELECT sybil.components_union(c) IS NULL FROM (VALUES (NULL::sybil.component_set)) v(c))
          AND (SELECT sybil.components_agg(a, b) IS NULL FROM cc_edge WHERE false),
          'components_agg and components_union over no rows, components_union of NULL: NULL');

-- window frames
CREATE TABLE win AS
  SELECT gid, seq, n_edges,
         sybil.components_agg(a, b) OVER (PARTITION BY gid ORDER BY seq) AS running,
         sybil.components_agg(a, b) OVER (PARTITION BY gid) AS whole
    FROM cc_edge JOIN cc_graph USING (gid) WHERE n_edges <= 400;
SELECT pg_temp.check_rows('window over each graph (of up to 400 edges): on every row its partition; a running window ends with it',
  $$SELECT x.gid || ':' || x.seq,
           pg_temp.same_c(x.whole, w.c) AND (x.seq < x.n_edges OR pg_temp.same_c(x.running, w.c)),
           format('whole %s, running %s, want %s', left(x.whole::text, 80), left(x.running::text, 80), left(w.c::text, 80))
      FROM win x JOIN want w USING (gid)$$);

-- binary form through COPY (FORMAT binary): component_set_recv takes an
-- internal buffer, so SQL reaches it only that way
CREATE TABLE back_c (gid int, c sybil.component_set);
CREATE TABLE back_bytes (gid int, c sybil.component_set);
CREATE FUNCTION pg_temp.may_copy_files() RETURNS bool LANGUAGE sql AS $$
  SELECT rolsuper OR (pg_has_role(current_user, 'pg_write_server_files', 'member')
                      AND pg_has_role(current_user, 'pg_read_server_files', 'member'))
    FROM pg_roles WHERE rolname = current_user
$$;
SELECT pg_temp.may_copy_files() AS may_copy \gset
\if :may_copy
SELECT format('/tmp/pg_sybil_pgtap_cc_%s.bin', pg_backend_pid()) AS scratch \gset
SELECT 'rm -f ' || :'scratch' AS scratch_rm \gset
COPY (SELECT gid, c FROM t80.agg ORDER BY gid) TO :'scratch' WITH (FORMAT binary);
COPY t80.back_c FROM :'scratch' WITH (FORMAT binary);
COPY (SELECT gid, sybil.component_set_send(c) FROM t80.agg ORDER BY gid) TO :'scratch' WITH (FORMAT binary);
COPY t80.back_bytes FROM :'scratch' WITH (FORMAT binary);
COPY (SELECT 1 WHERE false) TO PROGRAM :'scratch_rm';
SELECT pg_temp.check_rows('COPY BINARY of every state and back, and recv of the bytes of send: networkx''s partition (NULL too), the canonical text',
  $$SELECT gid, pg_temp.same_c(b.c, w.c) AND pg_temp.same_c(y.c, w.c) AND (b.c IS NULL) = (g.n_nodes = 0)
                AND b.c::text IS NOT DISTINCT FROM coalesce(g.text_form, a.c::text)
                AND y.c::text IS NOT DISTINCT FROM coalesce(g.text_form, a.c::text),
           format('received %s and %s, want %s', left(b.c::text, 80), left(y.c::text, 80), left(w.c::text, 80))
      FROM want w JOIN cc_graph g USING (gid) LEFT JOIN agg a USING (gid)
      LEFT JOIN back_c b USING (gid) LEFT JOIN back_bytes y USING (gid)$$);
SELECT pg_temp.same_rows('COPY BINARY of every state and back: networkx''s rows',
  'SELECT b.gid, r.* FROM back_c b, sybil.component_rows(b.c) r',
  'SELECT * FROM cc_expect');
SELECT pg_temp.check_rows('component_set_send depends on the partition only: the same bytes from the aggregate, the canonical and shuffled texts, the value received',
  $$SELECT gid, sybil.component_set_send(a.c) = sybil.component_set_send(w.c)
                AND sybil.component_set_send(a.c) = sybil.component_set_send(g.shuffled_text::sybil.component_set)
                AND sybil.component_set_send(a.c) = sybil.component_set_send(b.c),
           left(g.text_form, 150)
      FROM agg a JOIN want w USING (gid) JOIN back_bytes b USING (gid) JOIN cc_graph g USING (gid)
     WHERE g.text_form IS NOT NULL$$);
\else
SELECT skip('cannot write and read server files (needs superuser or pg_write/read_server_files)', 3);
\endif

-- pgRouting's documented sample graph
SELECT results_eq(
  $$SELECT r.component, r.node FROM t80.agg a JOIN t80.cc_graph g USING (gid), sybil.component_rows(a.c) r
     WHERE g.shape = 'pgrouting_sample' ORDER BY 1, 2$$,
  $$VALUES (1::bigint, 1::bigint), (1, 3), (1, 5), (1, 6), (1, 7), (1, 8), (1, 9), (1, 10), (1, 11), (1, 12),
           (1, 15), (1, 16), (1, 17), (2, 2), (2, 4), (13, 13), (13, 14)$$,
  'pgRouting''s sample graph: the components that pgRouting''s manual documents for pgr_connectedComponents');
SELECT is((SELECT a.c::text FROM agg a JOIN cc_graph g USING (gid) WHERE g.shape = 'pgrouting_sample'),
          '{{1,3,5,6,7,8,9,10,11,12,15,16,17},{2,4},{13,14}}', 'pgRouting''s sample graph: its text');

SELECT * FROM finish();
ROLLBACK;
