-- js_divergence and kl_divergence on 500 random pairs of histograms
-- (overlapping, disjoint, same support, nested, proportional, one-vs-many,
-- random), against scipy (test/reference/distributions.py).
\set QUIET 1
\set ON_ERROR_STOP 1
BEGIN;
SET LOCAL client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS pg_sybil;
CREATE SCHEMA t20;
SET LOCAL search_path = t20, public;

SELECT plan(22);

-- Tolerance: |got - want| <= 1e-9 |want| + abs_tol.  A divergence is a sum of
-- terms p_i log(p_i / q_i) carrying about one rounding of p_i / q_i per unit
-- of probability mass, so two correct implementations differ by some 1e-15
-- in absolute terms, which is far above 1e-9 relative when the divergence is
-- itself 1e-8 (nearly equal distributions).  Checked against exact (mpmath)
-- values on such pairs: scipy is the one further off there.
\set abs_tol 1e-13
\ir lib/helpers.psql
\ir generated/histograms.sql

CREATE TABLE hh AS SELECT id, n_labels, pg_temp.try_hist(src) AS h FROM hist;
CREATE TABLE pp AS
  SELECT p.*, a.h AS ha, b.h AS hb, a.n_labels AS na, b.n_labels AS nb
    FROM pair p JOIN hh a ON a.id = p.a JOIN hh b ON b.id = p.b;
ANALYZE hh; ANALYZE pp;

SELECT is((SELECT count(*)::int FROM pp WHERE ha IS NULL OR hb IS NULL), 0,
          'every histogram of every pair parses');

SELECT is((SELECT count(DISTINCT kind)::int FROM pp), 7,
          'the pairs cover overlap, disjoint, same-support, nested, proportional, one-vs-many, random');

-- Jensen-Shannon
SELECT pg_temp.check_close('js_divergence agrees with scipy jensenshannon(p, q, base=2)**2',
  $$SELECT id || ' ' || kind AS id, sybil.js_divergence(ha, hb) AS got, js AS want FROM pp$$, 1e-9, :abs_tol);

SELECT pg_temp.check_rows('js_divergence is symmetric, bit for bit',
  $$SELECT id || ' ' || kind AS id,
           sybil.js_divergence(ha, hb) IS NOT DISTINCT FROM sybil.js_divergence(hb, ha) AS pass,
           format('js(a,b) %s, js(b,a) %s', sybil.js_divergence(ha, hb), sybil.js_divergence(hb, ha)) AS detail
      FROM pp$$);

SELECT pg_temp.check_rows('js_divergence is in [0, 1] for non-empty pairs',
  $$SELECT id || ' ' || kind AS id, sybil.js_divergence(ha, hb) BETWEEN 0 AND 1 AS pass,
           format('js %s', sybil.js_divergence(ha, hb)) AS detail
      FROM pp WHERE na > 0 AND nb > 0$$);

SELECT pg_temp.check_rows('js_divergence is 1 (to 1e-12) for disjoint label sets',
  $$SELECT id || ' ' || kind AS id, abs(sybil.js_divergence(ha, hb) - 1) <= 1e-12 AS pass,
           format('js %s', sybil.js_divergence(ha, hb)) AS detail
      FROM pp WHERE kind = 'disjoint'$$);

SELECT pg_temp.check_rows('js_divergence(h, h) = 0 exactly, and for proportional histograms',
  $$SELECT 'self ' || id AS id, sybil.js_divergence(h, h) = 0 AS pass,
           format('js %s', sybil.js_divergence(h, h)) AS detail
      FROM hh WHERE n_labels > 0
    UNION ALL
    SELECT 'pair ' || id, sybil.js_divergence(ha, hb) = 0, format('js %s', sybil.js_divergence(ha, hb))
      FROM pp WHERE kind = 'proportional'$$);

SELECT pg_temp.check_rows('js_divergence is NULL when either histogram is empty',
  $$SELECT id || ' ' || kind AS id, (sybil.js_divergence(ha, hb) IS NULL) = (na = 0 OR nb = 0) AS pass,
           format('js %s with %s and %s labels', sybil.js_divergence(ha, hb), na, nb) AS detail
      FROM pp$$);

-- Kullback-Leibler, smoothing 0.5 (the default)
SELECT pg_temp.check_close('kl_divergence(a, b) (smoothing 0.5) agrees with scipy entropy(p, q_smoothed, base=2)',
  $$SELECT id || ' ' || kind AS id, sybil.kl_divergence(ha, hb) AS got, kl_ab AS want FROM pp$$, 1e-9, :abs_tol);

SELECT pg_temp.check_close('kl_divergence(b, a, 0.5) agrees with scipy',
  $$SELECT id || ' ' || kind AS id, sybil.kl_divergence(hb, ha, 0.5) AS got, kl_ba AS want FROM pp$$, 1e-9, :abs_tol);

SELECT pg_temp.check_rows('kl_divergence(p, q) = kl_divergence(p, q, 0.5) bit for bit',
  $$SELECT id::text, sybil.kl_divergence(ha, hb) IS NOT DISTINCT FROM sybil.kl_divergence(ha, hb, 0.5) AS pass,
           format('%s vs %s', sybil.kl_divergence(ha, hb), sybil.kl_divergence(ha, hb, 0.5)) AS detail
      FROM pp$$);

-- smoothing 0 (infinite where a label of p is missing from q) and random smoothing
SELECT pg_temp.check_close('kl_divergence(a, b, 0) agrees with scipy, Infinity included',
  $$SELECT id || ' ' || kind AS id, sybil.kl_divergence(ha, hb, 0) AS got, kl0_ab AS want FROM pp$$, 1e-9, :abs_tol);

SELECT pg_temp.check_close('kl_divergence(b, a, 0) agrees with scipy, Infinity included',
  $$SELECT id || ' ' || kind AS id, sybil.kl_divergence(hb, ha, 0) AS got, kl0_ba AS want FROM pp$$, 1e-9, :abs_tol);

SELECT pg_temp.check_rows('smoothing 0: Infinity exactly where p has a label q lacks (scipy says inf)',
  $$SELECT id || ' ' || kind || ' ' || dir AS id,
           (got = 'Infinity') = (want = 'Infinity') AS pass,
           format('got %s, scipy %s', got, want) AS detail
      FROM (SELECT id, kind, 'a||b' AS dir, sybil.kl_divergence(ha, hb, 0) AS got, kl0_ab AS want FROM pp
            UNION ALL
            SELECT id, kind, 'b||a', sybil.kl_divergence(hb, ha, 0), kl0_ba FROM pp) s
     WHERE want IS NOT NULL$$);

SELECT cmp_ok((SELECT count(*)::int FROM pp WHERE kl0_ab = 'Infinity' OR kl0_ba = 'Infinity'), '>=', 100,
              'the fixture has at least 100 pairs with an infinite KL at smoothing 0');

SELECT pg_temp.check_close('kl_divergence(a, b, s) agrees with scipy for a random smoothing s in [1e-4, 100]',
  $$SELECT id || ' ' || kind || ' s=' || s AS id, sybil.kl_divergence(ha, hb, s) AS got, kls_ab AS want FROM pp$$, 1e-9, :abs_tol);

SELECT pg_temp.check_rows('kl_divergence(h, h, 0) = 0 exactly',
  $$SELECT id::text, sybil.kl_divergence(h, h, 0) = 0 AS pass,
           format('kl %s', sybil.kl_divergence(h, h, 0)) AS detail
      FROM hh WHERE n_labels > 0$$);

SELECT pg_temp.check_rows('kl_divergence is >= 0 (up to 1e-15) and finite when smoothing > 0',
  $$SELECT id || ' ' || kind AS id,
           sybil.kl_divergence(ha, hb) >= -1e-15 AND sybil.kl_divergence(ha, hb) < 'Infinity'
           AND sybil.kl_divergence(hb, ha, s) >= -1e-15 AND sybil.kl_divergence(hb, ha, s) < 'Infinity' AS pass,
           format('kl(a,b) %s, kl(b,a,%s) %s', sybil.kl_divergence(ha, hb), s, sybil.kl_divergence(hb, ha, s)) AS detail
      FROM pp WHERE na > 0 AND nb > 0$$);

SELECT pg_temp.check_rows('kl_divergence is NULL when either histogram is empty',
  $$SELECT id || ' ' || kind AS id,
           (sybil.kl_divergence(ha, hb) IS NULL) = (na = 0 OR nb = 0)
           AND (sybil.kl_divergence(hb, ha, 0) IS NULL) = (na = 0 OR nb = 0) AS pass,
           format('kl %s with %s and %s labels', sybil.kl_divergence(ha, hb), na, nb) AS detail
      FROM pp$$);

SELECT throws_ok($$SELECT sybil.kl_divergence('{"a": 1}', '{"a": 1}', -0.5)$$, '22023', NULL,
                 'a negative smoothing is an error');
SELECT throws_ok($$SELECT sybil.kl_divergence('{"a": 1}', '{"a": 1}', 'NaN')$$, '22023', NULL,
                 'a NaN smoothing is an error');
SELECT throws_ok($$SELECT sybil.kl_divergence('{"a": 1}', '{"a": 1}', 'Infinity')$$, '22023', NULL,
                 'an infinite smoothing is an error');

SELECT * FROM finish();
ROLLBACK;
