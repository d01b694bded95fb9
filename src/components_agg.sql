-- Aggregates building component sets.  The state is sybil.component_set
-- itself, so partial states travel as ordinary values (parallel workers, Citus).

CREATE FUNCTION sybil.components_add_edge(sybil.component_set, pg_catalog.int8, pg_catalog.int8)
    RETURNS sybil.component_set
    AS 'MODULE_PATHNAME', 'components_add_edge_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION sybil.components_merge(sybil.component_set, sybil.component_set)
    RETURNS sybil.component_set
    AS 'MODULE_PATHNAME', 'components_merge_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION sybil.components_add_edge(sybil.component_set, pg_catalog.int8, pg_catalog.int8) IS
    'Transition function of components_agg: the set with the edge a-b added (one NULL end adds the other node alone)';
COMMENT ON FUNCTION sybil.components_merge(sybil.component_set, sybil.component_set) IS
    'Components of the union of two graphs; transition function of components_union and combine function of both aggregates';

CREATE AGGREGATE sybil.components_agg(a pg_catalog.int8, b pg_catalog.int8) (
    SFUNC = sybil.components_add_edge,
    STYPE = sybil.component_set,
    COMBINEFUNC = sybil.components_merge,
    SSPACE = 4096,
    PARALLEL = SAFE
);
CREATE AGGREGATE sybil.components_union(sybil.component_set) (
    SFUNC = sybil.components_merge,
    STYPE = sybil.component_set,
    COMBINEFUNC = sybil.components_merge,
    SSPACE = 4096,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE sybil.components_agg(pg_catalog.int8, pg_catalog.int8) IS
    'Connected components of the edges (a, b): a self-loop or one NULL end adds a lone node, rows with both ends NULL are skipped; NULL when no row';
COMMENT ON AGGREGATE sybil.components_union(sybil.component_set) IS
    'Connected components of the union of the graphs behind component sets (roll-ups, extending yesterday''s components)';
