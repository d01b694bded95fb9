-- Counts at the limits of a double (denormals, 1e-300, 2^53, 1e308 and the
-- largest double), against exact values (mpmath at 60 digits, listed in
-- test/reference/distributions.py; scipy works in doubles and fails on some).
\set QUIET 1
\set ON_ERROR_STOP 1
BEGIN;
SET LOCAL client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS pg_sybil;
CREATE SCHEMA t70;
SET LOCAL search_path = t70, public;

SELECT plan(7);
\ir lib/helpers.psql
\ir generated/histograms.sql

-- The SQLSTATE of reading a text as a histogram, NULL when it reads.
CREATE FUNCTION pg_temp.parse_error(src text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  PERFORM src::sybil.histogram;
  RETURN NULL;
EXCEPTION WHEN others THEN
  RETURN SQLSTATE || ' ' || SQLERRM;
END
$$;

CREATE TABLE x AS
  SELECT name, overflow, a, b, pg_temp.parse_error(a) AS a_err, pg_temp.parse_error(b) AS b_err,
         entropy, norm_entropy, total, k, top_share, js, s, kl
    FROM extreme;
ALTER TABLE x ADD ha sybil.histogram, ADD hb sybil.histogram;
UPDATE x SET ha = a::sybil.histogram WHERE a_err IS NULL;
UPDATE x SET hb = b::sybil.histogram WHERE b IS NOT NULL AND b_err IS NULL;

-- one row per (case, function) where an exact value is listed; rejected:
-- the input was refused, so there is no value
CREATE TABLE results AS
  SELECT name, overflow, a_err IS NOT NULL OR b_err IS NOT NULL AS rejected,
         coalesce(a_err, b_err) AS err, fn, got, want
    FROM x, LATERAL (
      SELECT 'entropy' AS fn, sybil.entropy(ha) AS got, entropy AS want WHERE b IS NULL
      UNION ALL SELECT 'normalized_entropy', sybil.normalized_entropy(ha), norm_entropy WHERE b IS NULL
      UNION ALL SELECT 'top_share', sybil.top_share(ha, k), top_share WHERE b IS NULL
      UNION ALL SELECT 'top_labels share', (SELECT sum(share) FROM sybil.top_labels(ha, k)), top_share WHERE b IS NULL
      UNION ALL SELECT 'total', sybil.total(ha), total WHERE b IS NULL
      UNION ALL SELECT 'js_divergence', sybil.js_divergence(ha, hb), js WHERE b IS NOT NULL
      UNION ALL SELECT 'kl_divergence', sybil.kl_divergence(ha, hb, s), kl WHERE b IS NOT NULL) f;

SELECT pg_temp.check_rows('extreme texts whose sums stay finite are read',
  $$SELECT name, a_err IS NULL AND b_err IS NULL, coalesce(a_err, b_err) FROM x WHERE NOT overflow$$);

SELECT pg_temp.check_close('entropy, normalized_entropy, top_share, top_labels, total: exact values for denormal, tiny, 2^53 and huge counts',
  $$SELECT name || ' ' || fn, got, want FROM results WHERE NOT overflow AND fn NOT LIKE '%divergence'$$);

SELECT pg_temp.check_close('js_divergence and kl_divergence: exact values for denormal counts and tiny smoothing',
  $$SELECT name || ' ' || fn, got, want FROM results WHERE NOT overflow AND fn LIKE '%divergence'$$);

-- Counts whose total exceeds the largest double: the histogram may be refused
-- (22003, numeric_value_out_of_range) or give the exact values, but must not
-- give a wrong number (entropy('{"a": 1e308, "b": 1e308}') was once 0).
SELECT pg_temp.check_rows('counts whose total overflows: rejected with 22003, or exact entropy, normalized_entropy, top_share, top_labels, total, js_divergence',
  $$SELECT name || ' ' || fn,
           CASE WHEN rejected THEN err LIKE '22003 %' ELSE pg_temp.close_enough(got, want) END,
           CASE WHEN rejected THEN err ELSE format('got %s, want %s', got, want) END
      FROM results WHERE overflow AND fn <> 'kl_divergence'$$);

-- kl_divergence stays finite when a ratio p/q or q's smoothed total would
-- overflow, e.g. kl_divergence('{"a": 3, "b": 1}', '{"a": 1, "b": 3}', 1e308)
-- (exactly 0.18872...) and kl_divergence('{"a": 1.7976931348623157e308}',
-- '{"b": 1.7976931348623157e308}') (exactly 1025).
SELECT pg_temp.check_rows('kl_divergence when a sum or ratio overflows (huge counts, smoothing 1e308): rejected with 22003, or exact',
  $$SELECT name || ' ' || fn,
           CASE WHEN rejected THEN err LIKE '22003 %' ELSE pg_temp.close_enough(got, want) END,
           CASE WHEN rejected THEN err ELSE format('got %s, want %s', got, want) END
      FROM results WHERE overflow AND fn = 'kl_divergence'$$);

-- Whatever the values, they must not be NaN, and shares must stay in [0, 1].
SELECT pg_temp.check_rows('no function returns NaN on extreme counts',
  $$SELECT name || ' ' || fn, got IS DISTINCT FROM 'NaN'::float8, got::text FROM results$$);
SELECT pg_temp.check_rows('normalized_entropy, top_share and JS stay in [0, 1] on extreme counts',
  $$SELECT name || ' ' || fn, got BETWEEN 0 AND 1, got::text FROM results
     WHERE NOT rejected AND fn IN ('normalized_entropy', 'top_share', 'top_labels share', 'js_divergence')$$);

SELECT * FROM finish();
ROLLBACK;
