-- Statistics of clusters of nodes in the weighted graph a query returns.

CREATE FUNCTION sybil.cluster_stats(
        edges_query pg_catalog.text,
        clusters_query pg_catalog.text)
    RETURNS TABLE (cluster pg_catalog.int8, size pg_catalog.int8,
                   internal_edges pg_catalog.int8, internal_weight pg_catalog.float8,
                   cut_edges pg_catalog.int8, cut_weight pg_catalog.float8,
                   volume pg_catalog.float8, density pg_catalog.float8, conductance pg_catalog.float8)
    AS 'MODULE_PATHNAME', 'cluster_stats_of_query' LANGUAGE C VOLATILE PARALLEL UNSAFE ROWS 100;
COMMENT ON FUNCTION sybil.cluster_stats(pg_catalog.text, pg_catalog.text) IS
    'Per cluster of the (node, cluster) rows of clusters_query, in the weighted graph of the edges (a, b [, weight]) of edges_query, both run with the caller''s rights: size, linked pairs and weight inside, pairs and weight across the boundary, volume (sum of strengths), density (linked pairs / possible pairs) and conductance (cut weight / the smaller of the volumes inside and outside)';
