-- sybil.communities and sybil.cluster_stats against networkx
-- (test/reference/communities_reference.py): Zachary's karate club
-- (weighted), two LFR benchmark graphs (250 and 1500 nodes) and a planted
-- partition of over 10 000 nodes.  Our partitions are checked by plain SQL
-- computations, never by our own numbers: modularity from the edges (as
-- networkx.community.modularity defines it), NMI with the planted
-- partition, connectivity of each community (sybil.components over the
-- edges inside communities), the shape of the rows.  cluster_stats is
-- compared with networkx's density, cut_size, volume and conductance.
\set QUIET 1
\set ON_ERROR_STOP 1
BEGIN;
SET LOCAL client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS pg_sybil;
CREATE SCHEMA t95;
SET LOCAL search_path = t95, public;
SET LOCAL max_parallel_workers_per_gather = 0;

SELECT plan(11);
\ir lib/helpers.psql
\ir generated/communities.sql
ANALYZE cm_edge;

CREATE FUNCTION pg_temp.q(gid int, tail text DEFAULT '') RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT format('SELECT a, b, w FROM t95.cm_edge WHERE gid = %s %s', gid, tail)
$$;

-- our partitions: every graph at seed 0, resolution 1; lfr1500 at more seeds
-- and resolutions
CREATE TABLE result AS
  SELECT g.gid, s.seed, 1.0::float8 AS res, r.*
    FROM cm_graph g, generate_series(0, CASE WHEN g.name = 'lfr1500' THEN 4 ELSE 0 END) s(seed),
         sybil.communities(pg_temp.q(g.gid), seed => s.seed) r
  UNION ALL
  SELECT g.gid, 0, res, r.*
    FROM cm_graph g, unnest(ARRAY[0.25, 0.5, 2, 4, 8]::float8[]) res,
         sybil.communities(pg_temp.q(g.gid), resolution => res) r
   WHERE g.name = 'lfr1500';
CREATE INDEX ON result (gid, seed, res, node);
ANALYZE result;

-- one id per run, and its (node, community) pairs, keyed for hash joins
CREATE TABLE run AS
  SELECT row_number() OVER (ORDER BY gid, seed, res)::int AS run, gid, seed, res
    FROM (SELECT DISTINCT gid, seed, res FROM result) r;
CREATE TABLE member AS
  SELECT r.run, x.gid, x.node, x.community FROM result x JOIN run r USING (gid, seed, res);
ANALYZE run;
ANALYZE member;
-- Q = sum over communities of L_c / m - res (d_c / 2m)^2, from the edges
CREATE TABLE q AS
  WITH m AS (SELECT gid, sum(w) AS m FROM cm_edge GROUP BY gid),
  strength AS (SELECT gid, node, sum(w) AS k
                 FROM (SELECT gid, a AS node, w FROM cm_edge UNION ALL SELECT gid, b, w FROM cm_edge) s
                GROUP BY gid, node),
  inside AS (SELECT ma.run, sum(e.w) AS l
               FROM member ma JOIN cm_edge e ON e.gid = ma.gid AND e.a = ma.node
               JOIN member mb ON mb.run = ma.run AND mb.node = e.b
              WHERE ma.community = mb.community GROUP BY ma.run),
  totals AS (SELECT x.run, x.community, sum(s.k) AS d
               FROM member x JOIN strength s ON s.gid = x.gid AND s.node = x.node GROUP BY 1, 2)
  SELECT r.gid, r.seed, r.res, i.l / m.m - r.res * sum((t.d / (2 * m.m)) ^ 2) AS q
    FROM run r JOIN totals t USING (run) JOIN inside i USING (run) JOIN m USING (gid)
   GROUP BY r.gid, r.seed, r.res, i.l, m.m;

SELECT pg_temp.check_rows('modularity of our partition (computed from the edges) >= 98% of networkx louvain''s best of five seeds: karate, lfr250, lfr1500 (every seed)',
  $$SELECT g.name || ' seed ' || q.seed, q.q >= 0.98 * g.nx_modularity,
           format('ours %s, networkx %s', q.q, g.nx_modularity)
      FROM q JOIN cm_graph g USING (gid) WHERE g.nx_modularity IS NOT NULL AND q.res = 1$$);
SELECT diag(string_agg(format('%s: modularity %s (networkx louvain best of 5: %s)', g.name, round(q.q::numeric, 4),
                              round(g.nx_modularity::numeric, 4)), '; ' ORDER BY g.gid))
  FROM q JOIN cm_graph g USING (gid) WHERE q.seed = 0 AND q.res = 1;
SELECT pg_temp.check_close('the reported modularity = the modularity of the partition computed from the edges (1e-9), every run',
  $$SELECT format('%s seed %s res %s', q.gid, q.seed, q.res), r.modularity, q.q
      FROM q JOIN (SELECT DISTINCT gid, seed, res, modularity FROM result) r USING (gid, seed, res)$$,
  1e-9, 1e-12);
SELECT is((SELECT count(*)::int FROM (SELECT DISTINCT gid, seed, res, modularity FROM result) r),
          (SELECT count(*)::int FROM (SELECT DISTINCT gid, seed, res FROM result) r),
          'one modularity per run, repeated on each row');

-- NMI with the planted partition (arithmetic normalisation)
CREATE TABLE nmi AS
  WITH j AS (SELECT p.gid, p.block, r.community FROM cm_planted p
               JOIN result r ON (r.gid, r.node) = (p.gid, p.node) AND r.seed = 0 AND r.res = 1),
  n AS (SELECT gid, count(*)::float8 AS n FROM j GROUP BY gid),
  pxy AS (SELECT gid, block, community, count(*) / n.n AS p FROM j JOIN n USING (gid) GROUP BY gid, block, community, n.n),
  px AS (SELECT gid, block, sum(p) AS p FROM pxy GROUP BY 1, 2),
  py AS (SELECT gid, community, sum(p) AS p FROM pxy GROUP BY 1, 2),
  mi AS (SELECT gid, sum(pxy.p * ln(pxy.p / (px.p * py.p))) AS mi
           FROM pxy JOIN px USING (gid, block) JOIN py USING (gid, community) GROUP BY gid)
  SELECT gid, 2 * mi / ((SELECT -sum(p * ln(p)) FROM px WHERE px.gid = mi.gid)
                      + (SELECT -sum(p * ln(p)) FROM py WHERE py.gid = mi.gid)) AS nmi
    FROM mi;
SELECT pg_temp.check_rows('NMI with the planted partition >= 0.9 (planted partition graph of over 10 000 nodes)',
  $$SELECT g.name, n.nmi >= 0.9 AND g.n_nodes >= 10000,
           format('NMI %s on %s nodes (networkx louvain: %s)', n.nmi, g.n_nodes, g.nx_nmi)
      FROM nmi n JOIN cm_graph g USING (gid)$$);
SELECT diag(format('planted partition: %s nodes, %s edges, NMI %s (networkx louvain: %s)',
                   g.n_nodes, g.n_edges, round(n.nmi::numeric, 4), round(g.nx_nmi::numeric, 4)))
  FROM nmi n JOIN cm_graph g USING (gid);

-- Valid partitions: every node of the graph once, named after its smallest
-- node, with the right size; communities connected.
SELECT pg_temp.check_rows('every run: each node of the graph once, community = its smallest node, community_size right',
  $$WITH nodes AS (SELECT gid, count(*) AS n
                   FROM (SELECT gid, a AS node FROM cm_edge UNION SELECT gid, b FROM cm_edge) s GROUP BY gid),
     rows AS (SELECT gid, seed, res, count(*) AS n, count(DISTINCT node) AS distinct_nodes FROM result
               GROUP BY 1, 2, 3),
     per AS (SELECT gid, seed, res, community, min(node) AS smallest, count(*) AS size,
                    min(community_size) AS lo, max(community_size) AS hi
               FROM result GROUP BY 1, 2, 3, 4),
     bad AS (SELECT gid, seed, res, count(*) AS n FROM per
              WHERE smallest <> community OR lo <> size OR hi <> size GROUP BY 1, 2, 3)
   SELECT format('%s %s %s', r.gid, r.seed, r.res),
          r.n = n.n AND r.distinct_nodes = n.n AND b.n IS NULL,
          format('%s rows, %s distinct nodes, %s nodes in the graph, %s bad communities',
                 r.n, r.distinct_nodes, n.n, b.n)
     FROM rows r JOIN nodes n USING (gid) LEFT JOIN bad b USING (gid, seed, res)$$);
CREATE FUNCTION pg_temp.inside_edges(run int) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT format($f$SELECT e.a, e.b FROM t95.member ma
                     JOIN t95.cm_edge e ON e.gid = ma.gid AND e.a = ma.node
                     JOIN t95.member mb ON mb.run = ma.run AND mb.node = e.b
                    WHERE ma.run = %1$s AND ma.community = mb.community
                   UNION ALL SELECT node, node FROM t95.member WHERE run = %1$s$f$, run)
$$;
SELECT pg_temp.check_rows('every run: every community is connected (Leiden''s guarantee; components of the edges inside communities)',
  $$SELECT format('%s %s %s', r.gid, r.seed, r.res),
           (SELECT count(DISTINCT component) FROM sybil.components(pg_temp.inside_edges(r.run)))
           = (SELECT count(DISTINCT community) FROM member x WHERE x.run = r.run),
           'a community falls apart'
      FROM run r$$);

-- Determinism, edge order, resolution
SELECT is((SELECT array_agg(row(c.*))::text FROM sybil.communities(pg_temp.q(3), seed => 3) c),
          (SELECT array_agg(row(node, community, community_size, modularity) ORDER BY community, node)::text
             FROM result WHERE gid = 3 AND seed = 3 AND res = 1),
          'lfr1500: the same seed gives the same rows, in canonical order');
SELECT is((SELECT array_agg(row(c.*))::text FROM sybil.communities(pg_temp.q(3, 'ORDER BY random()'), seed => 3) c),
          (SELECT array_agg(row(node, community, community_size, modularity) ORDER BY community, node)::text
             FROM result WHERE gid = 3 AND seed = 3 AND res = 1),
          'lfr1500: edges in a random order give the same rows');
SELECT pg_temp.check_rows('lfr1500: more communities as the resolution grows (0.25, 0.5, 1, 2, 4, 8)',
  $$WITH counts AS (SELECT res, count(DISTINCT community) AS n FROM result WHERE gid = 3 AND seed = 0 GROUP BY res)
    SELECT res, n >= coalesce(lag(n) OVER (ORDER BY res), 0), format('%s communities at %s', n, res)
      FROM counts$$);
SELECT is((SELECT count(DISTINCT community)::int FROM sybil.communities(pg_temp.q(3), min_size => 40)),
          (SELECT count(DISTINCT community)::int FROM result WHERE gid = 3 AND seed = 0 AND res = 1
                                                            AND community_size >= 40),
          'min_size skips the smaller communities only');

-- cluster_stats against networkx
CREATE TABLE cs_got AS
  SELECT g.gid, r.* FROM (SELECT DISTINCT gid FROM cs_member) g,
         sybil.cluster_stats(format('SELECT a, b, w FROM t95.cs_edge WHERE gid = %s', g.gid),
                             format('SELECT node, cluster FROM t95.cs_member WHERE gid = %s', g.gid)) r;
SELECT pg_temp.check_close('cluster_stats on random weighted graphs and clusterings = networkx (size, edges and weights inside and across, volume, density, conductance)',
  $$SELECT format('%s/%s %s', e.gid, e.cluster, col), got, want
      FROM cs_expect e FULL JOIN cs_got g USING (gid, cluster),
           LATERAL (VALUES ('size', g.size, e.size), ('internal_edges', g.internal_edges, e.internal_edges),
                           ('internal_weight', g.internal_weight, e.internal_weight),
                           ('cut_edges', g.cut_edges, e.cut_edges), ('cut_weight', g.cut_weight, e.cut_weight),
                           ('volume', g.volume, e.volume), ('density', g.density, e.density),
                           ('conductance', g.conductance, e.conductance)) v(col, got, want)$$,
  1e-12, 1e-15);

SELECT * FROM finish();
ROLLBACK;
