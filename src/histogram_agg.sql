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
