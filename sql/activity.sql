-- Activity: hourly and weekly counts and profiles, counts_sum, profile,
-- cosine and cadence.  The surface, time zones (DST, abbreviations, the
-- session TimeZone), every error with its SQLSTATE, direct calls of the
-- support functions, windows, spilling hash aggregation, parallel plans, and
-- cadence over a large group in linear time.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS pg_sybil;
RESET client_min_messages;
SET extra_float_digits = 0;
SET TimeZone = 'UTC';

-- 40 accounts over 460 days (both DST changes of 2024 and 2025), rows in
-- no particular order; account 0 also has a NULL timestamp.
CREATE TABLE activity (account int, t timestamptz);
INSERT INTO activity
SELECT i % 40, timestamptz '2024-01-01 00:00:00+00' + ((i * 7919) % 100003) * interval '397 seconds'
  FROM generate_series(1, 40000) AS i;
INSERT INTO activity VALUES (0, NULL);
ANALYZE activity;

-- The SQLSTATE and message of a statement's error.
CREATE FUNCTION pg_temp.error_of(stmt text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE stmt;
  RETURN 'no error';
EXCEPTION WHEN others THEN
  RETURN SQLSTATE || ' ' || SQLERRM;
END
$$;

--------------------------------------------------------------- hourly, weekly

-- Counts by local hour; NULL timestamps are skipped; no rows, or only NULLs, give NULL.
SELECT sybil.hourly_counts(t) FROM (VALUES ('2024-03-10 06:30+00'::timestamptz), ('2024-03-10 07:30+00'),
                                           ('2024-03-11 06:59:59.999999+00'), (NULL)) v(t);
SELECT sybil.hourly_profile(t) FROM (VALUES ('2024-03-10 06:30+00'::timestamptz), ('2024-03-10 07:30+00'),
                                            ('2024-03-11 06:59:59.999999+00'), ('2024-03-11 23:00+00')) v(t);
SELECT sybil.hourly_counts(t) IS NULL AS no_rows, sybil.hourly_profile(t) IS NULL AS no_profile,
       sybil.weekly_counts(t) IS NULL AS no_weekly, sybil.weekly_profile(t, 'UTC') IS NULL AS no_weekly_profile
  FROM activity WHERE false;
SELECT sybil.hourly_counts(t) IS NULL AS all_null, sybil.weekly_profile(t) IS NULL AS all_null_profile
  FROM (VALUES (NULL::timestamptz), (NULL)) v(t);
-- A row with a NULL zone is skipped too.
SELECT sybil.hourly_counts(t, z) FROM (VALUES ('2024-03-10 06:30+00'::timestamptz, 'UTC'), ('2024-03-10 07:30+00', NULL)) v(t, z);

-- Hour of the week: ISO day of week (Monday = 0) * 24 + hour is element + 1.
-- 2024-03-11 was a Monday, 2024-03-17 a Sunday.
SELECT array_positions(c, 1::bigint) AS elements_of_one, array_length(c, 1) AS length
  FROM (SELECT sybil.weekly_counts(t) AS c
          FROM (VALUES ('2024-03-11 00:30+00'::timestamptz), ('2024-03-13 12:00+00'), ('2024-03-17 23:59:59+00')) v(t)) s;
SELECT array_positions(c, 1::bigint) AS elements_of_one
  FROM (SELECT sybil.weekly_counts(t, 'Asia/Kolkata') AS c
          FROM (VALUES ('2024-03-10 18:30+00'::timestamptz), ('2024-03-17 18:29:59+00')) v(t)) s;
SELECT sybil.weekly_profile(t, 'America/New_York')
  FROM (VALUES ('2024-03-11 04:00+00'::timestamptz), ('2024-03-11 05:00+00'), ('2024-03-11 05:00+00'), ('2024-03-18 03:59+00')) v(t);

-- The session TimeZone when no zone is given: results follow SET TimeZone.
SET TimeZone = 'Asia/Kolkata';
SELECT sybil.hourly_counts(t) FROM (VALUES ('2024-03-10 06:30+00'::timestamptz), ('2024-03-10 07:00+00')) v(t);
SET TimeZone = 'America/New_York';
SELECT sybil.hourly_counts(t) FROM (VALUES ('2024-03-10 06:30+00'::timestamptz), ('2024-03-10 07:00+00')) v(t);
SELECT sybil.hourly_counts(t) = sybil.hourly_counts(t, 'America/New_York') AS session_is_new_york,
       sybil.weekly_counts(t) = sybil.weekly_counts(t, 'America/New_York') AS weekly_too
  FROM activity;
SET TimeZone = 'UTC';

-- DST in New York: every minute of the local days of the changes.  The
-- spring day has no 02:00 hour and 23 hours; the autumn one counts 01:00 twice.
SELECT sybil.hourly_counts(t, 'America/New_York') AS spring_forward
  FROM generate_series('2024-03-10 05:00+00'::timestamptz, '2024-03-11 03:59+00', '1 minute') t;
SELECT sybil.hourly_counts(t, 'America/New_York') AS fall_back
  FROM generate_series('2024-11-03 04:00+00'::timestamptz, '2024-11-04 04:59+00', '1 minute') t;
-- Kolkata is 5:30 ahead: a UTC day of minutes fills every local hour.
SELECT sybil.hourly_counts(t, 'Asia/Kolkata') AS kolkata
  FROM generate_series('2024-03-10 00:00+00'::timestamptz, '2024-03-10 23:59+00', '1 minute') t;

-- The hours agree with extract(hour FROM timezone(zone, ts)) for every kind of
-- zone that timezone() accepts: names in any case, abbreviations (fixed ones,
-- and VET, whose offset changed over the years), POSIX specs, fixed offsets;
-- over 4,000 instants from 1890 to 2600 and every 97 minutes of 2024.
CREATE TABLE zones (zone text);
INSERT INTO zones VALUES ('UTC'), ('America/New_York'), ('america/new_york'), ('Asia/Kolkata'), ('Europe/London'),
  ('Australia/Lord_Howe'), ('America/St_Johns'), ('Asia/Kathmandu'), ('Pacific/Chatham'), ('Africa/Casablanca'),
  ('Europe/Moscow'), ('EST'), ('MSK'), ('VET'), ('Z'), ('PST8PDT'), ('+05'), ('-03:30'), ('UTC+3'), ('<+0530>-5:30');
CREATE TABLE instants AS
  SELECT timestamptz '1890-01-01 00:00:00+00' + ((i * 104729) % 22405000) * interval '1000 seconds' AS t
    FROM generate_series(1, 4000) i
  UNION ALL
  SELECT g FROM generate_series('2024-01-01 00:00+00'::timestamptz, '2024-12-31 23:59+00', '97 minutes') g;
CREATE TABLE local_times AS
  SELECT zone, extract(hour FROM timezone(zone, t))::int AS hour,
         extract(isodow FROM timezone(zone, t))::int - 1 AS day
    FROM zones, instants;
WITH ours AS (
  SELECT zone, sybil.hourly_counts(t, zone) AS hourly, sybil.weekly_counts(t, zone) AS weekly
    FROM zones, instants GROUP BY zone
), by_hour AS (
  SELECT zone, array_agg(coalesce(n, 0) ORDER BY b) AS hourly
    FROM zones CROSS JOIN generate_series(0, 23) b
    LEFT JOIN (SELECT zone, hour AS b, count(*) AS n FROM local_times GROUP BY 1, 2) c USING (zone, b)
   GROUP BY zone
), by_week_hour AS (
  SELECT zone, array_agg(coalesce(n, 0) ORDER BY b) AS weekly
    FROM zones CROSS JOIN generate_series(0, 167) b
    LEFT JOIN (SELECT zone, day * 24 + hour AS b, count(*) AS n FROM local_times GROUP BY 1, 2) c USING (zone, b)
   GROUP BY zone
)
SELECT count(*) AS zones, count(*) FILTER (WHERE o.hourly = h.hourly) AS hourly_as_timezone,
       count(*) FILTER (WHERE o.weekly = w.weekly) AS weekly_as_timezone
  FROM ours o JOIN by_hour h USING (zone) JOIN by_week_hour w USING (zone);
-- One zone over 710 years: its clock meets more periods between two clock
-- changes (1,358) than it keeps (1,024), and starts afresh.
SELECT sybil.hourly_counts(t, 'America/New_York') = (
         SELECT array_agg(n ORDER BY hour)
           FROM (SELECT hour, count(*) AS n FROM local_times WHERE zone = 'America/New_York' GROUP BY hour) c
       ) AS many_periods
  FROM instants;
-- A zone per row (an account's own zone), changing from row to row.
SELECT sybil.hourly_counts(t, zone) = (SELECT sybil.counts_sum(c) FROM (SELECT sybil.hourly_counts(t, zone) AS c
                                                                           FROM zones, instants GROUP BY zone) s) AS per_row_zones
  FROM (SELECT * FROM zones, instants ORDER BY t, zone) r;

--------------------------------------------------------- roll-ups and profile

-- counts_sum of daily counts = the counts of all rows; its result keeps any length.
SELECT sybil.counts_sum(daily) = (SELECT sybil.hourly_counts(t, 'Europe/London') FROM activity) AS hourly_rollup
  FROM (SELECT sybil.hourly_counts(t, 'Europe/London') AS daily FROM activity GROUP BY t::date) d;
SELECT sybil.counts_sum(daily) = (SELECT sybil.weekly_counts(t) FROM activity) AS weekly_rollup
  FROM (SELECT sybil.weekly_counts(t) AS daily FROM activity GROUP BY account) d;
SELECT sybil.counts_sum(c) FROM (VALUES ('{1,2,3}'::bigint[]), (NULL), ('{10,20,30}'), ('{0,0,0}')) v(c);
SELECT sybil.counts_sum(c) FROM (VALUES ('{0,0}'::bigint[]), ('{0,0}')) v(c);
SELECT sybil.counts_sum(c) FROM (VALUES ('{}'::bigint[]), ('{}')) v(c);
SELECT sybil.counts_sum(c) IS NULL AS no_rows FROM (VALUES ('{1}'::bigint[])) v(c) WHERE false;
SELECT sybil.counts_sum(c) IS NULL AS all_null FROM (VALUES (NULL::bigint[])) v(c);

-- profile: shares summing to 1, NULL for a zero total; the lower bound is kept.
SELECT sybil.profile('{1,0,3}'), sybil.profile('{0,0,0}') IS NULL AS zero_total,
       sybil.profile('{}') IS NULL AS empty, sybil.profile('[0:2]={1,1,2}');
SELECT abs(sum(p) - 1) < 1e-12 AS sums_to_one, count(*) AS hours
  FROM unnest((SELECT sybil.hourly_profile(t) FROM activity)) p;
SELECT sybil.profile(sybil.hourly_counts(t)) = sybil.hourly_profile(t) AS profile_of_counts,
       sybil.profile(sybil.weekly_counts(t, 'Asia/Kolkata')) = sybil.weekly_profile(t, 'Asia/Kolkata') AS weekly
  FROM activity;
SELECT sybil.counts_final('{0,2,0}'), sybil.counts_final('{0,0,0}') IS NULL AS all_zero;

-------------------------------------------------------------------- cosine

SELECT sybil.cosine('{1,2,3}', '{2,4,6}') AS proportional, sybil.cosine('{1,0}', '{0,1}') AS orthogonal,
       sybil.cosine('{1,-2}', '{-1,2}') AS opposite, sybil.cosine('{3,4}', '{4,3}') AS some_angle;
SELECT sybil.cosine('{0,0}', '{1,1}') IS NULL AS zero_vector, sybil.cosine('{}', '{}') IS NULL AS empty;
-- Huge and tiny magnitudes neither overflow nor underflow.
SELECT sybil.cosine('{1e300,1e300}', '{1e-300,2e-300}') AS extreme,
       sybil.cosine('{1e-320,0}', '{5e-324,5e-324}') AS denormals;
-- A vector against itself is exactly 1.
SELECT count(*) FILTER (WHERE sybil.cosine(p, p) = 1) AS exactly_one, count(*) AS accounts
  FROM (SELECT sybil.hourly_profile(t) AS p FROM activity GROUP BY account) s;
-- bigint[] counts are cast to float8[] implicitly.
SELECT sybil.cosine(sybil.hourly_counts(t), sybil.hourly_counts(t)) AS counts_cosine FROM activity;
-- Two accounts with the same around-the-clock activity: the lockstep signal.
SELECT round(sybil.cosine(a.p, b.p)::numeric, 12) AS lockstep
  FROM (SELECT sybil.hourly_profile(t) AS p FROM generate_series('2024-01-01'::timestamptz, '2024-01-31', '7 minutes') t) a,
       (SELECT sybil.hourly_profile(t) AS p FROM generate_series('2024-02-01'::timestamptz, '2024-02-29', '7 minutes') t) b;

-------------------------------------------------------------------- cadence

-- Gaps 60, 120, 180, 240 s: mean 150, population sd 79.06..., memory 1.
SELECT (sybil.cadence(t)).*
  FROM (VALUES ('2024-03-10 06:30+00'::timestamptz), ('2024-03-10 06:31+00'), ('2024-03-10 06:33+00'),
               ('2024-03-10 06:36+00'), ('2024-03-10 06:40+00')) v(t);
-- The same times in another order, and with NULLs: the same statistics.
SELECT sybil.cadence(t)
  FROM (VALUES ('2024-03-10 06:40+00'::timestamptz), (NULL), ('2024-03-10 06:31+00'), ('2024-03-10 06:36+00'),
               ('2024-03-10 06:30+00'), (NULL), ('2024-03-10 06:33+00')) v(t);
-- A machine on a timer: burstiness -1, cv 0, memory undefined.
SELECT (sybil.cadence(t)).* FROM generate_series('2024-01-01'::timestamptz, '2024-01-02', '5 minutes') t;
-- Gaps alternating 1 s and 3 s: memory -1.
SELECT (sybil.cadence(t)).memory
  FROM (SELECT timestamptz '2024-01-01 00:00+00' + (i / 2 * 4 + i % 2) * interval '1 second' AS t
          FROM generate_series(0, 9) i) s;
-- Equal timestamps give zero gaps; one event, no gap; no event, NULL.
SELECT (sybil.cadence(t)).* FROM (VALUES ('2024-01-01'::timestamptz), ('2024-01-01'), ('2024-01-01')) v(t);
SELECT (sybil.cadence(t)).* FROM (VALUES ('2024-01-01'::timestamptz)) v(t);
SELECT sybil.cadence(t) IS NULL AS no_events FROM (VALUES (NULL::timestamptz)) v(t);
SELECT sybil.cadence(t) IS NULL AS no_rows FROM activity WHERE false;
-- Microsecond gaps, and gaps of centuries.
SELECT (sybil.cadence(t)).mean_gap, (sybil.cadence(t)).max_gap
  FROM (VALUES ('2024-01-01 00:00:00.000001+00'::timestamptz), ('2024-01-01 00:00:00.000003+00')) v(t);
SELECT (sybil.cadence(t)).mean_gap
  FROM (VALUES ('4713-01-01 BC'::timestamptz), ('294276-12-31 23:59:59.999999+00')) v(t);
-- Per account, ORDER BY, DISTINCT and FILTER inside the aggregate.
SELECT account, (c).events, round((c).mean_gap::numeric, 6) AS mean_gap, round((c).burstiness::numeric, 6) AS burstiness
  FROM (SELECT account, sybil.cadence(t) AS c FROM activity GROUP BY account) s
 ORDER BY account LIMIT 3;
SELECT sybil.cadence(t ORDER BY t DESC) = sybil.cadence(t) AS order_by_irrelevant,
       (sybil.cadence(DISTINCT t::date)).events AS distinct_days,
       (sybil.cadence(t) FILTER (WHERE account = 3)).events AS filtered
  FROM activity;

---------------------------------------------------------------------- errors

SELECT sybil.hourly_counts(t, 'Mars/Olympus_Mons') FROM activity;
SELECT sybil.hourly_counts(t, '') FROM activity;
SELECT sybil.hourly_counts(t) FROM (VALUES ('infinity'::timestamptz)) v(t);
SELECT sybil.weekly_profile(t, 'UTC') FROM (VALUES ('-infinity'::timestamptz)) v(t);
SELECT sybil.cadence(t) FROM (VALUES ('2024-01-01'::timestamptz), ('infinity')) v(t);
SELECT sybil.cadence_final('{2024-01-01, -infinity}');
SELECT sybil.counts_sum(c) FROM (VALUES ('{1,2}'::bigint[]), ('{1,2,3}')) v(c);
SELECT sybil.counts_sum(c) FROM (VALUES ('{1,2}'::bigint[]), ('{1,NULL}')) v(c);
SELECT sybil.counts_sum(c) FROM (VALUES ('{1,NULL}'::bigint[])) v(c);
SELECT sybil.counts_sum(c) FROM (VALUES ('{{1,2},{3,4}}'::bigint[])) v(c);
SELECT sybil.counts_sum(c) FROM (VALUES ('{9223372036854775807}'::bigint[]), ('{1}')) v(c);
SELECT sybil.profile('{1,-1,2}');
SELECT sybil.profile('{9223372036854775807,1}');
SELECT sybil.profile('{{1,2}}');
SELECT sybil.profile('{1,NULL}');
SELECT sybil.cosine('{1,2}', '{1,2,3}');
SELECT sybil.cosine('{{1,2}}', '{{1,2}}');
SELECT sybil.cosine('{1,NULL}', '{1,2}');
SELECT sybil.cosine('{1,2}', '{NaN,1}');
SELECT sybil.cosine('{1,-Infinity}', '{1,2}');
-- States given directly are checked.
SELECT sybil.hourly_add('{1,2,3}', now());
SELECT sybil.weekly_add(array_fill(0::bigint, ARRAY[24]), now(), 'UTC');
SELECT sybil.hourly_add(array_fill(0::bigint, ARRAY[2, 12]), now());
SELECT sybil.hourly_add(array_fill(NULL::bigint, ARRAY[24]), now());
SELECT sybil.hourly_add(array_fill(9223372036854775807, ARRAY[24]), '2024-01-01 05:00+00', 'UTC');
SELECT sybil.counts_final('{{1}}');
SELECT sybil.cadence_final('{{2024-01-01}}');
SELECT sybil.cadence_merge('{}', '{2024-01-01, NULL}');

-- The SQLSTATE of each error.
SELECT pg_temp.error_of(stmt) FROM (VALUES
  ($$SELECT sybil.hourly_counts(now(), 'Mars/Olympus_Mons')$$),
  ($$SELECT sybil.hourly_counts('infinity'::timestamptz)$$),
  ($$SELECT sybil.weekly_counts('infinity'::timestamptz, 'UTC')$$),
  ($$SELECT sybil.cadence('infinity'::timestamptz)$$),
  ($$SELECT sybil.counts_sum(c) FROM (VALUES ('{1}'::bigint[]), ('{1,2}')) v(c)$$),
  ($$SELECT sybil.counts_sum('{1,NULL}'::bigint[])$$),
  ($$SELECT sybil.counts_sum('{{1}}'::bigint[])$$),
  ($$SELECT sybil.counts_sum(c) FROM (VALUES ('{9223372036854775807}'::bigint[]), ('{1}')) v(c)$$),
  ($$SELECT sybil.profile('{-1}')$$),
  ($$SELECT sybil.cosine('{1}', '{1,2}')$$),
  ($$SELECT sybil.cosine('{{1}}', '{{1}}')$$),
  ($$SELECT sybil.cosine('{NULL}', '{1}')$$),
  ($$SELECT sybil.cosine('{NaN}', '{1}')$$),
  ($$SELECT sybil.hourly_add('{1}', now())$$),
  ($$SELECT sybil.cadence_final('{NULL}')$$),
  ($$SELECT sybil.cadence_final('{{2024-01-01}}')$$)) v(stmt);

-------------------------------------------------- direct calls, windows

-- Support functions called directly return new values and leave their input alone.
SELECT c AS before, sybil.hourly_add(c, '2024-01-01 05:00+00', 'UTC') AS added,
       sybil.counts_merge(c, c) AS doubled, c AS after
  FROM (VALUES ('{1,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,2}'::bigint[])) v(c);
SELECT sybil.counts_merge(NULL, '{1,2}'), sybil.counts_merge('{1,2}', NULL), sybil.counts_merge(NULL, NULL) IS NULL AS both_null;
SELECT s AS before, sybil.cadence_add(s, '2024-01-02 00:00+00') AS added,
       array_length(sybil.cadence_merge(s, s), 1) AS merged_length, s AS after
  FROM (VALUES ('{"2024-01-01 00:00+00"}'::timestamptz[])) v(s);
SELECT sybil.cadence_final(sybil.cadence_add(sybil.cadence_add('{}', '2024-01-01 00:00+00'), '2024-01-01 00:01+00'));
SELECT sybil.cadence_final(array_agg(t) FILTER (WHERE t IS NOT NULL)) = sybil.cadence(t) AS final_of_array_agg
  FROM activity;
SELECT sybil.cadence_final('{}') IS NULL AS empty_state;

-- As window functions.
SELECT i, sybil.hourly_counts(t) OVER w IS NOT NULL AS has_counts, (sybil.cadence(t) OVER w).events,
       (sybil.cadence(t) OVER w).mean_gap, (sybil.cadence(t) OVER (ORDER BY i)).max_gap AS running_max_gap
  FROM (VALUES (1, '2024-01-01 00:00+00'::timestamptz), (2, '2024-01-01 00:01+00'), (3, '2024-01-01 00:03+00'),
               (4, NULL), (5, '2024-01-01 00:10+00')) v(i, t)
WINDOW w AS (ORDER BY i ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)
 ORDER BY i;

------------------------------------------- spilling hash aggregation, parallel

CREATE TABLE sorted_result AS
  SELECT account, sybil.hourly_counts(t, 'America/New_York') AS h, sybil.weekly_profile(t) AS w,
         sybil.cadence(t) AS c
    FROM activity GROUP BY account;
SET enable_sort = off;
SET work_mem = '64kB';
SELECT count(*) AS accounts,
       count(*) FILTER (WHERE s.h = x.h AND s.w = x.w AND s.c = x.c) AS identical
  FROM sorted_result s
  JOIN (SELECT account, sybil.hourly_counts(t, 'America/New_York') AS h, sybil.weekly_profile(t) AS w,
               sybil.cadence(t) AS c
          FROM activity GROUP BY account) x USING (account);
RESET enable_sort;
RESET work_mem;

-- A forced parallel plan (two workers, the leader only combining) gives
-- exactly the serial results.
CREATE TABLE serial_total AS
  SELECT sybil.hourly_counts(t) AS h, sybil.hourly_counts(t, 'Asia/Kolkata') AS hk, sybil.weekly_counts(t) AS w,
         sybil.hourly_profile(t, 'America/New_York') AS hp, sybil.cadence(t) AS c
    FROM activity;
CREATE TABLE daily AS SELECT account, t::date AS day, sybil.hourly_counts(t) AS c FROM activity GROUP BY 1, 2;
ANALYZE daily;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF)
  SELECT account, sybil.hourly_counts(t), sybil.cadence(t) FROM activity GROUP BY account;
EXPLAIN (COSTS OFF) SELECT sybil.weekly_profile(t), sybil.cadence(t) FROM activity;
EXPLAIN (COSTS OFF) SELECT sybil.counts_sum(c) FROM daily;
SELECT count(*) AS accounts, count(*) FILTER (WHERE s.h = p.h AND s.w = p.w AND s.c = p.c) AS identical
  FROM sorted_result s
  JOIN (SELECT account, sybil.hourly_counts(t, 'America/New_York') AS h, sybil.weekly_profile(t) AS w,
               sybil.cadence(t) AS c
          FROM activity GROUP BY account) p USING (account);
SELECT s.h = p.h AND s.hk = p.hk AND s.w = p.w AND s.hp = p.hp AND s.c = p.c AS identical
  FROM serial_total s,
       (SELECT sybil.hourly_counts(t) AS h, sybil.hourly_counts(t, 'Asia/Kolkata') AS hk, sybil.weekly_counts(t) AS w,
               sybil.hourly_profile(t, 'America/New_York') AS hp, sybil.cadence(t) AS c
          FROM activity) p;
SELECT sybil.counts_sum(c) = (SELECT h FROM serial_total) AS parallel_rollup FROM daily;
RESET ALL;
SET extra_float_digits = 0;
SET TimeZone = 'UTC';

---------------------------------------------------------------- large group

-- Half a million rows in one group: the state is appended to in place, so
-- this takes a fraction of a second (copying it at every row would take hours).
SET statement_timeout = '60s';
SELECT (c).events, (c).mean_gap, (c).sd_gap, (c).burstiness, (c).memory
  FROM (SELECT sybil.cadence(timestamptz '2024-01-01 00:00+00' + ((i::bigint * 7919) % 500000) * interval '1 second') AS c
          FROM generate_series(1, 500000) i) s;
SELECT sybil.hourly_counts(timestamptz '2024-01-01 00:00+00' + i * interval '1 second', 'America/New_York') AS big_hourly
  FROM generate_series(0, 500000 - 1) i;
RESET statement_timeout;

DROP TABLE activity, zones, instants, local_times, sorted_result, serial_total, daily;
