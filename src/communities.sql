-- Communities (Leiden, modularity) of the weighted edges a query returns.

CREATE FUNCTION sybil.communities(
        edges_query pg_catalog.text,
        resolution pg_catalog.float8 DEFAULT 1.0,
        seed pg_catalog.int8 DEFAULT 0,
        min_size pg_catalog.int8 DEFAULT 1)
    RETURNS TABLE (node pg_catalog.int8, community pg_catalog.int8, community_size pg_catalog.int8,
                   modularity pg_catalog.float8)
    AS 'MODULE_PATHNAME', 'communities_of_query' LANGUAGE C VOLATILE PARALLEL UNSAFE ROWS 10000;
COMMENT ON FUNCTION sybil.communities(pg_catalog.text, pg_catalog.float8, pg_catalog.int8, pg_catalog.int8) IS
    'Communities of the weighted graph of the edges (a, b [, weight]) that edges_query returns, run with the caller''s rights, by the Leiden algorithm maximising modularity at the given resolution (higher: more, smaller communities), reproducible for a seed: one row per node with its community (smallest node id), the community''s size and the modularity of the whole partition; communities smaller than min_size are not returned';
