-- components_agg and components_union give the same partitions serially and
-- in parallel plans (a Parallel Seq Scan feeding Partial aggregates in two or
-- four workers, whose states the leader combines with components_merge), and
-- both are networkx's (test/reference/components_reference.py).  The edges
-- are stored shuffled, so every worker sees a part of every graph and the
-- leader really merges partial states.  force_parallel_mode runs the reading
-- functions in a worker.
\set QUIET 1
\set ON_ERROR_STOP 1
BEGIN;
SET LOCAL client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS pg_sybil;
CREATE SCHEMA t81;
SET LOCAL search_path = t81, public;

SELECT plan(14);
\ir lib/helpers.psql
\ir generated/components.sql

\ir lib/components_helpers.psql

-- networkx's partition of every graph as a state: its canonical text read
-- in, or for the graphs too big for a text, the edges (node, component) of
-- networkx's rows.  The first assertion checks that they hold networkx's rows.
CREATE TABLE want AS
  SELECT g.gid, CASE WHEN g.text_form IS NOT NULL THEN g.text_form::sybil.component_set
                     ELSE (SELECT sybil.components_agg(e.node, e.component) FROM cc_expect e WHERE e.gid = g.gid)
                END AS c
    FROM cc_graph g;
SELECT pg_temp.same_rows('networkx''s partitions as states (its canonical text, or a star per component) hold networkx''s rows',
  'SELECT w.gid, r.* FROM want w, sybil.component_rows(w.c) r',
  'SELECT gid, node, component, component_size FROM cc_expect');

-- The edges in random order, so that every block holds edges of many graphs.
CREATE TABLE shuf AS SELECT * FROM cc_edge ORDER BY md5(gid || '/' || seq);
ANALYZE shuf;
SELECT gid AS star FROM cc_graph WHERE shape = 'star_100k' \gset
SELECT gid AS chain FROM cc_graph WHERE shape = 'chain_50k' \gset
-- Partial states of 32 random parts of each graph, in random order.
CREATE TABLE part_state AS
  SELECT * FROM (SELECT gid, part, seq % 8 AS sub, sybil.components_agg(a, b) AS c
                   FROM cc_edge GROUP BY gid, part, seq % 8) s
   ORDER BY md5(gid || '/' || part || '/' || sub);
ANALYZE part_state;

\set q_gid 'SELECT gid, sybil.components_agg(a, b) AS c FROM t81.shuf GROUP BY gid'
\set q_star 'SELECT sybil.components_agg(a, b) AS c FROM t81.shuf WHERE gid = ' :star
\set q_chain 'SELECT sybil.components_agg(a, b) AS c FROM t81.shuf WHERE gid = ' :chain
\set q_union 'SELECT gid, sybil.components_union(c) AS c FROM t81.part_state GROUP BY gid'

-- serial
SET LOCAL max_parallel_workers_per_gather = 0;
SELECT unalike(pg_temp.plan_of(:'q_gid'), '%Gather%', 'with max_parallel_workers_per_gather = 0 the plan is serial');
CREATE TABLE ser_gid AS :q_gid;
CREATE TABLE ser_star AS :q_star;
CREATE TABLE ser_chain AS :q_chain;

-- parallel: every plan node free, two workers, the leader only combining
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL max_parallel_workers_per_gather = 2;
SET LOCAL parallel_leader_participation = off;
CREATE TABLE plans (name text PRIMARY KEY, plan text);
INSERT INTO plans VALUES
  ('by gid, hashed', pg_temp.plan_of('CREATE TABLE t81.par_gid AS ' || :'q_gid', true)),
  ('star of 100,000 leaves', pg_temp.plan_of('CREATE TABLE t81.par_star AS ' || :'q_star', true)),
  ('chain of 50,000', pg_temp.plan_of('CREATE TABLE t81.par_chain AS ' || :'q_chain', true)),
  ('components_union by gid', pg_temp.plan_of('CREATE TABLE t81.par_union AS ' || :'q_union', true));
SET LOCAL enable_hashagg = off;
INSERT INTO plans VALUES
  ('by gid, sorted', pg_temp.plan_of('CREATE TABLE t81.par_gid_sorted AS ' || :'q_gid', true));
RESET enable_hashagg;
SET LOCAL parallel_leader_participation = on;
SET LOCAL max_parallel_workers_per_gather = 4;
SET LOCAL max_parallel_workers = 4;
INSERT INTO plans VALUES
  ('by gid, 4 workers and the leader', pg_temp.plan_of('CREATE TABLE t81.par_gid4 AS ' || :'q_gid', true));
SET LOCAL max_parallel_workers_per_gather = 2;
RESET max_parallel_workers;

SELECT pg_temp.check_rows('each parallel plan has a Gather over a Partial aggregate over a Parallel Seq Scan, and a Finalize aggregate',
  $$SELECT name, plan ~ 'Gather' AND plan ~ 'Parallel Seq Scan' AND plan ~ 'Partial (Hash|Group)?Aggregate'
                 AND plan ~ 'Finalize (Hash|Group)?Aggregate' AS pass, plan AS detail FROM plans$$);
SELECT pg_temp.check_rows('each parallel plan launched workers',
  $$SELECT name, (regexp_match(plan, 'Workers Launched: (\d+)'))[1]::int >= 1 AS pass, plan AS detail FROM plans$$);
-- Where two processes or more ran the scan, the leader got several partial
-- states of a graph to merge (the Gather passes more states than there are
-- results).  Which process scans what is up to the executor, so this holds
-- for the plans over the big table only, and where two processes ran.
SELECT pg_temp.check_rows('partial states were merged: the Gather passes more states than there are results',
  $$SELECT name, (regexp_match(plan, 'Gather[^\n]*actual rows=(\d+)'))[1]::int
                 > (regexp_match(plan, 'Finalize [^\n]*actual rows=(\d+)'))[1]::int,
           plan
      FROM plans
     WHERE plan ~ 'Parallel Seq Scan on shuf'
       AND (regexp_match(plan, 'Workers Launched: (\d+)'))[1]::int + (name ~ 'leader')::int >= 2$$);
SELECT diag(name || E' plan:\n' || plan) FROM plans WHERE name IN ('by gid, hashed', 'star of 100,000 leaves');

-- per graph
SELECT pg_temp.check_rows('GROUP BY gid: parallel (hashed, sorted, 4 workers) = serial = networkx''s partition, for every graph',
  $$SELECT g.gid, pg_temp.same_c(p.c, w.c) AND pg_temp.same_c(s.c, w.c) AND pg_temp.same_c(ps.c, w.c)
                  AND pg_temp.same_c(p4.c, w.c),
           format('%s/%s: parallel %s, sorted %s, 4 workers %s, serial %s, want %s', g.shape, g.id_kind,
                  left(p.c::text, 60), left(ps.c::text, 60), left(p4.c::text, 60), left(s.c::text, 60),
                  left(w.c::text, 60))
      FROM cc_graph g JOIN want w USING (gid)
      LEFT JOIN par_gid p USING (gid) LEFT JOIN par_gid_sorted ps USING (gid)
      LEFT JOIN par_gid4 p4 USING (gid) LEFT JOIN ser_gid s USING (gid)$$);
SELECT is((SELECT count(*)::int FROM par_gid), (SELECT count(*)::int FROM ser_gid),
          'parallel and serial GROUP BY gid give as many graphs');
SELECT pg_temp.same_rows('parallel GROUP BY gid: every graph''s rows = networkx''s',
  'SELECT p.gid, r.* FROM par_gid p, sybil.component_rows(p.c) r',
  'SELECT gid, node, component, component_size FROM cc_expect');

-- one big graph, its edges split among the workers
SELECT pg_temp.check_rows('the star of 100,000 leaves and the chain of 50,000 nodes: parallel = serial = networkx''s partition',
  $$SELECT 'star', pg_temp.same_c(p.c, w.c) AND pg_temp.same_c(s.c, w.c),
           format('parallel %s nodes, %s components; serial %s, %s', sybil.node_count(p.c), sybil.component_count(p.c),
                  sybil.node_count(s.c), sybil.component_count(s.c))
      FROM par_star p, ser_star s, want w JOIN cc_graph g USING (gid) WHERE g.shape = 'star_100k'
    UNION ALL
    SELECT 'chain', pg_temp.same_c(p.c, w.c) AND pg_temp.same_c(s.c, w.c),
           format('parallel %s nodes, %s components; serial %s, %s', sybil.node_count(p.c), sybil.component_count(p.c),
                  sybil.node_count(s.c), sybil.component_count(s.c))
      FROM par_chain p, ser_chain s, want w JOIN cc_graph g USING (gid) WHERE g.shape = 'chain_50k'$$);
SELECT pg_temp.same_rows('the star and the chain aggregated in parallel: networkx''s rows',
  'SELECT ' || :star || ', r.* FROM par_star p, sybil.component_rows(p.c) r
   UNION ALL SELECT ' || :chain || ', r.* FROM par_chain p, sybil.component_rows(p.c) r',
  'SELECT gid, node, component, component_size FROM cc_expect WHERE gid IN (' || :star || ', ' || :chain || ')');

-- components_union in parallel
SELECT pg_temp.check_rows('components_union of the states of 32 parts of each graph, in parallel: networkx''s partition for every graph',
  $$SELECT w.gid, pg_temp.same_c(u.c, w.c), format('union %s, want %s', left(u.c::text, 100), left(w.c::text, 100))
      FROM want w LEFT JOIN par_union u USING (gid)$$);

-- force_parallel_mode (PostgreSQL 15; debug_parallel_query from 16 on): the
-- reading functions run in a worker
DO $$
BEGIN
  IF current_setting('server_version_num')::int >= 160000 THEN
    PERFORM set_config('debug_parallel_query', 'on', true);
  ELSE
    PERFORM set_config('force_parallel_mode', 'on', true);
  END IF;
END
$$;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
\set q_funcs 'SELECT p.gid, sybil.node_count(p.c) AS n, sybil.component_count(p.c) AS k, sybil.component_of(p.c, g.absent_node) AS absent, sybil.component_set_send(p.c) AS bin, CASE WHEN g.text_form IS NOT NULL THEN p.c::text END AS txt FROM t81.par_gid p JOIN t81.cc_graph g USING (gid)'
\set q_rows 'SELECT p.gid, r.node, r.component, r.component_size, CASE WHEN g.n_nodes <= 400 OR hashint8(r.node) % (CASE WHEN g.n_nodes <= 5000 THEN 20 ELSE 2000 END) = 0 THEN sybil.component_of(p.c, r.node) END AS comp_of FROM t81.par_gid p JOIN t81.cc_graph g USING (gid), sybil.component_rows(p.c, g.min_size) r'
CREATE TABLE forced_plans AS
  SELECT 'scalars' AS name, pg_temp.plan_of('CREATE TABLE t81.worker_funcs AS ' || :'q_funcs', true) AS plan
  UNION ALL
  SELECT 'component_rows', pg_temp.plan_of('CREATE TABLE t81.worker_rows AS ' || :'q_rows', true);
SELECT pg_temp.check_rows('force_parallel_mode runs the reading functions in a parallel worker',
  $$SELECT name, plan ~ 'Single Copy: true' AND (regexp_match(plan, 'Workers Launched: (\d+)'))[1]::int >= 1, plan
      FROM forced_plans$$);
SELECT pg_temp.check_rows('in a worker: node_count, component_count, component_of an absent id, send and text agree with networkx',
  $$SELECT g.gid,
           f.n IS NOT DISTINCT FROM nullif(g.n_nodes, 0) AND f.k IS NOT DISTINCT FROM nullif(g.n_components, 0)
           AND f.absent IS NULL AND f.bin IS NOT DISTINCT FROM sybil.component_set_send(w.c)
           AND f.txt IS NOT DISTINCT FROM g.text_form,
           format('nodes %s (%s), components %s (%s), absent %s, text %s', f.n, g.n_nodes, f.k,
                  g.n_components, f.absent, left(f.txt, 60))
      FROM cc_graph g JOIN want w USING (gid) LEFT JOIN worker_funcs f USING (gid)$$);
SELECT pg_temp.same_rows('in a worker: component_rows(state, min_size) = networkx''s rows, and component_of on a sample of their nodes',
  'SELECT gid, node, component, component_size, comp_of FROM worker_rows',
  'SELECT e.gid, e.node, e.component, e.component_size,
          CASE WHEN g.n_nodes <= 400 OR hashint8(e.node) % (CASE WHEN g.n_nodes <= 5000 THEN 20 ELSE 2000 END) = 0 THEN e.component END
     FROM cc_expect e JOIN cc_graph g USING (gid) WHERE e.component_size >= g.min_size');

SELECT * FROM finish();
ROLLBACK;
