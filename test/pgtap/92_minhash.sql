-- MinHash signatures and LSH similar pairs against exact Jaccard
-- similarities computed by Python's sets (test/reference/minhash_reference.py):
-- estimates within 3 standard errors for at least 99% of thousands of set
-- pairs over the whole 0..1 range (bigint and text items, k 128 and 256);
-- identical sets give 1, disjoint ones (nearly) 0; signatures do not depend
-- on row order, roll-ups and parallel plans; similar_pairs finds at least
-- 95% of the pairs of 20,000 sets whose exact Jaccard is at least the
-- threshold + 0.1 (the truth is computed over all pairs), returns the same
-- pairs as a plain-SQL join on lsh_bands keys, and with verify_query
-- returns exactly the pairs at or above the threshold with their exact value.
\set QUIET 1
\set ON_ERROR_STOP 1
BEGIN;
SET LOCAL client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS pg_sybil;
CREATE SCHEMA t92;
SET LOCAL search_path = t92, public;
SET LOCAL max_parallel_workers_per_gather = 0;
SET LOCAL jit = off;
SET LOCAL work_mem = '64MB';

SELECT plan(21);
\ir lib/helpers.psql
\ir generated/minhash.sql

CREATE TABLE sig AS
  SELECT pair_id, side, sybil.minhash_agg(item) AS m, sybil.minhash_agg(item, 256, 99) AS m256
    FROM mh_item GROUP BY pair_id, side;
CREATE TABLE text_sig AS
  SELECT pair_id, side, sybil.minhash_agg(item) AS m FROM mh_text_item GROUP BY pair_id, side;

-- estimate vs exact, per pair, for signatures of size k in column col of tab
CREATE FUNCTION pg_temp.estimates(tab text, pairs text, col text, k int)
RETURNS TABLE (pair_id int, exact float8, estimate float8, within bool)
LANGUAGE plpgsql AS $$
BEGIN
  RETURN QUERY EXECUTE format($q$
    SELECT p.pair_id, p.exact, sybil.jaccard(a.%1$I, b.%1$I),
           abs(sybil.jaccard(a.%1$I, b.%1$I) - p.exact) <= 3 * sqrt(p.exact * (1 - p.exact) / %4$s) + 1e-12
      FROM %2$I p JOIN %3$I a ON a.pair_id = p.pair_id AND a.side = 'a'
                  JOIN %3$I b ON b.pair_id = p.pair_id AND b.side = 'b'$q$, col, pairs, tab, k);
END
$$;

CREATE FUNCTION pg_temp.within_check(descr text, tab text, pairs text, col text, k int)
RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE
  n bigint; good bigint; deciles int; worst text;
BEGIN
  SELECT count(*), count(*) FILTER (WHERE within), count(DISTINCT least(floor(exact * 10), 9))
    INTO n, good, deciles FROM pg_temp.estimates(tab, pairs, col, k);
  SELECT string_agg(format('pair %s: exact %s, estimate %s', pair_id, exact, estimate), '; ')
    INTO worst FROM (SELECT * FROM pg_temp.estimates(tab, pairs, col, k) WHERE NOT within
                      ORDER BY abs(estimate - exact) DESC LIMIT 3) w;
  RETURN NEXT ok(n >= 400 AND deciles = 10 AND good >= 0.99 * n, descr);
  RETURN NEXT diag(format('%s of %s pairs within 3 sqrt(J(1-J)/%s), all 10 deciles of J: %s; worst: %s',
                          good, n, k, deciles = 10, coalesce(worst, 'none')));
END
$$;

SELECT pg_temp.within_check('bigint items, k 128: estimates within 3 standard errors for >= 99% of pairs',
                            'sig', 'mh_pair', 'm', 128);
SELECT pg_temp.within_check('bigint items, k 256, seed 99: within 3 standard errors for >= 99%',
                            'sig', 'mh_pair', 'm256', 256);
SELECT pg_temp.within_check('text items (addresses, user agents): within 3 standard errors for >= 99%',
                            'text_sig', 'mh_text_pair', 'm', 128);

SELECT pg_temp.check_rows('identical sets estimate exactly 1',
  $$SELECT pair_id, estimate = 1, format('estimate %s', estimate)
      FROM pg_temp.estimates('sig', 'mh_pair', 'm', 128) WHERE exact = 1$$);
SELECT pg_temp.check_rows('disjoint sets estimate at most 2/128',
  $$SELECT pair_id, estimate <= 2.0 / 128, format('estimate %s', estimate)
      FROM pg_temp.estimates('sig', 'mh_pair', 'm', 128) WHERE exact = 0$$);

-- Roll-ups: signatures of parts (a random split of each set into up to 4
-- parts, duplicates across parts included) unite into the signature of the whole.
CREATE TABLE part_sig AS
  SELECT pair_id, side, part, sybil.minhash_agg(item) AS m
    FROM (SELECT pair_id, side, item, (hashint8(item) & 3) AS part FROM mh_item
          UNION ALL SELECT pair_id, side, item, 0 FROM mh_item WHERE item % 5 = 0) x
   GROUP BY pair_id, side, part;
SELECT pg_temp.check_rows('minhash_union of the parts = minhash_agg of the whole, byte for byte',
  $$SELECT s.pair_id || s.side, u.m::text = s.m::text, 'differs'
      FROM sig s JOIN (SELECT pair_id, side, sybil.minhash_union(m) AS m FROM part_sig
                        GROUP BY pair_id, side) u USING (pair_id, side)$$);
SELECT is((SELECT sybil.minhash_agg(item ORDER BY item DESC)::text FROM mh_item WHERE pair_id = 7 AND side = 'a'),
          (SELECT m::text FROM sig WHERE pair_id = 7 AND side = 'a'),
          'the row order does not change a signature');

-- Parallel: two workers build partial signatures, the leader merges them.
CREATE FUNCTION pg_temp.plan_of(stmt text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  line text;
  out text := '';
BEGIN
  FOR line IN EXECUTE 'EXPLAIN (COSTS OFF, ANALYZE, TIMING OFF, SUMMARY OFF) ' || stmt LOOP
    out := out || line || E'\n';
  END LOOP;
  RETURN out;
END
$$;
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL max_parallel_workers_per_gather = 2;
SET LOCAL parallel_leader_participation = off;
SELECT ok(plan ~ 'Partial (Hash|Group)?Aggregate' AND plan ~ 'Workers Launched: [12]',
          'a parallel plan with partial aggregates in launched workers')
  FROM pg_temp.plan_of($$CREATE TABLE t92.par_sig AS
         SELECT pair_id, side, sybil.minhash_agg(item) AS m FROM t92.mh_item GROUP BY pair_id, side$$) plan;
SELECT pg_temp.check_rows('parallel signatures = serial ones, byte for byte',
  $$SELECT s.pair_id || s.side, p.m::text = s.m::text, 'differs'
      FROM sig s JOIN par_sig p USING (pair_id, side)$$);
SET LOCAL max_parallel_workers_per_gather = 0;
RESET parallel_leader_participation;

-- LSH over 20,000 sets.  Recall counts the true pairs (exact Jaccard from
-- Python over all pairs) that similar_pairs returned.
CREATE TABLE lsh_sig AS SELECT id, sybil.minhash_agg(item) AS m FROM lsh_item GROUP BY id;
CREATE TABLE found_50 AS
  SELECT * FROM sybil.similar_pairs('SELECT id, m FROM t92.lsh_sig', 0.5);
CREATE TABLE found_80 AS
  SELECT * FROM sybil.similar_pairs('SELECT id, m FROM t92.lsh_sig', 0.8);
CREATE TABLE verified_50 AS
  SELECT * FROM sybil.similar_pairs('SELECT id, m FROM t92.lsh_sig', 0.5, NULL,
                                    'SELECT id, item FROM t92.lsh_item');

CREATE FUNCTION pg_temp.recall(pairs text, floor float8, OUT n bigint, OUT hit bigint)
LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('SELECT count(*), count(f.a) FROM t92.lsh_truth t
                    LEFT JOIN t92.%I f ON f.a = t.a AND f.b = t.b WHERE t.exact >= %s', pairs, floor)
     INTO n, hit;
END
$$;

SELECT ok(r.n >= 1000 AND r.hit >= 0.95 * r.n,
          'threshold 0.5: at least 95% of the pairs with exact Jaccard >= 0.6 found')
  FROM pg_temp.recall('found_50', 0.6) r;
SELECT diag(format('threshold 0.5: %s of %s pairs >= 0.6 found; %s of %s pairs >= 0.5; %s pairs returned',
                   r6.hit, r6.n, r5.hit, r5.n, (SELECT count(*) FROM found_50)))
  FROM pg_temp.recall('found_50', 0.6) r6, pg_temp.recall('found_50', 0.5) r5;
SELECT ok(r.n >= 20 AND r.hit >= 0.95 * r.n,
          'threshold 0.8: at least 95% of the pairs with exact Jaccard >= 0.9 found')
  FROM pg_temp.recall('found_80', 0.9) r;
SELECT diag(format('threshold 0.8: %s of %s pairs >= 0.9 found; %s pairs returned',
                   r.hit, r.n, (SELECT count(*) FROM found_80)))
  FROM pg_temp.recall('found_80', 0.9) r;

SELECT pg_temp.check_rows('every pair returned has a < b, an estimate >= 0.5 equal to jaccard() of the two signatures, and no exact value',
  $$SELECT f.a || '-' || f.b,
           f.a < f.b AND f.estimate >= 0.5 AND f.estimate = sybil.jaccard(x.m, y.m) AND f.jaccard IS NULL,
           format('estimate %s, jaccard() %s, exact %s', f.estimate, sybil.jaccard(x.m, y.m), f.jaccard)
      FROM found_50 f JOIN lsh_sig x ON x.id = f.a JOIN lsh_sig y ON y.id = f.b$$);
SELECT is((SELECT count(*) FROM (SELECT a, b FROM found_50 GROUP BY a, b HAVING count(*) > 1) d), 0::bigint,
          'no pair is returned twice');

-- The same candidates in plain SQL: sets sharing a band key (threshold 0.5
-- gives bands of 3 minima, the first 14 of the 42 bands of k = 128),
-- filtered by the estimate.
CREATE TABLE band_key AS
  SELECT id, key FROM lsh_sig, unnest(sybil.lsh_bands(m, 42)) WITH ORDINALITY AS k(key, band)
   WHERE band <= 14;
ANALYZE band_key;
ANALYZE lsh_sig;
SELECT set_eq(
  $$SELECT a, b FROM t92.found_50$$,
  $$SELECT DISTINCT x.id AS a, y.id AS b FROM t92.band_key x JOIN t92.band_key y ON x.key = y.key AND x.id < y.id
      JOIN t92.lsh_sig sx ON sx.id = x.id JOIN t92.lsh_sig sy ON sy.id = y.id
     WHERE sybil.jaccard(sx.m, sy.m) >= 0.5$$,
  'similar_pairs = a plain-SQL self-join on lsh_bands keys, filtered by the estimate');

-- verify_query: the exact Jaccard of every candidate, kept at >= threshold.
SELECT pg_temp.check_rows('verified pairs: exact Jaccard equal to Python''s and >= 0.5',
  $$SELECT v.a || '-' || v.b, t.exact IS NOT NULL AND v.jaccard >= 0.5
                             AND pg_temp.close_enough(v.jaccard, t.exact, 1e-15),
           format('got %s, Python %s', v.jaccard, t.exact)
      FROM verified_50 v LEFT JOIN lsh_truth t ON t.a = v.a AND t.b = v.b$$);
SELECT ok(r.hit >= 0.95 * r.n, 'verified, threshold 0.5: at least 95% of the pairs >= 0.6 found')
  FROM pg_temp.recall('verified_50', 0.6) r;
SELECT diag(format('verified: %s of %s pairs >= 0.6 found, %s of %s pairs >= 0.5; no false pair',
                   r6.hit, r6.n, r5.hit, r5.n))
  FROM pg_temp.recall('verified_50', 0.6) r6, pg_temp.recall('verified_50', 0.5) r5;

-- similar_sets builds the same signatures from the rows, without a GROUP BY:
-- the same pairs and estimates, and with exact the same verified pairs.
SELECT set_eq(
  $$SELECT a, b, estimate FROM sybil.similar_sets('SELECT id, item FROM t92.lsh_item', 0.5)$$,
  $$SELECT a, b, estimate FROM t92.found_50$$,
  'similar_sets over the rows = similar_pairs over minhash_agg signatures, estimates included');
SELECT set_eq(
  $$SELECT a, b, jaccard FROM sybil.similar_sets('SELECT id, item FROM t92.lsh_item', 0.5, exact => true)$$,
  $$SELECT a, b, jaccard FROM t92.verified_50$$,
  'similar_sets with exact = similar_pairs with verify_query over the same rows');

-- The banding shares its work with as many threads as a parallel query
-- would get workers (all of the above ran with none): the same pairs.
SET LOCAL max_parallel_workers_per_gather = 3;
SELECT set_eq(
  $$SELECT a, b, estimate FROM sybil.similar_pairs('SELECT id, m FROM t92.lsh_sig', 0.5)$$,
  $$SELECT a, b, estimate FROM t92.found_50$$,
  'with 3 threads besides the backend''s: the pairs and estimates found with none');
SELECT set_eq(
  $$SELECT a, b, jaccard FROM sybil.similar_sets('SELECT id, item FROM t92.lsh_item', 0.5, exact => true)$$,
  $$SELECT a, b, jaccard FROM t92.verified_50$$,
  'similar_sets with exact and 3 threads: the pairs verified without');
SET LOCAL max_parallel_workers_per_gather = 0;

-- Explicit bands trade recall for fewer candidates: 8 bands of 16 minima
-- find a pair of similarity 0.6 with probability 1 - (1 - 0.6^16)^8 = 0.2%.
SELECT cmp_ok((SELECT count(*) FROM sybil.similar_pairs('SELECT id, m FROM t92.lsh_sig', 0.5, 8)),
              '<', (SELECT count(*) FROM found_50) / 2,
              'long bands (8 of 16 minima) find far fewer pairs than the default');

SELECT * FROM finish();
ROLLBACK;
