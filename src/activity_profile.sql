-- Activity by local hour of the day and of the week, profiles and their cosine.
-- The states are plain bigint[] counts (216 or 1,368 bytes: SSPACE), updated
-- in place inside an aggregate; partial states travel as ordinary values
-- (parallel workers, Citus).

CREATE FUNCTION sybil.hourly_add(pg_catalog.int8[], pg_catalog.timestamptz) RETURNS pg_catalog.int8[]
    AS 'MODULE_PATHNAME', 'activity_hourly_add' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sybil.hourly_add(pg_catalog.int8[], pg_catalog.timestamptz, pg_catalog.text) RETURNS pg_catalog.int8[]
    AS 'MODULE_PATHNAME', 'activity_hourly_add_zone' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sybil.weekly_add(pg_catalog.int8[], pg_catalog.timestamptz) RETURNS pg_catalog.int8[]
    AS 'MODULE_PATHNAME', 'activity_weekly_add' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sybil.weekly_add(pg_catalog.int8[], pg_catalog.timestamptz, pg_catalog.text) RETURNS pg_catalog.int8[]
    AS 'MODULE_PATHNAME', 'activity_weekly_add_zone' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sybil.counts_merge(pg_catalog.int8[], pg_catalog.int8[]) RETURNS pg_catalog.int8[]
    AS 'MODULE_PATHNAME', 'activity_counts_merge' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION sybil.counts_final(pg_catalog.int8[]) RETURNS pg_catalog.int8[]
    AS 'MODULE_PATHNAME', 'activity_counts_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sybil.profile(pg_catalog.int8[]) RETURNS pg_catalog.float8[]
    AS 'MODULE_PATHNAME', 'activity_profile' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sybil.cosine(a pg_catalog.float8[], b pg_catalog.float8[]) RETURNS pg_catalog.float8
    AS 'MODULE_PATHNAME', 'activity_cosine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION sybil.hourly_add(pg_catalog.int8[], pg_catalog.timestamptz) IS
    'Transition function of hourly_counts(ts) and hourly_profile(ts): the 24 counts with the local hour of ts in the session TimeZone counted once more';
COMMENT ON FUNCTION sybil.hourly_add(pg_catalog.int8[], pg_catalog.timestamptz, pg_catalog.text) IS
    'Transition function of hourly_counts(ts, tz) and hourly_profile(ts, tz): the 24 counts with the local hour of ts in zone tz counted once more';
COMMENT ON FUNCTION sybil.weekly_add(pg_catalog.int8[], pg_catalog.timestamptz) IS
    'Transition function of weekly_counts(ts) and weekly_profile(ts): the 168 counts with the local hour of the week of ts in the session TimeZone counted once more';
COMMENT ON FUNCTION sybil.weekly_add(pg_catalog.int8[], pg_catalog.timestamptz, pg_catalog.text) IS
    'Transition function of weekly_counts(ts, tz) and weekly_profile(ts, tz): the 168 counts with the local hour of the week of ts in zone tz counted once more';
COMMENT ON FUNCTION sybil.counts_merge(pg_catalog.int8[], pg_catalog.int8[]) IS
    'Element-wise sum of two counts arrays of the same length, NULL ones skipped: transition function of counts_sum, combine function of the hourly and weekly aggregates';
COMMENT ON FUNCTION sybil.counts_final(pg_catalog.int8[]) IS
    'Final function of hourly_counts and weekly_counts: the counts, or NULL when they are all 0 (no rows)';
COMMENT ON FUNCTION sybil.profile(pg_catalog.int8[]) IS
    'Each count divided by their total: shares summing to 1; NULL when the total is 0; final function of hourly_profile and weekly_profile';
COMMENT ON FUNCTION sybil.cosine(pg_catalog.float8[], pg_catalog.float8[]) IS
    'Cosine similarity of two arrays of the same length read as vectors, in [-1, 1] (1 for proportional ones); NULL when either is all zeros or empty';

CREATE AGGREGATE sybil.hourly_counts(pg_catalog.timestamptz) (
    SFUNC = sybil.hourly_add,
    STYPE = pg_catalog.int8[],
    SSPACE = 216,
    INITCOND = '{0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0}',
    FINALFUNC = sybil.counts_final,
    COMBINEFUNC = sybil.counts_merge,
    PARALLEL = SAFE
);
CREATE AGGREGATE sybil.hourly_counts(pg_catalog.timestamptz, pg_catalog.text) (
    SFUNC = sybil.hourly_add,
    STYPE = pg_catalog.int8[],
    SSPACE = 216,
    INITCOND = '{0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0}',
    FINALFUNC = sybil.counts_final,
    COMBINEFUNC = sybil.counts_merge,
    PARALLEL = SAFE
);
CREATE AGGREGATE sybil.hourly_profile(pg_catalog.timestamptz) (
    SFUNC = sybil.hourly_add,
    STYPE = pg_catalog.int8[],
    SSPACE = 216,
    INITCOND = '{0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0}',
    FINALFUNC = sybil.profile,
    COMBINEFUNC = sybil.counts_merge,
    PARALLEL = SAFE
);
CREATE AGGREGATE sybil.hourly_profile(pg_catalog.timestamptz, pg_catalog.text) (
    SFUNC = sybil.hourly_add,
    STYPE = pg_catalog.int8[],
    SSPACE = 216,
    INITCOND = '{0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0}',
    FINALFUNC = sybil.profile,
    COMBINEFUNC = sybil.counts_merge,
    PARALLEL = SAFE
);
CREATE AGGREGATE sybil.weekly_counts(pg_catalog.timestamptz) (
    SFUNC = sybil.weekly_add,
    STYPE = pg_catalog.int8[],
    SSPACE = 1368,
    INITCOND = '{0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,'
        '0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,'
        '0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,'
        '0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,'
        '0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,'
        '0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,'
        '0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0}',
    FINALFUNC = sybil.counts_final,
    COMBINEFUNC = sybil.counts_merge,
    PARALLEL = SAFE
);
CREATE AGGREGATE sybil.weekly_counts(pg_catalog.timestamptz, pg_catalog.text) (
    SFUNC = sybil.weekly_add,
    STYPE = pg_catalog.int8[],
    SSPACE = 1368,
    INITCOND = '{0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,'
        '0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,'
        '0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,'
        '0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,'
        '0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,'
        '0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,'
        '0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0}',
    FINALFUNC = sybil.counts_final,
    COMBINEFUNC = sybil.counts_merge,
    PARALLEL = SAFE
);
CREATE AGGREGATE sybil.weekly_profile(pg_catalog.timestamptz) (
    SFUNC = sybil.weekly_add,
    STYPE = pg_catalog.int8[],
    SSPACE = 1368,
    INITCOND = '{0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,'
        '0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,'
        '0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,'
        '0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,'
        '0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,'
        '0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,'
        '0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0}',
    FINALFUNC = sybil.profile,
    COMBINEFUNC = sybil.counts_merge,
    PARALLEL = SAFE
);
CREATE AGGREGATE sybil.weekly_profile(pg_catalog.timestamptz, pg_catalog.text) (
    SFUNC = sybil.weekly_add,
    STYPE = pg_catalog.int8[],
    SSPACE = 1368,
    INITCOND = '{0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,'
        '0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,'
        '0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,'
        '0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,'
        '0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,'
        '0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,'
        '0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0}',
    FINALFUNC = sybil.profile,
    COMBINEFUNC = sybil.counts_merge,
    PARALLEL = SAFE
);
CREATE AGGREGATE sybil.counts_sum(pg_catalog.int8[]) (
    SFUNC = sybil.counts_merge,
    STYPE = pg_catalog.int8[],
    COMBINEFUNC = sybil.counts_merge,
    PARALLEL = SAFE
);

COMMENT ON AGGREGATE sybil.hourly_counts(pg_catalog.timestamptz) IS
    'Events per local hour of the day (0-23) in the session TimeZone, as bigint[24]; NULL timestamps skipped, NULL when there are none';
COMMENT ON AGGREGATE sybil.hourly_counts(pg_catalog.timestamptz, pg_catalog.text) IS
    'Events per local hour of the day (0-23) in zone tz (as timezone(tz, ts) reads it), as bigint[24]; rows with a NULL timestamp or zone skipped, NULL when there are none';
COMMENT ON AGGREGATE sybil.hourly_profile(pg_catalog.timestamptz) IS
    'Share of the events in each local hour of the day in the session TimeZone, as float8[24] summing to 1; NULL when there are none';
COMMENT ON AGGREGATE sybil.hourly_profile(pg_catalog.timestamptz, pg_catalog.text) IS
    'Share of the events in each local hour of the day in zone tz, as float8[24] summing to 1; NULL when there are none';
COMMENT ON AGGREGATE sybil.weekly_counts(pg_catalog.timestamptz) IS
    'Events per local hour of the week in the session TimeZone, as bigint[168]: element ISO day of week (Monday 0) * 24 + hour + 1; NULL when there are none';
COMMENT ON AGGREGATE sybil.weekly_counts(pg_catalog.timestamptz, pg_catalog.text) IS
    'Events per local hour of the week in zone tz, as bigint[168]: element ISO day of week (Monday 0) * 24 + hour + 1; NULL when there are none';
COMMENT ON AGGREGATE sybil.weekly_profile(pg_catalog.timestamptz) IS
    'Share of the events in each local hour of the week in the session TimeZone, as float8[168] summing to 1; NULL when there are none';
COMMENT ON AGGREGATE sybil.weekly_profile(pg_catalog.timestamptz, pg_catalog.text) IS
    'Share of the events in each local hour of the week in zone tz, as float8[168] summing to 1; NULL when there are none';
COMMENT ON AGGREGATE sybil.counts_sum(pg_catalog.int8[]) IS
    'Element-wise sum of counts arrays of one length, for rolling daily hourly_counts up into months; NULL arrays skipped';
