-- SimHash fingerprints of texts, and the Hamming distance between two.

CREATE FUNCTION sybil.simhash(pg_catalog.text, shingle pg_catalog.int4 DEFAULT 1)
    RETURNS pg_catalog.int8
    AS 'MODULE_PATHNAME', 'simhash_text' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sybil.simhash(pg_catalog.text, pg_catalog.int4) IS
    '64-bit SimHash of a text over its shingles of 1 to 16 words (default 1), each weighted by its number of occurrences; texts whose bags of shingles are close get fingerprints a small sybil.hamming apart; NULL for a text without a word';

CREATE FUNCTION sybil.hamming(pg_catalog.int8, pg_catalog.int8) RETURNS pg_catalog.int4
    AS 'MODULE_PATHNAME', 'simhash_hamming' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sybil.hamming(pg_catalog.int8, pg_catalog.int8) IS
    'Number of bits in which two bigints differ (popcount of their xor), 0 to 64: the distance between two sybil.simhash fingerprints';
