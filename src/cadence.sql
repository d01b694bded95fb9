-- Cadence: statistics of the gaps between an account's events.  The state is
-- timestamptz[], every timestamp of the group, appended to in place; partial
-- states travel as ordinary arrays (parallel workers, Citus).

CREATE TYPE sybil.cadence_stats AS (
    events pg_catalog.int8,
    mean_gap pg_catalog.float8,
    sd_gap pg_catalog.float8,
    cv pg_catalog.float8,
    burstiness pg_catalog.float8,
    memory pg_catalog.float8,
    median_gap pg_catalog.float8,
    min_gap pg_catalog.float8,
    max_gap pg_catalog.float8
);
COMMENT ON TYPE sybil.cadence_stats IS
    'Gap statistics of events (gaps between consecutive sorted timestamps, in seconds): result of sybil.cadence';
COMMENT ON COLUMN sybil.cadence_stats.events IS 'Number of events (non-NULL timestamps)';
COMMENT ON COLUMN sybil.cadence_stats.mean_gap IS 'Mean gap in seconds: (last - first) / (events - 1); NULL below 2 events';
COMMENT ON COLUMN sybil.cadence_stats.sd_gap IS 'Population standard deviation of the gaps in seconds; NULL below 2 events';
COMMENT ON COLUMN sybil.cadence_stats.cv IS 'Coefficient of variation sd_gap / mean_gap: 0 for a metronome, about 1 for random (Poisson) events; NULL when the mean gap is 0';
COMMENT ON COLUMN sybil.cadence_stats.burstiness IS 'Goh-Barabasi burstiness (sd - mean) / (sd + mean): -1 regular, 0 Poisson, towards 1 bursty; NULL when the mean gap is 0';
COMMENT ON COLUMN sybil.cadence_stats.memory IS 'Goh-Barabasi memory: correlation of each gap with the next, in [-1, 1]; NULL below 3 events or when either run of gaps is constant';
COMMENT ON COLUMN sybil.cadence_stats.median_gap IS 'Median gap in seconds (midpoint of the two middle gaps for an even count); NULL below 2 events';
COMMENT ON COLUMN sybil.cadence_stats.min_gap IS 'Shortest gap in seconds (0 for equal timestamps); NULL below 2 events';
COMMENT ON COLUMN sybil.cadence_stats.max_gap IS 'Longest gap in seconds; NULL below 2 events';

CREATE FUNCTION sybil.cadence_add(pg_catalog.timestamptz[], pg_catalog.timestamptz) RETURNS pg_catalog.timestamptz[]
    AS 'MODULE_PATHNAME', 'cadence_add' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sybil.cadence_merge(pg_catalog.timestamptz[], pg_catalog.timestamptz[]) RETURNS pg_catalog.timestamptz[]
    AS 'MODULE_PATHNAME', 'cadence_merge' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sybil.cadence_final(pg_catalog.timestamptz[]) RETURNS sybil.cadence_stats
    AS 'MODULE_PATHNAME', 'cadence_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sybil.cadence_add(pg_catalog.timestamptz[], pg_catalog.timestamptz) IS
    'Transition function of cadence: the timestamps with one more appended';
COMMENT ON FUNCTION sybil.cadence_merge(pg_catalog.timestamptz[], pg_catalog.timestamptz[]) IS
    'Combine function of cadence: the timestamps of both states';
COMMENT ON FUNCTION sybil.cadence_final(pg_catalog.timestamptz[]) IS
    'Final function of cadence: the gap statistics of the timestamps, in any order; NULL for none';

CREATE AGGREGATE sybil.cadence(pg_catalog.timestamptz) (
    SFUNC = sybil.cadence_add,
    STYPE = pg_catalog.timestamptz[],
    INITCOND = '{}',
    FINALFUNC = sybil.cadence_final,
    COMBINEFUNC = sybil.cadence_merge,
    SSPACE = 1024,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE sybil.cadence(pg_catalog.timestamptz) IS
    'Gap statistics of the non-NULL timestamps, whatever their order (count, mean, sd, cv, burstiness, memory, median, min, max of the gaps in seconds); NULL when there are none. Holds every timestamp of a group: 8-16 bytes each';
