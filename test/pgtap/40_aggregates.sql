-- histogram_agg, histogram_union and topic_entropy over ~28,000 random usage
-- rows (account, day, label, weights), against histograms and entropies that
-- Python computed from the same rows (test/reference/distributions.py).
\set QUIET 1
\set ON_ERROR_STOP 1
BEGIN;
SET LOCAL client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS pg_sybil;
CREATE SCHEMA t40;
SET LOCAL search_path = t40, public;
SET LOCAL max_parallel_workers_per_gather = 0;   -- serial here; 50_parallel compares

SELECT plan(24);
\ir lib/helpers.psql
\ir generated/rows.sql

CREATE TABLE acct AS
  SELECT account,
         sybil.histogram_agg(label) AS h_count,
         sybil.histogram_agg(label, w_int::float8) AS h_wint,
         sybil.histogram_agg(label, w_float) AS h_wfloat,
         sybil.topic_entropy(label) AS te
    FROM raw_row GROUP BY account;
CREATE TABLE per_day AS
  SELECT account, day, sybil.histogram_agg(label) AS h FROM raw_row GROUP BY account, day;

SELECT is((SELECT count(*)::int FROM acct), (SELECT count(*)::int FROM acct_expect),
          'one aggregate row per account');

SELECT pg_temp.check_rows('histogram_agg(label) per account = Python''s counts, exactly (NULL for no label)',
  $$SELECT e.account, CASE WHEN e.h_count IS NULL THEN a.h_count IS NULL
                           ELSE a.h_count OPERATOR(sybil.=) e.h_count::sybil.histogram END AS pass,
           format('got %s, want %s', left(a.h_count::text, 150), left(e.h_count, 150)) AS detail
      FROM acct_expect e LEFT JOIN acct a USING (account)$$);

SELECT pg_temp.check_rows('histogram_agg(label, integer weight) = Python''s sums exactly; zero weights leave no label',
  $$SELECT e.account, CASE WHEN e.h_wint IS NULL THEN a.h_wint IS NULL
                           ELSE a.h_wint OPERATOR(sybil.=) e.h_wint::sybil.histogram END AS pass,
           format('got %s, want %s', left(a.h_wint::text, 150), left(e.h_wint, 150)) AS detail
      FROM acct_expect e LEFT JOIN acct a USING (account)$$);

SELECT pg_temp.check_rows('histogram_agg(label, float weight): NULL exactly when no row has a label and a weight; Python''s labels',
  $$SELECT e.account, (a.h_wfloat IS NOT NULL) = e.has_wfloat
                      AND coalesce(sybil.label_count(a.h_wfloat), 0) = e.n_wfloat AS pass,
           format('got %s labels (%s), want %s labels, has %s', sybil.label_count(a.h_wfloat),
                  left(a.h_wfloat::text, 100), e.n_wfloat, e.has_wfloat) AS detail
      FROM acct_expect e LEFT JOIN acct a USING (account)$$);

SELECT pg_temp.check_close('histogram_agg(label, float weight): each label''s sum agrees with math.fsum',
  $$SELECT w.account || ' ' || w.label AS id, g.count AS got, w.weight AS want
      FROM acct_wfloat w
      LEFT JOIN (SELECT a.account, x.label, x.count FROM acct a, pg_temp.entries(a.h_wfloat) x) g
        ON g.account = w.account AND g.label = w.label$$);

SELECT pg_temp.check_close('topic_entropy(label) per account agrees with scipy',
  $$SELECT e.account AS id, a.te AS got, e.entropy AS want FROM acct_expect e JOIN acct a USING (account)$$);

SELECT pg_temp.check_rows('topic_entropy(label) = entropy(histogram_agg(label)) bit for bit (NULL alike)',
  $$SELECT account, te IS NOT DISTINCT FROM sybil.entropy(h_count) AS pass,
           format('topic_entropy %s, entropy %s', te, sybil.entropy(h_count)) AS detail FROM acct$$);

SELECT ok((SELECT h_count IS NULL AND te IS NULL FROM acct WHERE account = 1),
          'an account whose labels are all NULL: histogram_agg and topic_entropy are NULL');

-- every row at once
SELECT ok((SELECT sybil.histogram_agg(label) OPERATOR(sybil.=) (SELECT h_count::sybil.histogram FROM all_expect)
             FROM raw_row),
          'histogram_agg(label) over every row = Python''s counts');
SELECT ok((SELECT sybil.topic_entropy(label) = sybil.entropy(sybil.histogram_agg(label)) FROM raw_row),
          'topic_entropy over every row = entropy(histogram_agg) bit for bit');
SELECT pg_temp.check_close('topic_entropy over every row agrees with scipy',
  $$SELECT 'all' AS id, (SELECT sybil.topic_entropy(label) FROM raw_row) AS got, entropy AS want FROM all_expect$$);

-- per day, and the union of the days
SELECT pg_temp.check_rows('histogram_agg(label) per account and day = Python''s counts',
  $$SELECT e.account || '/' || e.day AS id,
           CASE WHEN e.h_count IS NULL THEN d.h IS NULL
                ELSE d.h OPERATOR(sybil.=) e.h_count::sybil.histogram END AS pass,
           format('got %s, want %s', left(d.h::text, 150), left(e.h_count, 150)) AS detail
      FROM day_expect e FULL JOIN per_day d USING (account, day)$$);

SELECT pg_temp.check_rows('histogram_union of the per-day histograms = histogram_agg over the rows (exact)',
  $$SELECT a.account, CASE WHEN a.h_count IS NULL THEN u.h IS NULL
                           ELSE u.h OPERATOR(sybil.=) a.h_count END AS pass,
           format('union %s, agg %s', left(u.h::text, 150), left(a.h_count::text, 150)) AS detail
      FROM acct a JOIN (SELECT account, sybil.histogram_union(h) AS h FROM per_day GROUP BY account) u USING (account)$$);

SELECT ok((SELECT sybil.histogram_union(h) OPERATOR(sybil.=) (SELECT h_count::sybil.histogram FROM all_expect)
             FROM per_day),
          'histogram_union of every per-day histogram = Python''s counts over every row');

SELECT pg_temp.check_rows('histogram_union of per-account unions of per-day histograms, in shuffled order, = histogram_agg',
  $$SELECT 'all', (SELECT sybil.histogram_union(h ORDER BY md5(account::text)) FROM
                     (SELECT account, sybil.histogram_union(h ORDER BY md5(day::text || account::text)) AS h
                        FROM per_day GROUP BY account) s)
                  OPERATOR(sybil.=) (SELECT sybil.histogram_agg(label) FROM raw_row) AS pass, '' AS detail$$);

-- other executor paths: window frames, ORDER BY and DISTINCT inside the
-- aggregate, GROUPING SETS, hash aggregation spilling to disk
SELECT pg_temp.check_rows('window histogram_agg over the whole partition = the grouped aggregate, on every row',
  $$SELECT r.id, pg_temp.same(w.h, a.h_count) AS pass,
           format('window: %s labels, total %s; grouped: %s labels, total %s', sybil.label_count(w.h),
                  sybil.total(w.h), sybil.label_count(a.h_count), sybil.total(a.h_count)) AS detail
      FROM (SELECT id, account, sybil.histogram_agg(label) OVER (PARTITION BY account) AS h FROM raw_row) w
      JOIN raw_row r USING (id) JOIN acct a ON a.account = r.account$$);

SELECT pg_temp.check_rows('running window histogram_agg (ORDER BY id): the last row = the grouped aggregate',
  $$SELECT account, CASE WHEN a.h_count IS NULL THEN w.h IS NULL ELSE w.h OPERATOR(sybil.=) a.h_count END AS pass,
           format('window %s, grouped %s', left(w.h::text, 100), left(a.h_count::text, 100)) AS detail
      FROM (SELECT DISTINCT ON (account) account, h FROM
              (SELECT id, account, sybil.histogram_agg(label) OVER (PARTITION BY account ORDER BY id) AS h
                 FROM raw_row) s
            ORDER BY account, id DESC) w
      JOIN acct a USING (account)$$);

CREATE TABLE numbered AS
  SELECT id, account, label, row_number() OVER (PARTITION BY account ORDER BY id) AS rn
    FROM raw_row WHERE account <= 60;
ANALYZE numbered;
SELECT pg_temp.check_rows('sliding window (3 rows) histogram_agg = histogram_agg over the same 3 rows',
  $$WITH win AS (
      SELECT id, account, rn,
             sybil.histogram_agg(label) OVER (PARTITION BY account ORDER BY id ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS h
        FROM numbered),
    direct AS (
      SELECT w.id, sybil.histogram_agg(n.label) AS h
        FROM numbered w CROSS JOIN generate_series(0, 2) AS back(k)
        JOIN numbered n ON n.account = w.account AND n.rn = w.rn - back.k
       GROUP BY w.id)
    SELECT w.id, pg_temp.same(w.h, d.h) AS pass, format('window %s, direct %s', w.h, d.h) AS detail
      FROM win w JOIN direct d USING (id)$$);

SELECT pg_temp.check_rows('histogram_agg(label ORDER BY ...) = histogram_agg(label); DISTINCT gives count 1 per label',
  $$SELECT account,
           (a.h_count IS NULL AND o.h IS NULL) OR (o.h OPERATOR(sybil.=) a.h_count
             AND sybil.label_count(o.hd) = o.nd AND sybil.total(o.hd) = o.nd) AS pass,
           format('ordered %s, distinct %s (%s labels)', left(o.h::text, 100), left(o.hd::text, 100), o.nd) AS detail
      FROM acct a JOIN (SELECT account, sybil.histogram_agg(label ORDER BY id DESC) AS h,
                               sybil.histogram_agg(DISTINCT label) AS hd, count(DISTINCT label) AS nd
                          FROM raw_row GROUP BY account) o USING (account)$$);

SELECT pg_temp.check_rows('GROUP BY ROLLUP(account): per-account rows and the grand total are right',
  $$SELECT coalesce(r.account::text, 'total') AS id,
           CASE WHEN r.account IS NULL THEN r.h OPERATOR(sybil.=) (SELECT h_count::sybil.histogram FROM all_expect)
                WHEN a.h_count IS NULL THEN r.h IS NULL
                ELSE r.h OPERATOR(sybil.=) a.h_count END AS pass,
           left(r.h::text, 200) AS detail
      FROM (SELECT account, sybil.histogram_agg(label) AS h FROM raw_row GROUP BY ROLLUP (account)) r
      LEFT JOIN acct a USING (account)$$);

SET LOCAL work_mem = '64kB';
SET LOCAL enable_sort = off;
SET LOCAL hash_mem_multiplier = 1;
SELECT pg_temp.check_rows('hash aggregation under a tiny work_mem (spilling) gives the per-day histograms',
  $$SELECT e.account || '/' || e.day AS id,
           CASE WHEN e.h_count IS NULL THEN d.h IS NULL
                ELSE d.h OPERATOR(sybil.=) e.h_count::sybil.histogram END AS pass,
           format('got %s, want %s', left(d.h::text, 150), left(e.h_count, 150)) AS detail
      FROM day_expect e
      FULL JOIN (SELECT account, day, sybil.histogram_agg(label) AS h FROM raw_row GROUP BY account, day) d
        USING (account, day)$$);
RESET work_mem;
RESET enable_sort;
RESET hash_mem_multiplier;

-- no rows, NULLs, bad weights
SELECT ok((SELECT sybil.histogram_agg(label) IS NULL AND sybil.topic_entropy(label) IS NULL
                  AND sybil.histogram_agg(label, 1.0) IS NULL
             FROM raw_row WHERE false),
          'over no rows: histogram_agg and topic_entropy are NULL');
SELECT ok((SELECT sybil.histogram_union(h) IS NULL FROM per_day WHERE false),
          'histogram_union over no rows is NULL');
SELECT throws_ok($$SELECT sybil.histogram_agg(label, -1.0) FROM (VALUES ('a')) v(label)$$, '22023', NULL,
                 'a negative weight is an error');

SELECT * FROM finish();
ROLLBACK;
