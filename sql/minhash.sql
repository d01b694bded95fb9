-- MinHash signatures: sybil.minhash, minhash_agg, minhash_union, minhash(text),
-- jaccard, lsh_bands, similar_pairs.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS pg_sybil;
RESET client_min_messages;
SET search_path = sybil, public;
SET extra_float_digits = 0;

-- Values are stable: these texts must never change (stored signatures
-- compare with new ones).
SELECT minhash_agg(x, 4) FROM generate_series(1, 10) x;
SELECT minhash_agg(x, 4, 7) FROM (VALUES ('a'), ('b'), (NULL)) v(x);
SELECT signature_size(m), signature_seed(m)
  FROM (SELECT minhash_agg(x, 16, -5) AS m FROM generate_series(1, 3) x) s;
-- Integers by value whatever their width; other types by their text form.
SELECT (SELECT minhash_agg(x::smallint)::text FROM generate_series(1, 50) x)
     = (SELECT minhash_agg(x::bigint)::text FROM generate_series(1, 50) x) AS widths_agree,
       (SELECT minhash_agg('10.0.0.1'::inet)::text) = (SELECT minhash_agg('10.0.0.1'::text)::text)
       AS inet_is_its_text;
-- IPv4 is hashed without inet_out (faster) as its text: every mask length,
-- inet and cidr, octets of one to three digits; IPv6 by inet_out.
WITH address AS (
    SELECT g, set_masklen(format('%s.%s.%s.%s', hashint4(g) & 255, (hashint4(g) >> 8) & 255,
                                 (hashint4(g) >> 16) & 255, (hashint4(g) >> 24) & 255)::inet, g % 33) AS ip
    FROM generate_series(1, 3000) g
    UNION ALL SELECT 3000 + g, ip::inet
    FROM unnest('{0.0.0.0/0,255.255.255.255,10.0.0.100,100.10.0.1/8,9.99.0.1/31}'::text[]) WITH ORDINALITY v(ip, g)
    UNION ALL SELECT 4000 + g, ('2001:db8::' || to_hex(g) || '/' || (64 + g % 65))::inet FROM generate_series(1, 200) g
), hashed AS (
    SELECT g, minhash_agg(ip, 16)::text AS inet_sig, minhash_agg(format('%s', ip), 16)::text AS inet_text_sig,
           minhash_agg(network(ip), 16)::text AS cidr_sig, minhash_agg(format('%s', network(ip)), 16)::text AS cidr_text_sig
    FROM address GROUP BY g
)
SELECT count(*) AS addresses, count(*) FILTER (WHERE inet_sig <> inet_text_sig) AS inet_differs,
       count(*) FILTER (WHERE cidr_sig <> cidr_text_sig) AS cidr_differs
FROM hashed;
-- NULL items are skipped; no item at all gives NULL.
SELECT minhash_agg(x) IS NULL AS no_items FROM (VALUES (NULL::int)) v(x);
SELECT minhash_agg(x) IS NULL AS no_rows FROM generate_series(1, 0) x;

-- Text and binary round trips.
SELECT m::text::minhash::text = m::text AS text_round_trip,
       length(minhash_send(m)) AS send_bytes
  FROM (SELECT minhash_agg(x) AS m FROM generate_series(1, 100) x) s;
SELECT '\x0100000100000000000000000000002a'::minhash;
SELECT '\x0100000100000000000000000000002A'::minhash;

-- Jaccard: half of 1..2000 shared.
SELECT jaccard(a, b) BETWEEN 1.0 / 3 - 0.13 AND 1.0 / 3 + 0.13 AS about_a_third,
       jaccard(a, a) AS itself
  FROM (SELECT minhash_agg(x) AS a FROM generate_series(1, 1000) x) s1,
       (SELECT minhash_agg(x) AS b FROM generate_series(501, 1500) x) s2;
-- Roll-ups.
SELECT minhash_union(m)::text = (SELECT minhash_agg(x)::text FROM generate_series(1, 30) x) AS union_is_whole
  FROM (SELECT x % 3 AS part, minhash_agg(x) AS m FROM generate_series(1, 30) x GROUP BY 1) p;
-- Called directly, the transition functions leave their argument alone.
SELECT m::text = before AS unchanged, minhash_add(m, 99)::text <> m::text AS added
  FROM (SELECT minhash_agg(x) AS m, minhash_agg(x)::text AS before FROM generate_series(1, 5) x) s;
SELECT minhash_merge(NULL, m)::text = m::text AS merge_with_null
  FROM (SELECT minhash_agg(x) AS m FROM generate_series(1, 5) x) s;

-- A text's word shingles: templated prompts with a slot filled in.
SELECT round(jaccard(minhash('Translate the following sentence into French: the cat sleeps', 2),
                     minhash('Translate the following sentence into French: the dog sleeps', 2))::numeric, 1)
       AS template_siblings,
       jaccard(minhash('Translate the following sentence into French: the cat sleeps', 2),
               minhash('Write a limerick about a lighthouse keeper and his goat', 2)) AS unrelated;
SELECT minhash('', 3) IS NULL AS empty, minhash(' ,;! ', 3) IS NULL AS no_words,
       minhash('two words', 3)::text = minhash('TWO  words!', 3)::text AS short_text_is_one_shingle;
SELECT signature_size(minhash('a b c', 1, 32, 5)), signature_seed(minhash('a b c', 1, 32, 5));

-- LSH band keys.
SELECT array_length(lsh_bands(m, 32), 1) AS bands, lsh_bands(m, 32) = lsh_bands(m, 32) AS stable
  FROM (SELECT minhash_agg(x) AS m FROM generate_series(1, 10) x) s;
SELECT lsh_bands(minhash_agg(x, 4), 2) FROM generate_series(1, 10) x;

-- Similar pairs: three near-identical IP sets, one a bit further, one unrelated.
CREATE TABLE account_ip (account_id bigint, ip inet);
INSERT INTO account_ip
  SELECT a, ('10.0.' || (g / 250) || '.' || (g % 250))::inet
    FROM generate_series(1, 3) a, generate_series(1, 200) g WHERE g % 40 <> a;
INSERT INTO account_ip SELECT 4, ('10.0.' || (g / 250) || '.' || (g % 250))::inet FROM generate_series(61, 260) g;
INSERT INTO account_ip SELECT 5, ('192.168.' || (g / 250) || '.' || (g % 250))::inet FROM generate_series(1, 200) g;
INSERT INTO account_ip VALUES (6, NULL), (NULL, '10.9.9.9');
CREATE TABLE account_sig AS SELECT account_id, minhash_agg(ip) AS m FROM account_ip GROUP BY account_id;
SELECT a, b, estimate > 0.8 AS near, jaccard
  FROM similar_pairs('SELECT account_id, m FROM account_sig', 0.8) ORDER BY a, b;
SELECT a, b, round(jaccard::numeric, 4) AS jaccard
  FROM similar_pairs('SELECT account_id, m FROM account_sig', 0.5,
                     verify_query => 'SELECT account_id, ip FROM account_ip') ORDER BY a, b;
SELECT count(*) FROM similar_pairs('SELECT account_id, m FROM account_sig WHERE false');
SELECT count(*) FROM similar_pairs('SELECT account_id, m FROM account_sig WHERE account_id = 1');
SELECT count(*) FROM similar_pairs($$SELECT 1::smallint, minhash_agg(1) UNION ALL SELECT 2, NULL$$);

-- Similar sets straight from the (id, item) rows: the pairs and estimates of
-- similar_pairs over minhash_agg(item, k, seed) grouped by id, or exact.
SELECT a, b, estimate > 0.8 AS near, jaccard
  FROM similar_sets('SELECT account_id, ip FROM account_ip', 0.8) ORDER BY a, b;
SELECT a, b, round(jaccard::numeric, 4) AS jaccard
  FROM similar_sets('SELECT account_id, ip FROM account_ip', 0.5, exact => true) ORDER BY a, b;
WITH sets AS (SELECT * FROM similar_sets('SELECT account_id, ip FROM account_ip', 0.3, k => 64, seed => 7)),
     pairs AS (SELECT * FROM similar_pairs(
                 'SELECT account_id, minhash_agg(ip, 64, 7) FROM account_ip GROUP BY 1', 0.3))
SELECT (SELECT count(*) FROM sets) AS pairs,
       (SELECT count(*) FROM (TABLE sets EXCEPT TABLE pairs) x) AS only_from_rows,
       (SELECT count(*) FROM (TABLE pairs EXCEPT TABLE sets) x) AS only_from_signatures;
-- Any id width, items of any type; NULL ids and items are skipped.
SELECT a, b, estimate, jaccard
  FROM similar_sets($$SELECT (g % 3)::smallint, (g / 3)::text FROM generate_series(0, 29) g
                      UNION ALL SELECT NULL, 'x' UNION ALL SELECT 5, NULL$$, 1, exact => true)
 ORDER BY a, b;
SELECT count(*) FROM similar_sets('SELECT account_id, ip FROM account_ip WHERE false');

-- Bad input.
SELECT 'not hex'::minhash;
SELECT '\X0100000100000000000000000000002a'::minhash;
SELECT '\x01'::minhash;
SELECT '\x0100000100000000000000000000002'::minhash;
SELECT '\x0100000100000000000000000000002g'::minhash;
SELECT '\x0200000100000000000000000000002a'::minhash;
SELECT '\x0101000100000000000000000000002a'::minhash;
SELECT '\x0100000000000000000000000000'::minhash;
SELECT '\x010000020000000000000000000000002a'::minhash;
SELECT minhash_agg(x, 0) FROM generate_series(1, 3) x;
SELECT minhash_agg(x, 4097) FROM generate_series(1, 3) x;
SELECT minhash_agg(x, NULL) FROM generate_series(1, 3) x;
SELECT minhash_agg(x, 8, NULL) FROM generate_series(1, 3) x;
SELECT minhash_agg(x, 8 + x % 2) FROM generate_series(1, 3) x;
SELECT jaccard(minhash_agg(x, 8), minhash_agg(x, 16)) FROM generate_series(1, 3) x;
SELECT jaccard(minhash_agg(x, 8, 1), minhash_agg(x, 8, 2)) FROM generate_series(1, 3) x;
SELECT minhash_union(m) FROM (VALUES (minhash('a', 1, 8)), (minhash('a', 1, 16))) v(m);
SELECT minhash('some text', 0);
SELECT minhash('some text', 17);
SELECT minhash('some text', 2, 5000);
SELECT lsh_bands(minhash('some text', 1, 8), 9);
SELECT lsh_bands(minhash('some text', 1, 8), 0);
SELECT * FROM similar_pairs(NULL);
SELECT * FROM similar_pairs('SELECT account_id, m FROM account_sig', 0);
SELECT * FROM similar_pairs('SELECT account_id, m FROM account_sig', 1.5);
SELECT * FROM similar_pairs('SELECT account_id, m FROM account_sig', 'NaN');
SELECT * FROM similar_pairs('SELECT account_id, m FROM account_sig', 0.5, 0);
SELECT * FROM similar_pairs('SELECT account_id, m FROM account_sig', 0.5, 129);
SELECT * FROM similar_pairs('SELECT account_id FROM account_sig');
SELECT * FROM similar_pairs('SELECT m, account_id FROM account_sig');
SELECT * FROM similar_pairs('SELECT account_id, m::text FROM account_sig');
SELECT * FROM similar_pairs('SELECT 7, m FROM account_sig');
SELECT * FROM similar_pairs($$SELECT 1, minhash('a b', 1, 8) UNION ALL SELECT 2, minhash('a b', 1, 16)$$);
SELECT * FROM similar_pairs('SELECT account_id, m FROM account_sig', 0.5, NULL, 'SELECT account_id FROM account_ip');
SELECT * FROM similar_pairs('SELECT account_id, m FROM account_sig', 0.5, NULL, 'SELECT ip, account_id FROM account_ip');
SELECT * FROM similar_pairs('DELETE FROM account_sig');
SELECT * FROM similar_sets(NULL);
SELECT * FROM similar_sets('SELECT account_id, ip FROM account_ip', NULL);
SELECT * FROM similar_sets('SELECT account_id, ip FROM account_ip', 0.5, NULL);
SELECT * FROM similar_sets('SELECT account_id, ip FROM account_ip', 0.5, k => NULL);
SELECT * FROM similar_sets('SELECT account_id, ip FROM account_ip', 0.5, seed => NULL);
SELECT * FROM similar_sets('SELECT account_id, ip FROM account_ip', 0);
SELECT * FROM similar_sets('SELECT account_id, ip FROM account_ip', 'NaN');
SELECT * FROM similar_sets('SELECT account_id, ip FROM account_ip', k => 0);
SELECT * FROM similar_sets('SELECT account_id, ip FROM account_ip', k => 4097);
SELECT * FROM similar_sets('SELECT account_id, ip FROM account_ip', bands => 129);
SELECT * FROM similar_sets('SELECT account_id FROM account_ip');
SELECT * FROM similar_sets('SELECT ip, account_id FROM account_ip');
SELECT * FROM similar_sets('DELETE FROM account_ip');

-- The query runs with the caller's rights.
CREATE ROLE sybil_minhash_reader;
GRANT USAGE ON SCHEMA sybil TO sybil_minhash_reader;
SET ROLE sybil_minhash_reader;
SELECT * FROM similar_pairs('SELECT account_id, m FROM account_sig');
SELECT * FROM similar_sets('SELECT account_id, ip FROM account_ip');
RESET ROLE;
REVOKE USAGE ON SCHEMA sybil FROM sybil_minhash_reader;
DROP ROLE sybil_minhash_reader;

-- statement_timeout stops a run with 20,000 identical signatures (terse:
-- a slow server may still be reading the rows when the timeout comes).
SET statement_timeout = '300ms';
\set VERBOSITY terse
SELECT count(*) FROM similar_pairs($$SELECT g, m FROM generate_series(1, 20000) g,
                                     (SELECT minhash_agg(1) AS m) s$$);
SELECT count(*) FROM similar_sets('SELECT g, 1 FROM generate_series(1, 20000) g');
RESET statement_timeout;
-- sybil.graph_memory_limit bounds the signatures held.
SET sybil.graph_memory_limit = '1MB';
SELECT count(*) FROM similar_pairs($$SELECT g, minhash(g::text, 1) FROM generate_series(1, 5000) g$$);
SELECT count(*) FROM similar_sets('SELECT g, g FROM generate_series(1, 5000) g');
-- ... and the banding's: room for the 5,000 signatures (2.5 MB), not for
-- their band keys.
SET max_parallel_workers_per_gather = 2;
SET sybil.graph_memory_limit = '2800kB';
SELECT count(*) FROM similar_pairs($$SELECT g, minhash(g::text, 1) FROM generate_series(1, 5000) g$$);
RESET max_parallel_workers_per_gather;
RESET sybil.graph_memory_limit;
\set VERBOSITY default

DROP TABLE account_ip, account_sig;
