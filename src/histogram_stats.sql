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
