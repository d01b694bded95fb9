-- SimHash fingerprints and Hamming distances: known values, the tokenizer's
-- rules, NULL for texts without words, errors, and a text's fingerprint in a
-- database of another encoding.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS pg_sybil;
RESET client_min_messages;

SELECT p.oid::regprocedure AS function, p.provolatile, p.proisstrict, p.proparallel,
       pg_get_function_arguments(p.oid) AS arguments
  FROM pg_proc p
 WHERE p.oid IN ('sybil.simhash(text, int4)'::regprocedure, 'sybil.hamming(int8, int8)'::regprocedure)
 ORDER BY p.oid::regprocedure::text COLLATE "C";

-- Known fingerprints: the unit tests and the Python reimplementation of
-- test/reference/simhash_reference.py compute the same.
SELECT sybil.simhash('hello') AS hello,
       to_hex(sybil.simhash('Write a short story about a dragon who learns to code in Python.')) AS prompt,
       to_hex(sybil.simhash('Write a short story about a dragon who learns to code in Python.', 2)) AS prompt_2,
       to_hex(sybil.simhash('Write a short story about a dragon who learns to code in Python.', shingle => 3)) AS prompt_3,
       to_hex(sybil.simhash('请写一个关于龙的故事。')) AS chinese,
       to_hex(sybil.simhash('a b c d', 16)) AS shingle_16;

-- Texts without words, and NULL arguments.
SELECT sybil.simhash('') IS NULL AS empty,
       sybil.simhash(' ... !? ' || U&'\3000\00A0\2014') IS NULL AS separators,
       sybil.simhash(U&'\200B\00AD\FEFF') IS NULL AS invisible,
       sybil.simhash(NULL) IS NULL AS null_text,
       sybil.simhash('words', NULL) IS NULL AS null_shingle;

-- The default shingle is one word; a shingle longer than the text is the
-- whole text; with one word, word order does not count, with two it does.
SELECT sybil.simhash('one two three') = sybil.simhash('one two three', 1) AS default_is_1,
       sybil.simhash('one two three', 16) = sybil.simhash('one two three', 3) AS whole_text,
       sybil.simhash('one two three') = sybil.simhash('three one two') AS order_free_1,
       sybil.simhash('one two three', 2) = sybil.simhash('three one two', 2) AS order_free_2,
       sybil.simhash('one two') = sybil.simhash('one two two') AS counts_ignored;

-- Every count multiplied alike gives the same fingerprint: over single
-- words, a 1.2 MB text (compressed, out of line) that repeats a short one
-- has the short one's.
CREATE TABLE long_text AS SELECT repeat('Lorem ipsum dolor sit amet, ipsum. ', 35000) AS body;
SELECT length(body), pg_column_size(body) < 100000 AS compressed,
       sybil.simhash(body) = sybil.simhash('Lorem ipsum dolor sit amet, ipsum.') AS same
  FROM long_text;
DROP TABLE long_text;

-- The tokenizer: each pair reads as the same words, so as the same shingles.
SELECT rule, sybil.simhash(a, 2) = sybil.simhash(b, 2) AS same
  FROM (VALUES
    ('ASCII case', 'Hello WORLD', 'hello world'),
    ('ASCII punctuation', 'e-mail: don''t_stop (now)!', 'e mail don t stop now'),
    ('no-break, ideographic, em and en spaces', U&'a\00A0b\3000c\2003d\2002e', 'a b c d e'),
    ('general punctuation', U&'\201Cquote\201D \2014 dash\2026', 'quote dash'),
    ('fullwidth punctuation', U&'why\FF1Fyes\FF01', 'why yes'),
    ('zero-width space inside a word', U&'fr\200Bee mo\00ADney', 'free money'),
    ('byte order mark, joiners, direction marks', U&'\FEFFa\200Cb\200Dc\200Ed', 'abcd'),
    ('CJK ideographs are words by themselves', '数据模型', '数 据 模 型'),
    ('kana too, and the katakana middle dot separates', 'カタカナ・テスト', 'カ タ カ ナ テ ス ト'),
    ('Latin-1 punctuation and signs', U&'\00BFque?\00A1s\00ED! \00ABx\00BB', 'que sí x')
  ) v(rule, a, b);

-- ... and these do not.
SELECT rule, sybil.simhash(a, 2) = sybil.simhash(b, 2) AS same
  FROM (VALUES
    ('no case folding beyond ASCII', 'CAFÉ', 'café'),
    ('digits are letters', 'abc123', 'abc 123'),
    ('Hangul syllables make words', '한국어', '한 국 어'),
    ('accents are letters', 'naïve', 'na ve')
  ) v(rule, a, b);

-- Near-duplicate prompts a few bits apart, unrelated ones about 32.
CREATE TABLE prompts (id int, body text);
INSERT INTO prompts VALUES
  (1, 'Write a short story about a dragon who learns to code in Python.'),
  (2, 'write a SHORT story about a dragon, who learns to code in python!!'),
  (3, 'Write a short story about a dragon who learns to code in Rust.'),
  (4, 'Write a short story about a unicorn who learns to code in Rust.'),
  (5, 'Explain the difference between TCP and UDP to a five year old.'),
  (6, 'What is the capital of Australia?');
SELECT a.id AS a, b.id AS b, sybil.hamming(sybil.simhash(a.body), sybil.simhash(b.body)) AS bits
  FROM prompts a JOIN prompts b ON a.id < b.id
 ORDER BY bits, a, b;

-- Hamming distance: the popcount of the xor.
SELECT sybil.hamming(0, 0) AS zero, sybil.hamming(0, -1) AS all_bits,
       sybil.hamming(1, 0) AS one, sybil.hamming(-9223372036854775808, 0) AS sign_bit,
       sybil.hamming(-9223372036854775808, 9223372036854775807) AS min_max,
       sybil.hamming(x'5555555555555555'::bigint, x'aaaaaaaaaaaaaaaa'::bigint) AS alternating,
       sybil.hamming(12345, 54321) = sybil.hamming(54321, 12345) AS symmetric,
       sybil.hamming(NULL, 0) IS NULL AS null_arg;

-- Errors: a shingle of 1 to 16 words.
SELECT sybil.simhash('words', 0);
SELECT sybil.simhash('words', 17);
SELECT sybil.simhash('words', shingle => -2147483648);

-- The fingerprint of a text does not depend on the database's encoding:
-- texts are read as UTF-8, converted from LATIN1 here.
SELECT sybil.simhash('café naïve à la crème') AS utf8_value,
       sybil.minhash('café naïve à la crème', 2)::text AS utf8_minhash \gset
SELECT current_database() AS regress_db \gset
SET client_min_messages = warning;
DROP DATABASE IF EXISTS sybil_simhash_latin1;
RESET client_min_messages;
CREATE DATABASE sybil_simhash_latin1 TEMPLATE template0 ENCODING 'LATIN1' LOCALE 'C';
\c sybil_simhash_latin1
SET client_encoding = 'UTF8';
SET client_min_messages = warning;
CREATE EXTENSION pg_sybil;
RESET client_min_messages;
SELECT pg_encoding_to_char(encoding) AS encoding FROM pg_database WHERE datname = current_database();
SELECT sybil.simhash('café naïve à la crème') = :utf8_value AS same_as_in_utf8,
       sybil.minhash('café naïve à la crème', 2)::text = :'utf8_minhash' AS same_minhash;
\c :regress_db
DROP DATABASE sybil_simhash_latin1;
DROP TABLE prompts;
