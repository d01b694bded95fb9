-- sybil.minhash: a MinHash signature of a set, for estimating Jaccard similarity.

CREATE TYPE sybil.minhash;
CREATE FUNCTION sybil.minhash_in(pg_catalog.cstring) RETURNS sybil.minhash
    AS 'MODULE_PATHNAME', 'minhash_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sybil.minhash_out(sybil.minhash) RETURNS pg_catalog.cstring
    AS 'MODULE_PATHNAME', 'minhash_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sybil.minhash_recv(pg_catalog.internal) RETURNS sybil.minhash
    AS 'MODULE_PATHNAME', 'minhash_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sybil.minhash_send(sybil.minhash) RETURNS pg_catalog.bytea
    AS 'MODULE_PATHNAME', 'minhash_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE sybil.minhash (
    INPUT = sybil.minhash_in,
    OUTPUT = sybil.minhash_out,
    RECEIVE = sybil.minhash_recv,
    SEND = sybil.minhash_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = double,
    STORAGE = external
);

CREATE FUNCTION sybil.jaccard(sybil.minhash, sybil.minhash) RETURNS pg_catalog.float8
    AS 'MODULE_PATHNAME', 'minhash_jaccard' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sybil.signature_size(sybil.minhash) RETURNS pg_catalog.int4
    AS 'MODULE_PATHNAME', 'minhash_k' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sybil.signature_seed(sybil.minhash) RETURNS pg_catalog.int8
    AS 'MODULE_PATHNAME', 'minhash_seed' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON TYPE sybil.minhash IS
    'MinHash signature of a set: k minima of seeded hash functions; the share of equal minima of two signatures estimates the Jaccard similarity of their sets (standard error sqrt(J(1-J)/k))';
COMMENT ON FUNCTION sybil.minhash_in(pg_catalog.cstring) IS
    'Input of sybil.minhash: \x and the hexadecimal digits of its binary form';
COMMENT ON FUNCTION sybil.minhash_out(sybil.minhash) IS
    'Output of sybil.minhash: \x and the hexadecimal digits of its binary form';
COMMENT ON FUNCTION sybil.minhash_recv(pg_catalog.internal) IS
    'Binary input of sybil.minhash: version 1, a zero byte, k (2 bytes), seed (8 bytes), k minima (4 bytes each), big-endian';
COMMENT ON FUNCTION sybil.minhash_send(sybil.minhash) IS
    'Binary output of sybil.minhash: version 1, a zero byte, k (2 bytes), seed (8 bytes), k minima (4 bytes each), big-endian';
COMMENT ON FUNCTION sybil.jaccard(sybil.minhash, sybil.minhash) IS
    'Estimated Jaccard similarity of the two signatures'' sets: the share of equal minima; both must have the same size and seed';
COMMENT ON FUNCTION sybil.signature_size(sybil.minhash) IS 'The number k of minima in the signature';
COMMENT ON FUNCTION sybil.signature_seed(sybil.minhash) IS 'The seed of the signature''s hash functions';
