-- hourly_counts, weekly_counts, their profiles, counts_sum, cosine and
-- cadence on about 400 random sets of events in a dozen zones (DST ones,
-- half-hour and 45-minute offsets), rows in random order, against Python's
-- zoneinfo and numpy (test/reference/activity_reference.py); then serial =
-- parallel = hashed and spilling, and the functions run in a parallel worker.
\set QUIET 1
\set ON_ERROR_STOP 1
BEGIN;
SET LOCAL client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS pg_sybil;
CREATE SCHEMA t90;
SET LOCAL search_path = t90, public;

SELECT plan(32);
\ir lib/helpers.psql
\ir generated/activity.sql

SELECT is((SELECT count(DISTINCT kind)::int FROM act_set), 7,
          'the fixture has every kind of set: spread, dst, bot, poisson, bursty, tiny, nulls');
SELECT cmp_ok((SELECT count(DISTINCT zone)::int FROM act_set), '>=', 10, 'the sets use at least 10 zones');

-- Per set, with the set's zone as argument (rows in the fixture's random order).
CREATE TABLE got AS
  SELECT s.id, sybil.hourly_counts(e.t, s.zone) AS hourly, sybil.weekly_counts(e.t, s.zone) AS weekly,
         sybil.hourly_profile(e.t, s.zone) AS hourly_p, sybil.weekly_profile(e.t, s.zone) AS weekly_p,
         sybil.cadence(e.t) AS c, sybil.cadence(e.t ORDER BY e.t) AS c_asc,
         sybil.cadence(e.t ORDER BY e.t DESC) AS c_desc
    FROM act_set s JOIN act_event e USING (id) GROUP BY s.id;

-- The expected shares: each count over the total, divided as float8 (one
-- correctly rounded division, as the extension's).
CREATE FUNCTION pg_temp.shares(counts bigint[]) RETURNS float8[] LANGUAGE sql IMMUTABLE AS $$
  SELECT array_agg(c::float8 / (SELECT sum(x) FROM unnest(counts) x)::float8 ORDER BY i)
    FROM unnest(counts) WITH ORDINALITY u(c, i)
$$;

SELECT pg_temp.check_rows('hourly_counts(ts, zone) = zoneinfo''s counts by local hour, for every set',
  $$SELECT s.id, g.hourly IS NOT DISTINCT FROM x.hourly,
           format('%s in %s: got %s, want %s', s.kind, s.zone, g.hourly, x.hourly)
      FROM act_set s JOIN act_expect x USING (id) JOIN got g USING (id)$$);
SELECT pg_temp.check_rows('weekly_counts(ts, zone) = zoneinfo''s counts by local ISO weekday * 24 + hour, for every set',
  $$SELECT s.id, g.weekly IS NOT DISTINCT FROM x.weekly,
           format('%s in %s: got %s, want %s', s.kind, s.zone, g.weekly, x.weekly)
      FROM act_set s JOIN act_expect x USING (id) JOIN got g USING (id)$$);
SELECT pg_temp.check_rows('hourly_profile and weekly_profile = the counts over their total, bit for bit (NULL for no events)',
  $$SELECT s.id, g.hourly_p IS NOT DISTINCT FROM pg_temp.shares(x.hourly)
                 AND g.weekly_p IS NOT DISTINCT FROM pg_temp.shares(x.weekly),
           format('%s in %s: got %s, want %s', s.kind, s.zone, g.hourly_p, pg_temp.shares(x.hourly))
      FROM act_set s JOIN act_expect x USING (id) JOIN got g USING (id)$$);
SELECT pg_temp.check_rows('sets with events but every row NULL, or no rows: NULL counts and profiles',
  $$SELECT s.id, g.hourly IS NULL AND g.weekly_p IS NULL AND g.c IS NULL, format('%s: %s', s.kind, g.hourly)
      FROM act_set s JOIN got g USING (id) WHERE s.n = 0$$);

-- The session TimeZone, for the sets marked so: one zone at a time.
CREATE TABLE got_session (id int, hourly bigint[], weekly bigint[], weekly_p float8[]);
DO $$
DECLARE
  z text;
BEGIN
  FOR z IN SELECT DISTINCT zone FROM t90.act_set WHERE session LOOP
    PERFORM set_config('TimeZone', z, true);
    INSERT INTO t90.got_session
      SELECT s.id, sybil.hourly_counts(e.t), sybil.weekly_counts(e.t), sybil.weekly_profile(e.t)
        FROM t90.act_set s JOIN t90.act_event e USING (id) WHERE s.session AND s.zone = z GROUP BY s.id;
  END LOOP;
END
$$;
SET LOCAL TimeZone = 'UTC';
SELECT pg_temp.check_rows('hourly_counts(ts), weekly_counts(ts), weekly_profile(ts) in the session TimeZone = zoneinfo''s',
  $$SELECT s.id, g.hourly IS NOT DISTINCT FROM x.hourly AND g.weekly IS NOT DISTINCT FROM x.weekly
                 AND g.weekly_p IS NOT DISTINCT FROM pg_temp.shares(x.weekly),
           format('%s in %s: got %s, want %s', s.kind, s.zone, g.hourly, x.hourly)
      FROM act_set s JOIN act_expect x USING (id) LEFT JOIN got_session g USING (id) WHERE s.session$$);

-- counts_sum rolls sets up: per zone, the element-wise sum of the expected counts.
SELECT pg_temp.check_rows('counts_sum of the per-set hourly and weekly counts of each zone = the sums of zoneinfo''s counts',
  $$WITH want AS (
      SELECT s.zone, array_agg(v ORDER BY i) AS hourly
        FROM (SELECT s.zone, u.i, sum(u.c)::bigint AS v
                FROM act_set s JOIN act_expect x USING (id), unnest(x.hourly) WITH ORDINALITY u(c, i)
               GROUP BY 1, 2) s GROUP BY 1
    ), want_w AS (
      SELECT s.zone, array_agg(v ORDER BY i) AS weekly
        FROM (SELECT s.zone, u.i, sum(u.c)::bigint AS v
                FROM act_set s JOIN act_expect x USING (id), unnest(x.weekly) WITH ORDINALITY u(c, i)
               GROUP BY 1, 2) s GROUP BY 1
    ), rolled AS (
      SELECT s.zone, sybil.counts_sum(g.hourly) AS hourly, sybil.counts_sum(g.weekly) AS weekly
        FROM act_set s JOIN got g USING (id) GROUP BY 1
    )
    SELECT r.zone, r.hourly = w.hourly AND r.weekly = ww.weekly, format('got %s, want %s', r.hourly, w.hourly)
      FROM rolled r JOIN want w USING (zone) JOIN want_w ww USING (zone)$$);

-- cadence against numpy
CREATE TABLE cad AS
  SELECT s.id, s.kind, (g.c).*, x.events AS w_events, x.mean_gap AS w_mean, x.sd_gap AS w_sd, x.cv AS w_cv,
         x.burstiness AS w_b, x.memory AS w_memory, x.median_gap AS w_median, x.min_gap AS w_min,
         x.max_gap AS w_max
    FROM act_set s JOIN act_expect x USING (id) JOIN got g USING (id);
SELECT pg_temp.check_rows('cadence: events = the number of non-NULL timestamps (NULL for none)',
  $$SELECT id, events IS NOT DISTINCT FROM w_events, format('%s: got %s, want %s', kind, events, w_events) FROM cad$$);
SELECT pg_temp.check_close('cadence: mean_gap agrees with numpy (seconds)',
  $$SELECT id || ' ' || kind, mean_gap, w_mean FROM cad$$);
SELECT pg_temp.check_close('cadence: sd_gap agrees with numpy''s std (ddof 0)',
  $$SELECT id || ' ' || kind, sd_gap, w_sd FROM cad$$);
SELECT pg_temp.check_close('cadence: median_gap, min_gap and max_gap agree with numpy',
  $$SELECT id || ' ' || kind || ' median', median_gap, w_median FROM cad
    UNION ALL SELECT id || ' ' || kind || ' min', min_gap, w_min FROM cad
    UNION ALL SELECT id || ' ' || kind || ' max', max_gap, w_max FROM cad$$);
-- The ratios lie in [-1, 1] or near: an absolute 1e-12 lets burstiness of a
-- Poisson set (near 0) and memory (a correlation, often near 0) pass where
-- the relative bound means nothing.
SELECT pg_temp.check_close('cadence: cv and burstiness agree with numpy',
  $$SELECT id || ' ' || kind || ' cv', cv, w_cv FROM cad
    UNION ALL SELECT id || ' ' || kind || ' burstiness', burstiness, w_b FROM cad$$, 1e-9, 1e-12);
SELECT pg_temp.check_close('cadence: memory agrees with numpy''s corrcoef of consecutive gaps',
  $$SELECT id || ' ' || kind, memory, w_memory FROM cad$$, 1e-9, 1e-12);
SELECT pg_temp.check_rows('cadence: bots on a timer have burstiness -1 and cv 0 exactly, or undefined for repeated times',
  $$SELECT id, (burstiness = -1 AND cv = 0) OR sd_gap > 0, format('sd %s, cv %s, B %s', sd_gap, cv, burstiness)
      FROM cad WHERE kind = 'bot'$$);
SELECT pg_temp.check_rows('cadence does not depend on the order of the rows: random, ascending, descending give the same bits',
  $$SELECT id, c IS NOT DISTINCT FROM c_asc AND c IS NOT DISTINCT FROM c_desc, format('%s / %s / %s', c, c_asc, c_desc)
      FROM got$$);

-- cosine against numpy
SELECT is((SELECT count(DISTINCT kind)::int FROM act_cosine), 8,
          'the cosine fixture has every kind of pair: profiles, signed, extreme, self, proportional, opposite, zero, empty');
SELECT pg_temp.check_close('cosine agrees with numpy (relative 1e-9, absolute 1e-12 near 0)',
  $$SELECT id || ' ' || kind, sybil.cosine(a, b), cosine FROM act_cosine$$, 1e-9, 1e-12);
SELECT pg_temp.check_rows('cosine of a vector with itself is exactly 1, with its opposite exactly -1; NULL for a zero or empty vector',
  $$SELECT id, CASE kind WHEN 'self' THEN sybil.cosine(a, b) = 1 WHEN 'opposite' THEN sybil.cosine(a, b) = -1
                         ELSE sybil.cosine(a, b) IS NULL END, format('%s: %s', kind, sybil.cosine(a, b))
      FROM act_cosine WHERE kind IN ('self', 'opposite', 'zero', 'empty')$$);
SELECT pg_temp.check_rows('cosine is symmetric and in [-1, 1]',
  $$SELECT id, sybil.cosine(a, b) IS NOT DISTINCT FROM sybil.cosine(b, a)
               AND coalesce(sybil.cosine(a, b) BETWEEN -1 AND 1, true),
           format('%s: %s / %s', kind, sybil.cosine(a, b), sybil.cosine(b, a))
      FROM act_cosine$$);
SELECT pg_temp.check_close('cosine of bigint[] counts (cast implicitly) = cosine of their profiles',
  $$SELECT a.id || '/' || b.id, sybil.cosine(a.hourly, b.hourly), sybil.cosine(a.hourly_p, b.hourly_p)
      FROM got a JOIN got b ON b.id = a.id + 1 WHERE a.hourly IS NOT NULL AND b.hourly IS NOT NULL$$, 1e-12, 1e-15);

-- Hash aggregation spilling to disk gives the same results.
SET LOCAL work_mem = '64kB';
SET LOCAL enable_sort = off;
CREATE TABLE got_spill AS
  SELECT s.id, sybil.hourly_counts(e.t, s.zone) AS hourly, sybil.weekly_profile(e.t, s.zone) AS weekly_p,
         sybil.cadence(e.t) AS c
    FROM act_set s JOIN act_event e USING (id) GROUP BY s.id;
RESET work_mem;
RESET enable_sort;
SELECT pg_temp.check_rows('hash aggregation under a tiny work_mem (spilling): the same counts, profiles and cadence',
  $$SELECT id, (p.hourly, p.weekly_p, p.c) IS NOT DISTINCT FROM (g.hourly, g.weekly_p, g.c), format('%s / %s', p.c, g.c)
      FROM got g FULL JOIN got_spill p USING (id)$$);

-- Serial and parallel plans: every set 4 times (ids + 10,000 k), rows
-- shuffled so that every worker sees part of every set.
CREATE TABLE big AS
  SELECT e.id + 10000 * k AS id, s.zone, e.t
    FROM generate_series(0, 3) k, act_event e JOIN act_set s USING (id)
   ORDER BY md5(k || ' ' || e.id || ' ' || coalesce(e.t::text, ''));
ANALYZE big;

CREATE FUNCTION pg_temp.plan_of(stmt text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  line text;
  out text := '';
BEGIN
  FOR line IN EXECUTE 'EXPLAIN (COSTS OFF, ANALYZE, TIMING OFF, SUMMARY OFF) ' || stmt LOOP
    out := out || line || E'\n';
  END LOOP;
  RETURN out;
END
$$;

\set q_set 'SELECT id, sybil.hourly_counts(t, zone) AS hourly, sybil.weekly_counts(t, zone) AS weekly, sybil.hourly_profile(t, zone) AS hourly_p, sybil.cadence(t) AS c FROM t90.big GROUP BY id'
\set q_all 'SELECT sybil.hourly_counts(t) AS hourly, sybil.weekly_profile(t, ''Asia/Kolkata'') AS weekly_p, sybil.cadence(t) AS c FROM t90.big'
\set q_sum 'SELECT id % 10000 AS id, sybil.counts_sum(hourly) AS hourly FROM t90.ser_set GROUP BY 1'

SET LOCAL max_parallel_workers_per_gather = 0;
CREATE TABLE ser_set AS :q_set;
CREATE TABLE ser_all AS :q_all;
CREATE TABLE ser_sum AS :q_sum;

SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL max_parallel_workers_per_gather = 2;
SET LOCAL parallel_leader_participation = off;
CREATE TABLE plans (name text PRIMARY KEY, plan text);
INSERT INTO plans VALUES
  ('per set', pg_temp.plan_of('CREATE TABLE t90.par_set AS ' || :'q_set')),
  ('whole table', pg_temp.plan_of('CREATE TABLE t90.par_all AS ' || :'q_all')),
  ('counts_sum', pg_temp.plan_of('CREATE TABLE t90.par_sum AS ' || :'q_sum'));
RESET parallel_leader_participation;
SELECT pg_temp.check_rows('each parallel plan has a Parallel Seq Scan under a Partial aggregate, and launched workers',
  $$SELECT name, plan ~ 'Parallel Seq Scan' AND plan ~ 'Partial (Hash|Group)?Aggregate'
                 AND plan ~ 'Finalize (Hash|Group)?Aggregate'
                 AND (regexp_match(plan, 'Workers Launched: (\d+)'))[1]::int >= 1, plan FROM plans$$);
SELECT diag(name || E' plan:\n' || plan) FROM plans WHERE name = 'per set';

SELECT pg_temp.check_rows('per set: parallel = serial, bit for bit (counts, profiles, cadence)',
  $$SELECT id, (p.hourly, p.weekly, p.hourly_p, p.c) IS NOT DISTINCT FROM (s.hourly, s.weekly, s.hourly_p, s.c),
           format('parallel %s, serial %s', p.c, s.c)
      FROM ser_set s FULL JOIN par_set p USING (id)$$);
SELECT pg_temp.check_rows('per set in parallel: every replica''s counts = zoneinfo''s, its cadence events = the set''s',
  $$SELECT p.id, p.hourly IS NOT DISTINCT FROM x.hourly AND p.weekly IS NOT DISTINCT FROM x.weekly
                 AND (p.c).events IS NOT DISTINCT FROM x.events,
           format('got %s, want %s', p.hourly, x.hourly)
      FROM par_set p JOIN act_expect x ON x.id = p.id % 10000$$);
SELECT pg_temp.check_close('per set in parallel: cadence mean and sd agree with numpy',
  $$SELECT p.id || ' mean', (p.c).mean_gap, x.mean_gap FROM par_set p JOIN act_expect x ON x.id = p.id % 10000
    UNION ALL
    SELECT p.id || ' sd', (p.c).sd_gap, x.sd_gap FROM par_set p JOIN act_expect x ON x.id = p.id % 10000$$);
SELECT ok((SELECT (p.hourly, p.weekly_p, p.c) IS NOT DISTINCT FROM (s.hourly, s.weekly_p, s.c) FROM par_all p, ser_all s),
          'whole table: hourly_counts, weekly_profile and cadence, parallel = serial, bit for bit');
SELECT ok((SELECT (c).events FROM par_all) = (SELECT count(t) FROM big), 'whole table: cadence counts every non-NULL timestamp');
SELECT pg_temp.check_rows('counts_sum in parallel = serial = 4 times zoneinfo''s counts',
  $$SELECT id, p.hourly IS NOT DISTINCT FROM s.hourly
               AND p.hourly IS NOT DISTINCT FROM (SELECT array_agg(4 * c ORDER BY i) FROM unnest(x.hourly) WITH ORDINALITY u(c, i)),
           format('parallel %s, serial %s, want 4 x %s', p.hourly, s.hourly, x.hourly)
      FROM ser_sum s FULL JOIN par_sum p USING (id) JOIN act_expect x USING (id)$$);

-- force_parallel_mode (PostgreSQL 15; debug_parallel_query from 16 on): the
-- plain functions run in a worker (cosine against the flat profile of a
-- round-the-clock bot).
\set q_funcs 'SELECT g.id, sybil.profile(g.hourly) AS p, sybil.counts_final(g.weekly) AS w, sybil.cosine(g.hourly_p, array_fill(1::float8, ARRAY[24])) AS cos, sybil.cadence_final(a.ts) AS c FROM t90.got g LEFT JOIN (SELECT id, array_agg(t) FILTER (WHERE t IS NOT NULL) AS ts FROM t90.act_event GROUP BY id) a USING (id)'
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
CREATE TABLE ser_funcs AS :q_funcs;
DO $$
BEGIN
  IF current_setting('server_version_num')::int >= 160000 THEN
    PERFORM set_config('debug_parallel_query', 'on', true);
  ELSE
    PERFORM set_config('force_parallel_mode', 'on', true);
  END IF;
END
$$;
CREATE TABLE forced_plan AS SELECT pg_temp.plan_of('CREATE TABLE t90.par_funcs AS ' || :'q_funcs') AS plan;
SELECT pg_temp.check_rows('force_parallel_mode runs profile, counts_final, cosine and cadence_final in a parallel worker',
  $$SELECT 'plan', plan ~ 'Single Copy: true' AND (regexp_match(plan, 'Workers Launched: (\d+)'))[1]::int >= 1, plan
      FROM forced_plan$$);
SELECT pg_temp.check_rows('functions computed in a parallel worker = computed in the leader, bit for bit',
  $$SELECT id, (p.p, p.w, p.cos, p.c) IS NOT DISTINCT FROM (s.p, s.w, s.cos, s.c), format('worker %s, leader %s', p.c, s.c)
      FROM ser_funcs s FULL JOIN par_funcs p USING (id)$$);
SELECT pg_temp.check_rows('cadence_final of the array of a set''s timestamps = the cadence aggregate',
  $$SELECT id, s.c IS NOT DISTINCT FROM g.c, format('%s / %s', s.c, g.c) FROM ser_funcs s JOIN got g USING (id)$$);

SELECT * FROM finish();
ROLLBACK;
