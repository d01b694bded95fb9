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
CREATE FUNCTION sybil.similar_sets(items_query pg_catalog.text,
                                   threshold pg_catalog.float8 DEFAULT 0.5,
                                   exact pg_catalog.bool DEFAULT false,
                                   k pg_catalog.int4 DEFAULT 128,
                                   seed pg_catalog.int8 DEFAULT 0,
                                   bands pg_catalog.int4 DEFAULT NULL,
                                   OUT a pg_catalog.int8, OUT b pg_catalog.int8,
                                   OUT estimate pg_catalog.float8, OUT jaccard pg_catalog.float8)
    RETURNS SETOF record
    AS 'MODULE_PATHNAME', 'similar_sets' LANGUAGE C VOLATILE PARALLEL UNSAFE ROWS 1000;
COMMENT ON FUNCTION sybil.similar_sets(pg_catalog.text, pg_catalog.float8, pg_catalog.bool, pg_catalog.int4, pg_catalog.int8, pg_catalog.int4) IS
    'Pairs (a < b) of ids whose sets of items are similar, straight from the (id, item) rows of items_query, run with the caller''s rights: the pairs of similar_pairs over minhash_agg(item, k, seed) grouped by id, without the GROUP BY; with exact, kept by their exact Jaccard similarity';
