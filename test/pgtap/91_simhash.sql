-- sybil.simhash against a Python reimplementation of the stable hash, the
-- tokenizer and SimHash, bit for bit, on ~5,000 texts (random prompts in
-- several scripts, the characters on either side of every boundary of the
-- tokenizer's tables, long words across the hash's 64-byte chunks, texts
-- without words) in shingles of 1 to 3 words, 1 to 16 for the boundary
-- texts; in parallel workers too.  Then SimHash theory on 2,650 pairs of
-- near-duplicate and unrelated prompts: the mean Hamming distance of each
-- kind of pair agrees with the exact expectation of the ±1-projection model
-- and with 64 theta / pi, near-duplicates stay below their binomial bound,
-- unrelated prompts average 32 bits.  sybil.hamming against Python's
-- popcount.  (test/reference/simhash_reference.py.)
\set QUIET 1
\set ON_ERROR_STOP 1
BEGIN;
SET LOCAL client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS pg_sybil;
CREATE SCHEMA t91;
SET LOCAL search_path = t91, public;
SET LOCAL max_parallel_workers_per_gather = 0;

SELECT plan(12);
\ir lib/helpers.psql
\ir generated/simhash.sql

CREATE TABLE got AS
  SELECT w.id, w.shingle, w.want, sybil.simhash(t.body, w.shingle) AS got
    FROM sh_want w JOIN sh_text t USING (id);
ANALYZE got;

-- ------------------------------------------------------------ exact values

SELECT pg_temp.check_rows('simhash equals the Python reimplementation bit for bit (NULL for no word)',
  $$SELECT g.id || '/' || g.shingle, g.got IS NOT DISTINCT FROM g.want,
           format('got %s, want %s for shingle %s of %L', g.got, g.want, g.shingle, left(t.body, 120))
      FROM got g JOIN sh_text t USING (id)$$);

SELECT ok((SELECT count(*) FILTER (WHERE want IS NULL) > 0 AND count(*) FILTER (WHERE shingle = 16) > 0
             FROM got),
          'the fixture has texts without words and shingles of 16 words');

SELECT pg_temp.check_rows('sybil.simhash(text) is sybil.simhash(text, 1)',
  $$SELECT g.id, sybil.simhash(t.body) IS NOT DISTINCT FROM g.got, left(t.body, 120)
      FROM got g JOIN sh_text t USING (id) WHERE g.shingle = 1$$);

-- computed in parallel workers (the functions are PARALLEL SAFE)
CREATE FUNCTION pg_temp.plan_of(stmt text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  line text;
  out text := '';
BEGIN
  FOR line IN EXECUTE 'EXPLAIN (COSTS OFF) ' || stmt LOOP
    out := out || line || E'\n';
  END LOOP;
  RETURN out;
END
$$;
\set q_parallel 'SELECT count(*) FROM t91.got g JOIN t91.sh_text t USING (id) WHERE sybil.simhash(t.body, g.shingle) IS DISTINCT FROM g.want'
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL max_parallel_workers_per_gather = 2;
SET LOCAL force_parallel_mode = on;
SELECT matches(pg_temp.plan_of(:'q_parallel'), 'Gather', 'the check below runs under a Gather');
SELECT is((:q_parallel), 0::bigint, 'the same fingerprints computed in parallel workers');
SET LOCAL force_parallel_mode = off;
SET LOCAL max_parallel_workers_per_gather = 0;

-- ------------------------------------------------------------ theory

CREATE TABLE pair_bits AS
  SELECT p.*, sybil.hamming(ga.got, gb.got) AS bits
    FROM sh_pair p
    JOIN got ga ON ga.id = p.a AND ga.shingle = p.shingle
    JOIN got gb ON gb.id = p.b AND gb.shingle = p.shingle;

-- Per kind of pair and shingle size: the mean distance, its expectations,
-- and the standard error of the mean if each distance is Binomial(64, p).
CREATE TABLE kind_mean AS
  SELECT kind, shingle, count(*) AS pairs, avg(bits)::float8 AS observed,
         64 * avg(p_exact) AS exact, 64 * avg(p_theory) AS theory,
         sqrt(sum(64 * p_exact * (1 - p_exact))) / count(*) AS std_error
    FROM pair_bits GROUP BY kind, shingle;

SELECT diag(string_agg(format('%-9s shingle %s: %4s pairs, mean %6s bits, exact model %6s, 64 theta/pi %6s, standard error %s',
                              kind, shingle, pairs, round(observed::numeric, 3), round(exact::numeric, 3),
                              round(theory::numeric, 3), round(std_error::numeric, 3)), E'\n'
                       ORDER BY kind, shingle))
  FROM kind_mean;

SELECT is((SELECT count(*) FROM pair_bits WHERE bits IS NULL), 0::bigint,
          'every text of a pair has words');

-- The exact expectation: bit i differs with probability p, computed in
-- Python from the joint law of the two ±1 projections of the pair's feature
-- vectors (independent fair signs per feature, ties broken by the second
-- projection).  5 standard errors: a false alarm once in 1.7 million.
SELECT pg_temp.check_rows('the mean distance of each kind of pair is within 5 standard errors of 64 p (the exact ±1-projection model)',
  $$SELECT kind || ' shingle ' || shingle, abs(observed - exact) <= 5 * std_error,
           format('mean %s, want %s +- %s', observed, exact, 5 * std_error)
      FROM kind_mean$$);

-- SimHash theory proper, for Gaussian hyperplanes: 64 theta / pi.  ±1
-- directions give a little less on texts of a few dozen features (the
-- model above is 5 to 10% below for the near-duplicates here), hence the
-- band [0.85, 1] x 64 theta / pi, widened by 5 standard errors.
SELECT pg_temp.check_rows('the mean distance of each kind of pair is in [0.85, 1] x 64 theta / pi (+- 5 standard errors)',
  $$SELECT kind || ' shingle ' || shingle,
           observed BETWEEN 0.85 * theory - 5 * std_error AND theory + 5 * std_error,
           format('mean %s, 64 theta/pi %s, standard error %s', observed, theory, std_error)
      FROM kind_mean$$);

SELECT pg_temp.check_rows('unrelated prompts are 32 +- 1 bits apart on average',
  $$SELECT 'shingle ' || shingle, abs(observed - 32) <= 1, format('mean %s over %s pairs', observed, pairs)
      FROM kind_mean WHERE kind = 'unrelated'$$);

-- A bound per pair: the distance that Binomial(64, p) exceeds with
-- probability 1e-8, p the larger of theta/pi and the exact model's.
SELECT pg_temp.check_rows('every near-duplicate pair is within its binomial bound',
  $$SELECT pid || ' ' || kind || ' shingle ' || shingle, bits <= bound,
           format('%s bits, bound %s (theta %s)', bits, bound, theta)
      FROM pair_bits WHERE kind <> 'unrelated'$$);

SELECT diag(string_agg(format('%-9s shingle %s: at most %2s bits apart, bound %2s at worst',
                              kind, shingle, max_bits, max_bound), E'\n' ORDER BY kind, shingle))
  FROM (SELECT kind, shingle, max(bits) AS max_bits, max(bound) AS max_bound
          FROM pair_bits WHERE kind <> 'unrelated' GROUP BY kind, shingle) s;

SELECT pg_temp.check_rows('the same words in other case, spacing and punctuation, with zero-width characters, and a reordering over single words: 0 bits',
  $$SELECT pid || ' ' || kind || ' shingle ' || shingle, bits = 0, format('%s bits', bits)
      FROM pair_bits WHERE kind = 'cosmetic' OR (kind = 'reorder' AND shingle = 1)$$);

-- ------------------------------------------------------------ hamming

SELECT pg_temp.check_rows('hamming is the popcount of the xor, and symmetric',
  $$SELECT x || ' ' || y, sybil.hamming(x, y) = want AND sybil.hamming(y, x) = want,
           format('got %s, want %s', sybil.hamming(x, y), want)
      FROM sh_hamming$$);

SELECT * FROM finish();
ROLLBACK;
