-- sybil.histogram: text and binary forms, casts, equality, and bad input.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS pg_sybil;
RESET client_min_messages;
SET extra_float_digits = 0;

-- Text form: labels in byte order, zero counts dropped, shortest exact counts.
SELECT '{"b": 2, "a": 1.5, "zero": 0, "c": 1e3}'::sybil.histogram;
SELECT '{}'::sybil.histogram, ' { } '::sybil.histogram;
SELECT '{"x": 0.1, "y": 1e-300, "z": 1.7976931348623157e308, "w": 9007199254740993}'::sybil.histogram;
SELECT '{"ab": 1, "a": 2, "abc": 3, "": 4, "B": 5}'::sybil.histogram;
SELECT '{"quote\"back\\slash": 1, "tab\there": 2, "nl\n": 3, "\u00e9t\u00e9": 4, "\ud83d\ude00": 5, "\/": 6}'::sybil.histogram;
SELECT '{"été": 1, "ctl\u0001": 2}'::sybil.histogram;

-- Text round-trips exactly, through text and jsonb.
CREATE TABLE round_trip (h sybil.histogram);
INSERT INTO round_trip VALUES
  ('{"a": 0.1, "b": 0.30000000000000004, "c": 3.141592653589793, "d": 5e-324}'),
  ('{"k\"ey": 123456789012345680000, "x": 2.5}'),
  ('{}');
SELECT h::text::sybil.histogram OPERATOR(sybil.=) h AS via_text,
       h::jsonb::sybil.histogram OPERATOR(sybil.=) h AS via_jsonb,
       h::json::sybil.histogram OPERATOR(sybil.=) h AS via_json
  FROM round_trip;
SELECT '{"a": 1, "b": 2.5}'::sybil.histogram::jsonb;
SELECT '{"b": 2.50, "a": 1.0}'::jsonb::sybil.histogram;

-- Equality ignores the order labels were written in and zero counts.
SELECT '{"a": 1, "b": 2}'::sybil.histogram OPERATOR(sybil.=) '{"b": 2, "a": 1, "c": 0}',
       '{"a": 1, "b": 2}'::sybil.histogram OPERATOR(sybil.=) '{"a": 1, "b": 2.0000001}',
       '{"a": 1}'::sybil.histogram OPERATOR(sybil.<>) '{"A": 1}';

-- Binary form: COPY BINARY round trip, and the wire bytes.
SELECT sybil.histogram_send('{"b": 2, "a": 0.5}');
COPY round_trip TO '/tmp/pg_sybil_regress_histogram.bin' WITH (FORMAT binary);
CREATE TABLE from_binary (h sybil.histogram);
COPY from_binary FROM '/tmp/pg_sybil_regress_histogram.bin' WITH (FORMAT binary);
SELECT (SELECT array_agg(h::text ORDER BY h::text) FROM round_trip)
     = (SELECT array_agg(h::text ORDER BY h::text) FROM from_binary) AS binary_round_trip;

-- Crafted binary input is checked: a bytea written by COPY BINARY is read back
-- as a histogram, so recv sees exactly these bytes.
CREATE FUNCTION recv_bytes(payload bytea) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('COPY (SELECT %L::bytea) TO %L WITH (FORMAT binary)',
                 payload, '/tmp/pg_sybil_regress_crafted.bin');
  TRUNCATE from_binary;
  COPY from_binary FROM '/tmp/pg_sybil_regress_crafted.bin' WITH (FORMAT binary);
  RETURN (SELECT h::text FROM from_binary);
END $$;
-- valid: one label "a" with count 2.0
SELECT recv_bytes('\x010000000140000000000000000000000161'::bytea);
SELECT recv_bytes('\x010000000140000000000000000000000261'::bytea); -- truncated label
SELECT recv_bytes('\x020000000140000000000000000000000161'::bytea); -- unknown version
SELECT recv_bytes('\x01ffffffff'::bytea);                            -- absurd label count
SELECT recv_bytes('\x0100000001fff80000000000000000000161'::bytea); -- NaN count
SELECT recv_bytes('\x0100000001bff00000000000000000000161'::bytea); -- negative count
SELECT recv_bytes('\x010000000140000000000000000000000161ff'::bytea); -- trailing byte
SELECT recv_bytes('\x0100000002400000000000000000000001613ff00000000000000000000161'::bytea); -- duplicate
SELECT recv_bytes('\x010000000140000000000000000000000100'::bytea);  -- NUL byte in label
SELECT recv_bytes('\x0100000001400000000000000000000001ff'::bytea);  -- invalid UTF-8

-- Bad text input gets a clear error.
SELECT 'not json'::sybil.histogram;
SELECT '[1, 2]'::sybil.histogram;
SELECT '{"a": 1'::sybil.histogram;
SELECT '{"a" 1}'::sybil.histogram;
SELECT '{"a": 1,}'::sybil.histogram;
SELECT '{"a": 1} x'::sybil.histogram;
SELECT '{a: 1}'::sybil.histogram;
SELECT '{"a": "1"}'::sybil.histogram;
SELECT '{"a": 01}'::sybil.histogram;
SELECT '{"a": 1.}'::sybil.histogram;
SELECT '{"a": -1}'::sybil.histogram;
SELECT '{"a": 1e999}'::sybil.histogram;
SELECT '{"a": NaN}'::sybil.histogram;
SELECT '{"a": Infinity}'::sybil.histogram;
SELECT '{"a": 1, "a": 2}'::sybil.histogram;
SELECT '{"a": 0, "a": 2}'::sybil.histogram;
SELECT '{"\u0000": 1}'::sybil.histogram;
SELECT '{"\ud800": 1}'::sybil.histogram;
SELECT '{"\udc00": 1}'::sybil.histogram;
SELECT '{"\x": 1}'::sybil.histogram;
SELECT E'{"a\tb": 1}'::sybil.histogram;
SELECT '{"a": 1, "b": -0}'::sybil.histogram;
SELECT '{"big": 1}'::jsonb::sybil.histogram, '{"a": [1]}'::jsonb::sybil.histogram;
