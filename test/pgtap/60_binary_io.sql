-- The binary form (histogram_send / histogram_recv) on about 1,900 random
-- histograms.  histogram_recv takes an `internal` buffer, so SQL reaches it
-- only through binary COPY: the histograms, or bytea values (whose binary
-- form is their raw bytes), are written to a server file with
-- COPY ... (FORMAT binary) and read back into a sybil.histogram column.
-- That needs the right to write and read server files (superuser in the
-- throwaway cluster of run.sh); without it the file is skipped.
\set QUIET 1
\set ON_ERROR_STOP 1
BEGIN;
SET LOCAL client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS pg_sybil;
CREATE SCHEMA t60;
SET LOCAL search_path = t60, public;

SELECT plan(9);
\ir lib/helpers.psql
\ir generated/histograms.sql

CREATE TABLE hh AS SELECT id, src, pg_temp.try_hist(src) AS h FROM hist;
DELETE FROM hh WHERE h IS NULL;   -- 10_distribution_functions reports those
CREATE TABLE back_h (id int, h sybil.histogram);
CREATE TABLE back_bytes (id int, h sybil.histogram);
CREATE TABLE recv_one (h sybil.histogram);

CREATE FUNCTION pg_temp.may_copy_files() RETURNS bool LANGUAGE sql AS $$
  SELECT rolsuper OR (pg_has_role(current_user, 'pg_write_server_files', 'member')
                      AND pg_has_role(current_user, 'pg_read_server_files', 'member'))
    FROM pg_roles WHERE rolname = current_user
$$;

CREATE FUNCTION pg_temp.scratch() RETURNS text LANGUAGE sql AS $$
  SELECT format('/tmp/pg_sybil_pgtap_%s.bin', pg_backend_pid())
$$;
SELECT 'rm -f ' || pg_temp.scratch() AS scratch_rm \gset

-- recv applied to exactly these bytes
CREATE FUNCTION pg_temp.recv_bytes(b bytea) RETURNS sybil.histogram LANGUAGE plpgsql AS $$
DECLARE
  result sybil.histogram;
BEGIN
  EXECUTE format('COPY (SELECT %L::bytea) TO %L WITH (FORMAT binary)', b, pg_temp.scratch());
  DELETE FROM t60.recv_one;
  EXECUTE format('COPY t60.recv_one FROM %L WITH (FORMAT binary)', pg_temp.scratch());
  SELECT h INTO result FROM t60.recv_one;
  RETURN result;
END
$$;

-- recv of bytes that must be rejected: the SQLSTATE, or 'accepted: <text>'
CREATE FUNCTION pg_temp.recv_outcome(b bytea) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  h sybil.histogram;
BEGIN
  h := pg_temp.recv_bytes(b);
  RETURN 'accepted: ' || h::text;
EXCEPTION WHEN others THEN
  RETURN SQLSTATE || ' ' || SQLERRM;
END
$$;

SELECT pg_temp.may_copy_files() AS may_copy \gset
\if :may_copy

SELECT pg_temp.scratch() AS scratch \gset
COPY (SELECT id, h FROM t60.hh ORDER BY id) TO :'scratch' WITH (FORMAT binary);
COPY t60.back_h FROM :'scratch' WITH (FORMAT binary);
COPY (SELECT id, sybil.histogram_send(h) FROM t60.hh ORDER BY id) TO :'scratch' WITH (FORMAT binary);
COPY t60.back_bytes FROM :'scratch' WITH (FORMAT binary);

-- Cases of damaged input: each of 200 histograms cut short at a random
-- point, and each of 200 with one random byte replaced.
SELECT setseed(((SELECT seed FROM meta) % 1000003) / 1000003.0) \g /dev/null
CREATE TABLE damaged AS
  WITH pick AS (
    SELECT id, sybil.histogram_send(h) AS b, random() AS r1, random() AS r2
      FROM hh ORDER BY random() LIMIT 400)
  SELECT id, 'cut' AS how, length(b) AS len, (r1 * (length(b) - 1))::int AS at,
         substring(b FROM 1 FOR (r1 * (length(b) - 1))::int) AS bytes
    FROM (SELECT * FROM pick LIMIT 200) p
  UNION ALL
  SELECT id, 'byte', length(b), (r1 * (length(b) - 1))::int,
         set_byte(b, (r1 * (length(b) - 1))::int,
                  (get_byte(b, (r1 * (length(b) - 1))::int) + 1 + (r2 * 254)::int) % 256)
    FROM (SELECT * FROM pick OFFSET 200) p;
CREATE TABLE outcome AS
  SELECT id, how, len, at, bytes, pg_temp.recv_outcome(bytes) AS result FROM damaged;
COPY (SELECT 1 WHERE false) TO PROGRAM :'scratch_rm';

SELECT pg_temp.check_rows('COPY BINARY of the histograms and back gives the same histograms',
  $$SELECT coalesce(a.id, b.id), pg_temp.same(a.h, b.h), format('sent %s, received %s', a.h, b.h)
      FROM hh a FULL JOIN back_h b USING (id)$$);
SELECT pg_temp.check_rows('histogram_recv of the bytes of histogram_send(h) gives h',
  $$SELECT coalesce(a.id, b.id), pg_temp.same(a.h, b.h), format('sent %s, received %s', a.h, b.h)
      FROM hh a FULL JOIN back_bytes b USING (id)$$);
SELECT pg_temp.check_rows('histogram_send(histogram_recv(histogram_send(h))) = histogram_send(h), byte for byte',
  $$SELECT a.id, sybil.histogram_send(a.h) = sybil.histogram_send(b.h), sybil.histogram_send(b.h)::text
      FROM hh a JOIN back_bytes b USING (id)$$);
SELECT pg_temp.check_rows('histogram_send is a function of the value: the same bytes through text, json and jsonb',
  $$SELECT id, sybil.histogram_send(h) = sybil.histogram_send(h::text::sybil.histogram)
               AND sybil.histogram_send(h) = sybil.histogram_send(h::jsonb::sybil.histogram)
               AND sybil.histogram_send(h) = sybil.histogram_send(src::jsonb::sybil.histogram), src
      FROM hh$$);
SELECT is((SELECT count(*)::int FROM outcome WHERE how = 'cut'), 200, '200 truncated inputs');
SELECT pg_temp.check_rows('every strict prefix of a valid binary histogram is rejected with 22P03',
  $$SELECT id || ' cut at ' || at || ' of ' || len, result LIKE '22P03 %', result
      FROM outcome WHERE how = 'cut'$$);
SELECT pg_temp.check_rows('a changed byte is rejected (22P03 or 22021) or read as a valid histogram that round-trips',
  $$SELECT o.id || ' byte ' || o.at || ' of ' || o.len,
           o.result ~ '^(22P03|22021) '
           OR (o.result LIKE 'accepted: %'
               AND substr(o.result, 11)::sybil.histogram::text = substr(o.result, 11)),
           o.result
      FROM outcome o WHERE how = 'byte'$$);
SELECT cmp_ok((SELECT count(*)::int FROM outcome WHERE how = 'byte' AND result LIKE 'accepted: %'), '>', 0,
              'some changed bytes still make a valid histogram (a count or a label changed)');
SELECT cmp_ok((SELECT count(*)::int FROM outcome WHERE how = 'byte' AND result NOT LIKE 'accepted: %'), '>', 0,
              'some changed bytes are rejected');

\else
SELECT skip('cannot write and read server files (needs superuser or pg_write/read_server_files)', 9);
\endif

SELECT * FROM finish();
ROLLBACK;
