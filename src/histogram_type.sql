-- sybil.histogram: a sparse map from label to a positive count.

CREATE TYPE sybil.histogram;

CREATE FUNCTION sybil.histogram_in(pg_catalog.cstring) RETURNS sybil.histogram
    AS 'MODULE_PATHNAME', 'histogram_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sybil.histogram_out(sybil.histogram) RETURNS pg_catalog.cstring
    AS 'MODULE_PATHNAME', 'histogram_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sybil.histogram_recv(pg_catalog.internal) RETURNS sybil.histogram
    AS 'MODULE_PATHNAME', 'histogram_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sybil.histogram_send(sybil.histogram) RETURNS pg_catalog.bytea
    AS 'MODULE_PATHNAME', 'histogram_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE sybil.histogram (
    INPUT = sybil.histogram_in,
    OUTPUT = sybil.histogram_out,
    RECEIVE = sybil.histogram_recv,
    SEND = sybil.histogram_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = double,
    STORAGE = extended
);

COMMENT ON TYPE sybil.histogram IS
    'Sparse map from label to a positive count; text form is a JSON object such as {"coding.python": 12, "chitchat": 3}';
COMMENT ON FUNCTION sybil.histogram_in(pg_catalog.cstring) IS 'Text input of sybil.histogram (a JSON object of labels and counts)';
COMMENT ON FUNCTION sybil.histogram_out(sybil.histogram) IS 'Text output of sybil.histogram: labels in byte order, shortest exact counts';
COMMENT ON FUNCTION sybil.histogram_recv(pg_catalog.internal) IS 'Binary input of sybil.histogram';
COMMENT ON FUNCTION sybil.histogram_send(sybil.histogram) IS 'Binary output of sybil.histogram';

CREATE FUNCTION sybil.histogram_eq(sybil.histogram, sybil.histogram) RETURNS pg_catalog.bool
    AS 'MODULE_PATHNAME', 'histogram_eq' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sybil.histogram_ne(sybil.histogram, sybil.histogram) RETURNS pg_catalog.bool
    AS 'MODULE_PATHNAME', 'histogram_ne' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sybil.histogram_eq(sybil.histogram, sybil.histogram) IS 'Whether two histograms have the same labels with the same counts';
COMMENT ON FUNCTION sybil.histogram_ne(sybil.histogram, sybil.histogram) IS 'Whether two histograms differ in a label or a count';

CREATE OPERATOR sybil.= (
    LEFTARG = sybil.histogram,
    RIGHTARG = sybil.histogram,
    FUNCTION = sybil.histogram_eq,
    COMMUTATOR = OPERATOR(sybil.=),
    NEGATOR = OPERATOR(sybil.<>),
    RESTRICT = pg_catalog.eqsel,
    JOIN = pg_catalog.eqjoinsel
);
CREATE OPERATOR sybil.<> (
    LEFTARG = sybil.histogram,
    RIGHTARG = sybil.histogram,
    FUNCTION = sybil.histogram_ne,
    COMMUTATOR = OPERATOR(sybil.<>),
    NEGATOR = OPERATOR(sybil.=),
    RESTRICT = pg_catalog.neqsel,
    JOIN = pg_catalog.neqjoinsel
);
COMMENT ON OPERATOR sybil.= (sybil.histogram, sybil.histogram) IS 'Same labels with the same counts';
COMMENT ON OPERATOR sybil.<> (sybil.histogram, sybil.histogram) IS 'Differ in a label or a count';

CREATE CAST (sybil.histogram AS pg_catalog.jsonb) WITH INOUT;
CREATE CAST (pg_catalog.jsonb AS sybil.histogram) WITH INOUT;
CREATE CAST (sybil.histogram AS pg_catalog.json) WITH INOUT;
CREATE CAST (pg_catalog.json AS sybil.histogram) WITH INOUT;
COMMENT ON CAST (sybil.histogram AS pg_catalog.jsonb) IS 'A histogram as a JSON object of labels and counts';
COMMENT ON CAST (pg_catalog.jsonb AS sybil.histogram) IS 'A JSON object of non-negative numbers as a histogram';
COMMENT ON CAST (sybil.histogram AS pg_catalog.json) IS 'A histogram as a JSON object of labels and counts';
COMMENT ON CAST (pg_catalog.json AS sybil.histogram) IS 'A JSON object of non-negative numbers as a histogram';
