-- The text form of sybil.histogram on about 1,900 random histograms: Python's
-- texts (random spacing, \u escapes and surrogate pairs, zero counts, counts
-- written as 3, 3.0, 3e0 or 30E-1) mean exactly the labels and counts Python
-- meant; output round-trips through text, json and jsonb; equality.
\set QUIET 1
\set ON_ERROR_STOP 1
BEGIN;
SET LOCAL client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS pg_sybil;
CREATE SCHEMA t30;
SET LOCAL search_path = t30, public;
SET LOCAL extra_float_digits = 1;   -- float8 text: the shortest exact form

SELECT plan(15);
\ir lib/helpers.psql
\ir generated/histograms.sql

CREATE TABLE hh AS SELECT id, kind, src, pg_temp.try_hist(src) AS h FROM hist;
ANALYZE hh;

SELECT pg_temp.check_rows('every generated text parses',
  $$SELECT id, h IS NOT NULL AS pass, src AS detail FROM hh$$);

SELECT cmp_ok((SELECT count(*)::int FROM hh WHERE src ~ '\\u[dD][89abAB]'), '>', 10,
              'the fixture has texts with surrogate-pair escapes');

SELECT pg_temp.check_rows('each text means exactly the labels and counts Python wrote (zero counts dropped)',
  $$SELECT coalesce(g.id, e.id) || ' ' || coalesce(g.label, e.label) AS id,
           g.count IS NOT DISTINCT FROM e.count AS pass,
           format('stored %s, written %s', g.count, e.count) AS detail
      FROM (SELECT hh.id, x.label, x.count FROM hh, pg_temp.entries(hh.h) x) g
      FULL JOIN hist_entry e ON e.id = g.id AND e.label = g.label$$);

SELECT pg_temp.check_rows('h::text::sybil.histogram = h',
  $$SELECT id, h::text::sybil.histogram OPERATOR(sybil.=) h AS pass, h::text AS detail FROM hh$$);

SELECT pg_temp.check_rows('the output text is canonical: writing it again gives the same text',
  $$SELECT id, h::text::sybil.histogram::text = h::text AS pass, h::text AS detail FROM hh$$);

SELECT pg_temp.check_rows('h::jsonb::sybil.histogram = h',
  $$SELECT id, h::jsonb::sybil.histogram OPERATOR(sybil.=) h AS pass, h::jsonb::text AS detail FROM hh$$);

SELECT pg_temp.check_rows('h::json::sybil.histogram = h',
  $$SELECT id, h::json::sybil.histogram OPERATOR(sybil.=) h AS pass, h::json::text AS detail FROM hh$$);

SELECT pg_temp.check_rows('PostgreSQL''s JSON parser and writer agree: src::jsonb::sybil.histogram = src::sybil.histogram',
  $$SELECT id, src::jsonb::sybil.histogram OPERATOR(sybil.=) h AS pass, src AS detail FROM hh$$);

SELECT pg_temp.check_rows('output counts are the shortest exact decimals (h::jsonb equals the jsonb of the float8 counts)',
  $$SELECT hh.id, hh.h::jsonb = coalesce(e.j, '{}') AS pass,
           format('%s vs %s', left(hh.h::text, 150), left(e.j::text, 150)) AS detail
      FROM hh LEFT JOIN (SELECT id, jsonb_object_agg(label, count) AS j FROM hist_entry GROUP BY id) e USING (id)$$);

SELECT pg_temp.check_rows('output labels are in byte order',
  $$SELECT id, array_agg(k ORDER BY o) = array_agg(k ORDER BY k COLLATE "C") AS pass,
           left(array_agg(k ORDER BY o)::text, 300) AS detail
      FROM hh, json_object_keys(h::text::json) WITH ORDINALITY AS j(k, o)
     GROUP BY id$$);

-- equality over every pair of the fixture, and each histogram with itself
SELECT pg_temp.check_rows('= and <> agree with equality of the labels and counts',
  $$SELECT p.id || ' ' || p.kind AS id,
           (a.h OPERATOR(sybil.=) b.h) = (ea.j IS NOT DISTINCT FROM eb.j)
           AND (a.h OPERATOR(sybil.<>) b.h) = NOT (a.h OPERATOR(sybil.=) b.h)
           AND a.h OPERATOR(sybil.=) a.h AND NOT a.h OPERATOR(sybil.<>) a.h AS pass,
           format('%s = %s: %s', left(a.h::text, 100), left(b.h::text, 100), a.h OPERATOR(sybil.=) b.h) AS detail
      FROM pair p JOIN hh a ON a.id = p.a JOIN hh b ON b.id = p.b
      LEFT JOIN (SELECT id, array_agg(label || '=' || count ORDER BY label COLLATE "C") AS j
                   FROM hist_entry GROUP BY id) ea ON ea.id = p.a
      LEFT JOIN (SELECT id, array_agg(label || '=' || count ORDER BY label COLLATE "C") AS j
                   FROM hist_entry GROUP BY id) eb ON eb.id = p.b$$);

SELECT cmp_ok((SELECT count(*)::int FROM pair p JOIN hh a ON a.id = p.a JOIN hh b ON b.id = p.b
                WHERE a.h OPERATOR(sybil.=) b.h AND p.a <> p.b), '>', 0,
              'some pairs of distinct fixture rows are equal histograms (so = is tested both ways)');

-- labels equal after decoding are duplicates
SELECT throws_ok($$SELECT '{"a": 1, "\u0061": 2}'::sybil.histogram$$, '22P02', NULL,
                 'a label written twice, once escaped, is a duplicate');
SELECT throws_ok($$SELECT '{"\ud83d\ude42": 1, "🙂": 2}'::sybil.histogram$$, '22P02', NULL,
                 'a surrogate pair and the raw character are the same label');
SELECT throws_ok($$SELECT '{"\ude42\ud83d": 1}'::sybil.histogram$$, '22P02', NULL,
                 'a surrogate pair in the wrong order is an error');

SELECT * FROM finish();
ROLLBACK;
