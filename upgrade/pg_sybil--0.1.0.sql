-- pg_sybil 0.1.0, as released: frozen (see "Install and upgrade scripts" in docs/design.md).
\echo Use "CREATE EXTENSION pg_sybil" to load this file. \quit

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

-- Aggregates building histograms.  The state is sybil.histogram itself, so
-- partial states travel as ordinary values (parallel workers, Citus).

CREATE FUNCTION sybil.histogram_add(sybil.histogram, pg_catalog.text) RETURNS sybil.histogram
    AS 'MODULE_PATHNAME', 'histogram_add' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION sybil.histogram_add(sybil.histogram, pg_catalog.text, pg_catalog.float8) RETURNS sybil.histogram
    AS 'MODULE_PATHNAME', 'histogram_add_weighted' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION sybil.histogram_merge(sybil.histogram, sybil.histogram) RETURNS sybil.histogram
    AS 'MODULE_PATHNAME', 'histogram_merge' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION sybil.histogram_entropy_final(sybil.histogram) RETURNS pg_catalog.float8
    AS 'MODULE_PATHNAME', 'histogram_entropy_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION sybil.histogram_add(sybil.histogram, pg_catalog.text) IS
    'Transition function of histogram_agg(label): the histogram with label counted once more';
COMMENT ON FUNCTION sybil.histogram_add(sybil.histogram, pg_catalog.text, pg_catalog.float8) IS
    'Transition function of histogram_agg(label, weight): the histogram with weight added to label';
COMMENT ON FUNCTION sybil.histogram_merge(sybil.histogram, sybil.histogram) IS
    'Sum of two histograms, label by label; transition and combine function of the histogram aggregates';
COMMENT ON FUNCTION sybil.histogram_entropy_final(sybil.histogram) IS
    'Final function of topic_entropy: Shannon entropy in bits, NULL for no labels';

CREATE AGGREGATE sybil.histogram_agg(pg_catalog.text) (
    SFUNC = sybil.histogram_add,
    STYPE = sybil.histogram,
    COMBINEFUNC = sybil.histogram_merge,
    SSPACE = 1024,
    PARALLEL = SAFE
);
CREATE AGGREGATE sybil.histogram_agg(pg_catalog.text, pg_catalog.float8) (
    SFUNC = sybil.histogram_add,
    STYPE = sybil.histogram,
    COMBINEFUNC = sybil.histogram_merge,
    SSPACE = 1024,
    PARALLEL = SAFE
);
CREATE AGGREGATE sybil.histogram_union(sybil.histogram) (
    SFUNC = sybil.histogram_merge,
    STYPE = sybil.histogram,
    COMBINEFUNC = sybil.histogram_merge,
    SSPACE = 1024,
    PARALLEL = SAFE
);
CREATE AGGREGATE sybil.topic_entropy(pg_catalog.text) (
    SFUNC = sybil.histogram_add,
    STYPE = sybil.histogram,
    FINALFUNC = sybil.histogram_entropy_final,
    COMBINEFUNC = sybil.histogram_merge,
    SSPACE = 1024,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE sybil.histogram_agg(pg_catalog.text) IS
    'Histogram of the non-NULL labels: how often each occurs; NULL when there are none';
COMMENT ON AGGREGATE sybil.histogram_agg(pg_catalog.text, pg_catalog.float8) IS
    'Histogram of labels weighted by a finite non-negative weight; rows with a NULL label or weight are skipped';
COMMENT ON AGGREGATE sybil.histogram_union(sybil.histogram) IS
    'Label-by-label sum of histograms, for rolling daily histograms up into weeks or months';
COMMENT ON AGGREGATE sybil.topic_entropy(pg_catalog.text) IS
    'Shannon entropy in bits of the non-NULL labels; NULL when there are none';

-- A histogram read as a probability distribution.

CREATE FUNCTION sybil.entropy(sybil.histogram) RETURNS pg_catalog.float8
    AS 'MODULE_PATHNAME', 'histogram_entropy' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sybil.normalized_entropy(sybil.histogram) RETURNS pg_catalog.float8
    AS 'MODULE_PATHNAME', 'histogram_normalized_entropy' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sybil.js_divergence(sybil.histogram, sybil.histogram) RETURNS pg_catalog.float8
    AS 'MODULE_PATHNAME', 'histogram_js_divergence' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sybil.kl_divergence(p sybil.histogram, q sybil.histogram,
                                    smoothing pg_catalog.float8 DEFAULT 0.5) RETURNS pg_catalog.float8
    AS 'MODULE_PATHNAME', 'histogram_kl_divergence' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sybil.top_share(sybil.histogram, k pg_catalog.int4) RETURNS pg_catalog.float8
    AS 'MODULE_PATHNAME', 'histogram_top_share' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sybil.total(sybil.histogram) RETURNS pg_catalog.float8
    AS 'MODULE_PATHNAME', 'histogram_total' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sybil.label_count(sybil.histogram) RETURNS pg_catalog.int4
    AS 'MODULE_PATHNAME', 'histogram_label_count' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sybil.top_labels(sybil.histogram, k pg_catalog.int4,
                                 OUT label pg_catalog.text, OUT count pg_catalog.float8,
                                 OUT share pg_catalog.float8) RETURNS SETOF record
    AS 'MODULE_PATHNAME', 'histogram_top_labels' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 10;

COMMENT ON FUNCTION sybil.entropy(sybil.histogram) IS
    'Shannon entropy in bits, -sum p log2 p; NULL for an empty histogram';
COMMENT ON FUNCTION sybil.normalized_entropy(sybil.histogram) IS
    'Entropy divided by log2 of the label count, in [0, 1]; 0 for one label, NULL for none';
COMMENT ON FUNCTION sybil.js_divergence(sybil.histogram, sybil.histogram) IS
    'Jensen-Shannon divergence in bits, in [0, 1]; NULL if either histogram is empty';
COMMENT ON FUNCTION sybil.kl_divergence(sybil.histogram, sybil.histogram, pg_catalog.float8) IS
    'Kullback-Leibler divergence D(p||q) in bits with q smoothed as (count + smoothing) over the union of labels; NULL if either is empty';
COMMENT ON FUNCTION sybil.top_share(sybil.histogram, pg_catalog.int4) IS
    'Share of the total held by the k largest counts; NULL for an empty histogram';
COMMENT ON FUNCTION sybil.total(sybil.histogram) IS 'Sum of all counts';
COMMENT ON FUNCTION sybil.label_count(sybil.histogram) IS 'Number of distinct labels';
COMMENT ON FUNCTION sybil.top_labels(sybil.histogram, pg_catalog.int4) IS
    'The k labels with the largest counts as rows (label, count, share), largest first, ties by label';
