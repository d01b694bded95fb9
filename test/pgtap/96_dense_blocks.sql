-- Dense blocks (FRAUDAR): sybil.dense_blocks against an independent
-- Python implementation of greedy peeling on small random graphs
-- (test/reference/dense_blocks_reference.py), the densities recomputed in
-- SQL from the blocks returned, and planted blocks in a sparse background
-- of 100 000 accounts and 20 000 items: recovered exactly without
-- camouflage, at least 95% of their accounts and under 5% false ones
-- with camouflage on popular items ('log' weighting), a full biclique,
-- two blocks one after another.  Expected values come from Python and
-- SQL, never from the extension.
\set QUIET 1
\set ON_ERROR_STOP 1
BEGIN;
SET LOCAL client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS pg_sybil;
CREATE SCHEMA t96;
SET LOCAL search_path = t96, public;
SET LOCAL max_parallel_workers_per_gather = 0;
SET LOCAL jit = off;

SELECT plan(16);
\ir lib/helpers.psql
\ir generated/dense_blocks.sql

-- Small graphs: up to 3 blocks of each graph under both weightings (fewer
-- when the edges run out).
CREATE TABLE got AS
  SELECT g.gid, w.weighting, b.*
    FROM generate_series(1, (SELECT graphs FROM db_meta)) g(gid),
         (VALUES ('log'), ('none')) w(weighting),
         LATERAL sybil.dense_blocks(format('SELECT account, item FROM t96.db_row WHERE gid = %s', g.gid),
                                    3, w.weighting) b;

SELECT pg_temp.check_rows('small graphs: the same blocks as Python''s greedy peeling, in the same order',
  $q$SELECT format('gid %s %s block %s', coalesce(e.gid, g.gid), coalesce(e.weighting, g.weighting),
                   coalesce(e.block, g.block)),
            e.accounts IS NOT DISTINCT FROM g.accounts AND e.items IS NOT DISTINCT FROM g.items
              AND e.edges IS NOT DISTINCT FROM g.edges,
            format('want %s x %s (%s edges), got %s x %s (%s edges)', e.accounts, e.items, e.edges,
                   g.accounts, g.items, g.edges)
       FROM db_expect e FULL JOIN got g USING (gid, weighting, block)$q$);

SELECT pg_temp.check_close('small graphs: the density of each block, as Python computes it',
  $q$SELECT format('gid %s %s block %s', gid, weighting, block), g.density, e.density
       FROM db_expect e JOIN got g USING (gid, weighting, block)$q$);

-- The first block's density from its definition, in SQL: the weight of
-- the distinct rows inside the block (1/ln(d + 5), d the item's number of
-- accounts) over its accounts and items.
SELECT pg_temp.check_close('small graphs: first block density recomputed in SQL from its accounts and items',
  $q$WITH e AS (SELECT DISTINCT gid, account, item FROM db_row),
          d AS (SELECT gid, item, count(*) AS degree FROM e GROUP BY gid, item)
     SELECT format('gid %s %s', g.gid, g.weighting),
            g.density,
            (SELECT sum(CASE g.weighting WHEN 'log' THEN 1 / ln(d.degree + 5.0::float8) ELSE 1 END)
               FROM e JOIN d USING (gid, item)
              WHERE e.gid = g.gid AND e.account = ANY (g.accounts) AND e.item = ANY (g.items))
              / (cardinality(g.accounts) + cardinality(g.items))
       FROM got g WHERE g.block = 1$q$);

SELECT pg_temp.check_rows('small graphs: counts, edges and fill agree with the arrays',
  $q$SELECT format('gid %s %s block %s', gid, weighting, block),
            account_count = cardinality(accounts) AND item_count = cardinality(items)
              AND fill = edges::float8 / (account_count * item_count)
              AND (block > 1  -- the edges of the blocks before are no longer there
                   OR edges = (SELECT count(DISTINCT (r.account, r.item)) FROM db_row r
                                WHERE r.gid = got.gid AND r.account = ANY (accounts)
                                  AND r.item = ANY (items))),
            format('%s x %s, %s edges, fill %s', account_count, item_count, edges, fill)
       FROM got$q$);

SELECT is((SELECT count(*) FROM got WHERE block = 1), 2 * (SELECT graphs FROM db_meta)::bigint,
          'small graphs: every graph has a first block under both weightings');

-- Planted blocks: each scenario is the background and its planted rows.
CREATE FUNCTION planted(scenario text, blocks int, weighting text)
RETURNS TABLE (block int, accounts bigint[], items text[], density float8)
LANGUAGE sql AS $f$
  SELECT block, accounts, items, density
    FROM sybil.dense_blocks(format($q$SELECT account, item FROM t96.db_background
                                      UNION ALL
                                      SELECT account, item FROM t96.db_planted WHERE scenario = %L$q$,
                                   scenario), blocks, weighting)
$f$;

-- Accounts found and false accounts of a block against the truth.
CREATE FUNCTION recovery(scenario text, blocks int, weighting text)
RETURNS TABLE (block int, found_share float8, false_share float8, exact bool,
               items_found int, foreign_items int, detail text)
LANGUAGE sql AS $f$
  SELECT p.block,
         (SELECT count(*) FROM unnest(p.accounts) a WHERE a = ANY (t.accounts))::float8
           / cardinality(t.accounts),
         (SELECT count(*) FROM unnest(p.accounts) a WHERE a <> ALL (t.accounts))::float8
           / greatest(cardinality(p.accounts), 1),
         p.accounts = t.accounts AND p.items = t.items,
         (SELECT count(*) FROM unnest(p.items) i WHERE i = ANY (t.items))::int,
         (SELECT count(*) FROM unnest(p.items) i WHERE i <> ALL (t.items))::int,
         format('%s accounts (%s planted), %s items (%s planted), density %s',
                cardinality(p.accounts), cardinality(t.accounts), cardinality(p.items),
                cardinality(t.items), p.density)
    FROM planted(scenario, blocks, weighting) p
    JOIN t96.db_truth t ON t.scenario = recovery.scenario AND t.block = p.block
$f$;

CREATE TABLE recovered AS
  SELECT s.scenario, s.weighting, r.*
    FROM (VALUES ('realistic', 1, 'log'), ('realistic', 1, 'none'), ('camouflage', 1, 'log'),
                 ('camouflage', 1, 'none'), ('biclique', 1, 'log'), ('two', 2, 'log'))
         s(scenario, blocks, weighting),
         LATERAL recovery(s.scenario, s.blocks, s.weighting) r;

SELECT ok(exact, 'planted 200 x 50 block at 60-80% fill, no camouflage, log: recovered exactly; ' || detail)
  FROM recovered WHERE scenario = 'realistic' AND weighting = 'log';
SELECT ok(exact, 'the same, unweighted: recovered exactly; ' || detail)
  FROM recovered WHERE scenario = 'realistic' AND weighting = 'none';
SELECT ok(found_share >= 0.95 AND false_share < 0.05,
          format('with camouflage to popular items, log: %s of the accounts found, %s false; %s',
                 found_share, false_share, detail))
  FROM recovered WHERE scenario = 'camouflage' AND weighting = 'log';
SELECT ok(items_found = 50 AND foreign_items <= 5,
          'with camouflage, log: every planted item, at most 5 others; ' || detail)
  FROM recovered WHERE scenario = 'camouflage' AND weighting = 'log';
-- Unweighted, camouflage tends to pull popular items in (what the
-- weighting is for); the accounts are still found.
SELECT ok(found_share >= 0.95 AND false_share < 0.05,
          format('with camouflage, unweighted: %s of the accounts found, %s false; %s',
                 found_share, false_share, detail))
  FROM recovered WHERE scenario = 'camouflage' AND weighting = 'none';
SELECT ok(exact, 'full 200 x 50 biclique: recovered exactly; ' || detail)
  FROM recovered WHERE scenario = 'biclique';
SELECT ok(exact, 'two planted blocks: the denser first; ' || detail)
  FROM recovered WHERE scenario = 'two' AND block = 1;
SELECT ok(exact, 'two planted blocks: the other second; ' || detail)
  FROM recovered WHERE scenario = 'two' AND block = 2;

-- The order of rows changes nothing.
SELECT is((SELECT array_agg(row(block, accounts, items, density)::text ORDER BY block)
             FROM sybil.dense_blocks($q$SELECT account, item FROM t96.db_row WHERE gid <= 5
                                        ORDER BY md5(account::text || item) $q$, 3)),
          (SELECT array_agg(row(block, accounts, items, density)::text ORDER BY block)
             FROM sybil.dense_blocks($q$SELECT account, item FROM t96.db_row WHERE gid <= 5
                                        ORDER BY item DESC, account$q$, 3)),
          'the blocks do not depend on the order of rows');

-- Items of any type by their text form; accounts of any integer type.
SELECT is((SELECT row(accounts, items)::text FROM sybil.dense_blocks(
             $q$SELECT a::smallint, ('10.0.0.' || i)::inet FROM generate_series(1, 3) a, generate_series(1, 3) i
                UNION ALL SELECT 9, '10.0.0.200'::inet$q$)),
          row('{1,2,3}'::bigint[], '{10.0.0.1,10.0.0.2,10.0.0.3}'::text[])::text,
          'inet items by their text form, smallint accounts');

SELECT is((SELECT count(*) FROM sybil.dense_blocks('SELECT account, item FROM t96.db_row WHERE false', 3)),
          0::bigint, 'no rows, no block');

SELECT * FROM finish();
ROLLBACK;
