-- sybil.component_set: a partition of bigint node ids into connected components.

CREATE TYPE sybil.component_set;

CREATE FUNCTION sybil.component_set_in(pg_catalog.cstring) RETURNS sybil.component_set
    AS 'MODULE_PATHNAME', 'component_set_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sybil.component_set_out(sybil.component_set) RETURNS pg_catalog.cstring
    AS 'MODULE_PATHNAME', 'component_set_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sybil.component_set_recv(pg_catalog.internal) RETURNS sybil.component_set
    AS 'MODULE_PATHNAME', 'component_set_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sybil.component_set_send(sybil.component_set) RETURNS pg_catalog.bytea
    AS 'MODULE_PATHNAME', 'component_set_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE sybil.component_set (
    INPUT = sybil.component_set_in,
    OUTPUT = sybil.component_set_out,
    RECEIVE = sybil.component_set_recv,
    SEND = sybil.component_set_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = int4,
    STORAGE = extended
);

COMMENT ON TYPE sybil.component_set IS
    'Partition of bigint node ids into connected components; text form lists each component in braces, such as {{1,2,3},{5,7}}';
COMMENT ON FUNCTION sybil.component_set_in(pg_catalog.cstring) IS 'Text input of sybil.component_set (components as braced lists of node ids)';
COMMENT ON FUNCTION sybil.component_set_out(sybil.component_set) IS 'Text output of sybil.component_set: components by smallest node, nodes ascending';
COMMENT ON FUNCTION sybil.component_set_recv(pg_catalog.internal) IS 'Binary input of sybil.component_set';
COMMENT ON FUNCTION sybil.component_set_send(sybil.component_set) IS 'Binary output of sybil.component_set';

CREATE FUNCTION sybil.component_set_eq(sybil.component_set, sybil.component_set) RETURNS pg_catalog.bool
    AS 'MODULE_PATHNAME', 'component_set_eq' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sybil.component_set_ne(sybil.component_set, sybil.component_set) RETURNS pg_catalog.bool
    AS 'MODULE_PATHNAME', 'component_set_ne' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sybil.component_set_eq(sybil.component_set, sybil.component_set) IS 'Whether two component sets partition the same nodes the same way';
COMMENT ON FUNCTION sybil.component_set_ne(sybil.component_set, sybil.component_set) IS 'Whether two component sets differ in a node or a component';

CREATE OPERATOR sybil.= (
    LEFTARG = sybil.component_set,
    RIGHTARG = sybil.component_set,
    FUNCTION = sybil.component_set_eq,
    COMMUTATOR = OPERATOR(sybil.=),
    NEGATOR = OPERATOR(sybil.<>),
    RESTRICT = pg_catalog.eqsel,
    JOIN = pg_catalog.eqjoinsel
);
CREATE OPERATOR sybil.<> (
    LEFTARG = sybil.component_set,
    RIGHTARG = sybil.component_set,
    FUNCTION = sybil.component_set_ne,
    COMMUTATOR = OPERATOR(sybil.<>),
    NEGATOR = OPERATOR(sybil.=),
    RESTRICT = pg_catalog.neqsel,
    JOIN = pg_catalog.neqjoinsel
);
COMMENT ON OPERATOR sybil.= (sybil.component_set, sybil.component_set) IS 'Same nodes, same components';
COMMENT ON OPERATOR sybil.<> (sybil.component_set, sybil.component_set) IS 'Differ in a node or a component';

CREATE FUNCTION sybil.component_rows(c sybil.component_set, min_size pg_catalog.int8 DEFAULT 1)
    RETURNS TABLE (node pg_catalog.int8, component pg_catalog.int8, component_size pg_catalog.int8)
    AS 'MODULE_PATHNAME', 'component_rows' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 1000;
CREATE FUNCTION sybil.node_count(sybil.component_set) RETURNS pg_catalog.int8
    AS 'MODULE_PATHNAME', 'component_set_node_count' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sybil.component_count(sybil.component_set) RETURNS pg_catalog.int8
    AS 'MODULE_PATHNAME', 'component_set_component_count' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sybil.component_of(sybil.component_set, node pg_catalog.int8) RETURNS pg_catalog.int8
    AS 'MODULE_PATHNAME', 'component_of' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sybil.component_rows(sybil.component_set, pg_catalog.int8) IS
    'One row per node of the components with at least min_size nodes: the node, its component (smallest node id) and the component''s size';
COMMENT ON FUNCTION sybil.node_count(sybil.component_set) IS 'Number of nodes in a component set';
COMMENT ON FUNCTION sybil.component_count(sybil.component_set) IS 'Number of components in a component set';
COMMENT ON FUNCTION sybil.component_of(sybil.component_set, pg_catalog.int8) IS
    'Component (its smallest node id) of a node; NULL when the node is not in the set';
