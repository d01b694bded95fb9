-- Connected components of the edges a query returns.

CREATE FUNCTION sybil.components(
        edges_query pg_catalog.text,
        min_weight pg_catalog.float8 DEFAULT NULL,
        min_size pg_catalog.int8 DEFAULT 1,
        seed sybil.component_set DEFAULT NULL)
    RETURNS TABLE (node pg_catalog.int8, component pg_catalog.int8, component_size pg_catalog.int8)
    AS 'MODULE_PATHNAME', 'components_of_query' LANGUAGE C VOLATILE PARALLEL UNSAFE ROWS 10000;
COMMENT ON FUNCTION sybil.components(pg_catalog.text, pg_catalog.float8, pg_catalog.int8, sybil.component_set) IS
    'Connected components of the edges (a, b [, weight]) that edges_query returns, run with the caller''s rights: one row per node with its component (smallest node id) and the component''s size; edges lighter than min_weight are skipped, components smaller than min_size are not returned, seed adds a previous result''s partition';
