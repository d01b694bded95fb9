-- entropy, normalized_entropy, total, label_count, top_share and top_labels
-- on about 1,900 random histograms, against scipy / math.fsum
-- (test/reference/distributions.py).
\set QUIET 1
\set ON_ERROR_STOP 1
BEGIN;
SET LOCAL client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS pg_sybil;
CREATE SCHEMA t10;
SET LOCAL search_path = t10, public;

SELECT plan(21);

-- Tolerance for entropy against scipy: |got - want| <= 1e-9 |want| + abs_tol.
-- Entropy is a sum of -p log p over probabilities rounded to doubles, so a
-- doubles-based computation is only good to ~1e-15 absolute, and scipy is
-- off by that much on very skewed histograms whose entropy is ~1e-12 (e.g.
-- 2^52 plus 309 halves: exact 2.81092e-12, scipy 2.80980e-12, the
-- extension 2.81108e-12).  Those are checked against exact values below.
\set abs_tol 1e-13
\ir lib/helpers.psql
\ir generated/histograms.sql

CREATE TABLE hh AS
  SELECT id, kind, pg_temp.try_hist(src) AS h, src FROM hist;
ANALYZE hh;

SELECT pg_temp.check_rows('every generated text parses as a sybil.histogram',
  $$SELECT id, h IS NOT NULL AS pass, src AS detail FROM hh$$);

SELECT is((SELECT count(DISTINCT kind)::int FROM hist WHERE kind NOT LIKE 'pair-%'), 7,
          'the fixture has every kind of histogram: single, uniform, skewed, dirichlet, lognormal, nasty, empty');

-- label_count and total
SELECT pg_temp.check_rows('label_count = number of positive counts written',
  $$SELECT x.id, sybil.label_count(h) = x.n_labels AS pass,
           format('label_count %s, want %s', sybil.label_count(h), x.n_labels) AS detail
      FROM hh JOIN hist x USING (id)$$);

SELECT pg_temp.check_rows('total is exact for integer counts',
  $$SELECT x.id, sybil.total(h) = x.total AS pass,
           format('total %s, want %s', sybil.total(h), x.total) AS detail
      FROM hh JOIN hist x USING (id) WHERE x.is_integer$$);

SELECT pg_temp.check_close('total agrees with math.fsum (all histograms)',
  $$SELECT x.id, sybil.total(h) AS got, x.total AS want FROM hh JOIN hist x USING (id)$$);

-- entropy
SELECT pg_temp.check_close('entropy agrees with scipy.stats.entropy(base=2)',
  $$SELECT x.id || ' ' || x.kind AS id, sybil.entropy(h) AS got, x.entropy AS want
      FROM hh JOIN hist x USING (id) WHERE x.n_labels > 0$$, 1e-9, :abs_tol);

SELECT pg_temp.check_close('entropy agrees with the exact value (decimal, 40 digits) for histograms of at most 8 distinct counts: single, uniform, skewed',
  $$SELECT x.id || ' ' || x.kind AS id, sybil.entropy(h) AS got, x.entropy_exact AS want
      FROM hh JOIN hist x USING (id) WHERE x.entropy_exact IS NOT NULL$$);

SELECT pg_temp.check_rows('entropy is 0 for one label and in [0, log2(n)] (up to 1e-12) otherwise',
  $$SELECT x.id, CASE WHEN x.n_labels = 1 THEN sybil.entropy(h) = 0
                      ELSE sybil.entropy(h) BETWEEN 0 AND log(2, x.n_labels::numeric)::float8 * (1 + 1e-12) END AS pass,
           format('entropy %s with %s labels', sybil.entropy(h), x.n_labels) AS detail
      FROM hh JOIN hist x USING (id) WHERE x.n_labels > 0$$);

SELECT pg_temp.check_close('normalized_entropy agrees with scipy entropy / log2(n) (0 for one label)',
  $$SELECT x.id || ' ' || x.kind AS id, sybil.normalized_entropy(h) AS got, x.norm_entropy AS want
      FROM hh JOIN hist x USING (id) WHERE x.n_labels > 0$$, 1e-9, :abs_tol);

-- Rounding can make H / log2(n) an ulp above 1 for uniform histograms (e.g.
-- five labels of count 1 gave 1.0000000000000002): the documented range holds.
SELECT pg_temp.check_rows('normalized_entropy is in [0, 1]',
  $$SELECT x.id || ' ' || x.kind AS id, sybil.normalized_entropy(h) BETWEEN 0 AND 1 AS pass,
           format('normalized_entropy %s with %s labels', sybil.normalized_entropy(h), x.n_labels) AS detail
      FROM hh JOIN hist x USING (id) WHERE x.n_labels > 0$$);

SELECT pg_temp.check_rows('uniform histograms: normalized_entropy = 1 and entropy = log2(n) (to 1e-12)',
  $$SELECT x.id, abs(sybil.normalized_entropy(h) - 1) <= 1e-12
                 AND abs(sybil.entropy(h) - log(2, x.n_labels::numeric)::float8) <= 1e-12 * log(2, x.n_labels::numeric)::float8 AS pass,
           format('n %s: entropy %s, normalized %s', x.n_labels, sybil.entropy(h), sybil.normalized_entropy(h)) AS detail
      FROM hh JOIN hist x USING (id) WHERE x.kind = 'uniform'$$);

-- top_share
SELECT pg_temp.check_close('top_share(h, k) agrees with fsum(k largest) / fsum(all), k random in 0..n+3',
  $$SELECT x.id || ' k=' || x.k AS id, sybil.top_share(h, x.k) AS got, x.top_share AS want
      FROM hh JOIN hist x USING (id) WHERE x.n_labels > 0$$);

SELECT pg_temp.check_rows('top_share is 0 for k = 0, exactly 1 for k >= n, and grows with k',
  $$SELECT x.id, sybil.top_share(h, 0) = 0 AND sybil.top_share(h, x.n_labels) = 1
                 AND sybil.top_share(h, x.n_labels + 7) = 1
                 AND sybil.top_share(h, 1) <= sybil.top_share(h, 2)
                 AND sybil.top_share(h, 1) >= 1.0 / x.n_labels * (1 - 1e-12) AS pass,
           format('k=0: %s, k=n: %s, k=1: %s, k=2: %s', sybil.top_share(h, 0),
                  sybil.top_share(h, x.n_labels), sybil.top_share(h, 1), sybil.top_share(h, 2)) AS detail
      FROM hh JOIN hist x USING (id) WHERE x.n_labels > 0$$);

-- top_labels: the k largest, largest first, ties by label bytes; counts exact
CREATE TABLE ranked AS
  SELECT id, label, count,
         row_number() OVER (PARTITION BY id ORDER BY count DESC, label COLLATE "C") AS rank
    FROM hist_entry;
CREATE TABLE got_top AS
  SELECT hh.id, t.rank, t.label, t.count, t.share
    FROM hh JOIN hist x USING (id),
         LATERAL sybil.top_labels(hh.h, x.k) WITH ORDINALITY AS t(label, count, share, rank);

SELECT pg_temp.check_rows('top_labels(h, k) gives min(k, n) rows: the largest counts, largest first, ties by label bytes',
  $$SELECT coalesce(g.id, e.id) || ' rank ' || coalesce(g.rank, e.rank) AS id,
           g.label IS NOT DISTINCT FROM e.label AND g.count IS NOT DISTINCT FROM e.count AS pass,
           format('got (%s, %s), want (%s, %s)', g.label, g.count, e.label, e.count) AS detail
      FROM got_top g
      FULL JOIN (SELECT r.* FROM ranked r JOIN hist x USING (id) WHERE r.rank <= x.k) e
        ON e.id = g.id AND e.rank = g.rank$$);

SELECT pg_temp.check_close('top_labels share = count / fsum(counts)',
  $$SELECT g.id || ' rank ' || g.rank AS id, g.share AS got, g.count / x.total AS want
      FROM got_top g JOIN hist x USING (id)$$);

SELECT pg_temp.check_rows('top_labels shares sum to top_share(h, k) (to 1e-12)',
  $$SELECT x.id, abs(coalesce(s.sum_share, 0) - coalesce(sybil.top_share(hh.h, x.k), 0)) <= 1e-12 AS pass,
           format('sum of shares %s, top_share %s', s.sum_share, sybil.top_share(hh.h, x.k)) AS detail
      FROM hist x JOIN hh USING (id)
      LEFT JOIN (SELECT id, sum(share) AS sum_share FROM got_top GROUP BY id) s USING (id)$$);

-- empty histograms
SELECT pg_temp.check_rows('empty histograms (including all-zero texts): entropy, normalized_entropy, top_share are NULL',
  $$SELECT x.id || ' ' || x.src AS id,
           sybil.entropy(h) IS NULL AND sybil.normalized_entropy(h) IS NULL
           AND sybil.top_share(h, 1) IS NULL AND sybil.top_share(h, 0) IS NULL AS pass,
           format('entropy %s, normalized %s, top_share %s', sybil.entropy(h),
                  sybil.normalized_entropy(h), sybil.top_share(h, 1)) AS detail
      FROM hh JOIN hist x USING (id) WHERE x.n_labels = 0$$);

SELECT pg_temp.check_rows('empty histograms: total 0, label_count 0, no top_labels, equal to {}',
  $$SELECT x.id || ' ' || x.src AS id,
           sybil.total(h) = 0 AND sybil.label_count(h) = 0
           AND NOT EXISTS (SELECT FROM sybil.top_labels(h, 5))
           AND h OPERATOR(sybil.=) '{}'::sybil.histogram AS pass,
           format('total %s, label_count %s, text %s', sybil.total(h), sybil.label_count(h), h) AS detail
      FROM hh JOIN hist x USING (id) WHERE x.n_labels = 0$$);

SELECT is(ARRAY[sybil.entropy(NULL), sybil.normalized_entropy(NULL), sybil.top_share(NULL, 1), sybil.total(NULL)],
          ARRAY[NULL, NULL, NULL, NULL]::float8[], 'the functions are strict: NULL in, NULL out');

SELECT throws_ok($$SELECT sybil.top_share('{"a": 1}', -1)$$, '22023', NULL,
                 'top_share with a negative k is an error');

SELECT throws_ok($$SELECT * FROM sybil.top_labels('{"a": 1}', -1)$$, '22023', NULL,
                 'top_labels with a negative k is an error');

SELECT * FROM finish();
ROLLBACK;
