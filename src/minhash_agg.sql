-- MinHash signatures of the items of a group, of signatures, and of a text's word shingles.

CREATE FUNCTION sybil.minhash_add(sybil.minhash, anyelement) RETURNS sybil.minhash
    AS 'MODULE_PATHNAME', 'minhash_add' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION sybil.minhash_add(sybil.minhash, anyelement, pg_catalog.int4) RETURNS sybil.minhash
    AS 'MODULE_PATHNAME', 'minhash_add' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION sybil.minhash_add(sybil.minhash, anyelement, pg_catalog.int4, pg_catalog.int8)
    RETURNS sybil.minhash
    AS 'MODULE_PATHNAME', 'minhash_add' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION sybil.minhash_merge(sybil.minhash, sybil.minhash) RETURNS sybil.minhash
    AS 'MODULE_PATHNAME', 'minhash_merge' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE sybil.minhash_agg(anyelement) (
    SFUNC = sybil.minhash_add,
    STYPE = sybil.minhash,
    COMBINEFUNC = sybil.minhash_merge,
    SSPACE = 528,
    PARALLEL = SAFE
);
CREATE AGGREGATE sybil.minhash_agg(anyelement, pg_catalog.int4) (
    SFUNC = sybil.minhash_add,
    STYPE = sybil.minhash,
    COMBINEFUNC = sybil.minhash_merge,
    SSPACE = 528,
    PARALLEL = SAFE
);
CREATE AGGREGATE sybil.minhash_agg(anyelement, pg_catalog.int4, pg_catalog.int8) (
    SFUNC = sybil.minhash_add,
    STYPE = sybil.minhash,
    COMBINEFUNC = sybil.minhash_merge,
    SSPACE = 528,
    PARALLEL = SAFE
);
CREATE AGGREGATE sybil.minhash_union(sybil.minhash) (
    SFUNC = sybil.minhash_merge,
    STYPE = sybil.minhash,
    COMBINEFUNC = sybil.minhash_merge,
    SSPACE = 528,
    PARALLEL = SAFE
);

CREATE FUNCTION sybil.minhash(doc pg_catalog.text, shingle pg_catalog.int4,
                              k pg_catalog.int4 DEFAULT 128, seed pg_catalog.int8 DEFAULT 0)
    RETURNS sybil.minhash
    AS 'MODULE_PATHNAME', 'minhash_of_text' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION sybil.minhash_add(sybil.minhash, anyelement) IS
    'Transition function of sybil.minhash_agg(item): adds the item to the signature';
COMMENT ON FUNCTION sybil.minhash_add(sybil.minhash, anyelement, pg_catalog.int4) IS
    'Transition function of sybil.minhash_agg(item, k): adds the item to the signature';
COMMENT ON FUNCTION sybil.minhash_add(sybil.minhash, anyelement, pg_catalog.int4, pg_catalog.int8) IS
    'Transition function of sybil.minhash_agg(item, k, seed): adds the item to the signature';
COMMENT ON FUNCTION sybil.minhash_merge(sybil.minhash, sybil.minhash) IS
    'Signature of the union of the two signatures'' sets; both must have the same size and seed';
COMMENT ON AGGREGATE sybil.minhash_agg(anyelement) IS
    'MinHash signature (k = 128, seed 0) of the set of non-NULL items: integers by value, other types by their text form; NULL when there are none';
COMMENT ON AGGREGATE sybil.minhash_agg(anyelement, pg_catalog.int4) IS
    'MinHash signature with k minima (1 to 4096, seed 0) of the set of non-NULL items; NULL when there are none';
COMMENT ON AGGREGATE sybil.minhash_agg(anyelement, pg_catalog.int4, pg_catalog.int8) IS
    'MinHash signature with k minima and the given seed of the set of non-NULL items; NULL when there are none';
COMMENT ON AGGREGATE sybil.minhash_union(sybil.minhash) IS
    'Signature of the union of the sets of the signatures (roll-ups: daily signatures into a monthly one); all must have the same size and seed';
COMMENT ON FUNCTION sybil.minhash(pg_catalog.text, pg_catalog.int4, pg_catalog.int4, pg_catalog.int8) IS
    'MinHash signature of the set of word shingles (runs of shingle consecutive words) of a text; NULL for a text without words';
