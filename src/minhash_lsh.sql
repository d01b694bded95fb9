-- Similar pairs among MinHash signatures without comparing all pairs (locality-sensitive hashing).

CREATE FUNCTION sybil.lsh_bands(sybil.minhash, bands pg_catalog.int4) RETURNS pg_catalog.int8[]
    AS 'MODULE_PATHNAME', 'minhash_lsh_bands' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sybil.similar_pairs(signatures_query pg_catalog.text,
                                    threshold pg_catalog.float8 DEFAULT 0.5,
                                    bands pg_catalog.int4 DEFAULT NULL,
                                    verify_query pg_catalog.text DEFAULT NULL,
                                    OUT a pg_catalog.int8, OUT b pg_catalog.int8,
                                    OUT estimate pg_catalog.float8, OUT jaccard pg_catalog.float8)
    RETURNS SETOF record
    AS 'MODULE_PATHNAME', 'similar_pairs' LANGUAGE C VOLATILE PARALLEL UNSAFE ROWS 1000;

COMMENT ON FUNCTION sybil.lsh_bands(sybil.minhash, pg_catalog.int4) IS
    'LSH band keys of a signature: one key per band of k / bands minima; signatures that share a key agree on a whole band (candidates for similarity)';
COMMENT ON FUNCTION sybil.similar_pairs(pg_catalog.text, pg_catalog.float8, pg_catalog.int4, pg_catalog.text) IS
    'Pairs (a < b) among the (id, signature) rows of signatures_query, run with the caller''s rights, whose estimated Jaccard similarity is at least threshold, found by LSH banding (bands: default chosen from threshold); with verify_query of (id, item) rows, candidates are kept by their exact Jaccard similarity instead';
