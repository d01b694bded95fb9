-- Serial and parallel plans give the same histograms: a table of ~110,000
-- rows (the random usage rows, 4 times over with shifted account ids) is
-- aggregated once with parallelism off and once with a Parallel Seq Scan
-- feeding Partial Aggregates in two workers, whose states are combined by the
-- leader; EXPLAIN ANALYZE shows each plan and that workers ran.
\set QUIET 1
\set ON_ERROR_STOP 1
BEGIN;
SET LOCAL client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS pg_sybil;
CREATE SCHEMA t50;
SET LOCAL search_path = t50, public;

SELECT plan(21);
\ir lib/helpers.psql
\ir generated/rows.sql

-- Replicas k = 0..3 of every account, as accounts account + 1000 k.
CREATE TABLE big AS
  SELECT r.id + 1000000 * k AS id, r.account + 1000 * k AS account, r.day, r.label, r.w_int, r.w_float
    FROM generate_series(0, 3) AS k, raw_row r
   ORDER BY md5((r.id + 1000000 * k)::text);
ANALYZE big;

-- EXPLAIN of a statement, or EXPLAIN ANALYZE (which also runs it).
CREATE FUNCTION pg_temp.plan_of(stmt text, run bool DEFAULT false) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  line text;
  out text := '';
BEGIN
  FOR line IN EXECUTE 'EXPLAIN (COSTS OFF'
                      || CASE WHEN run THEN ', ANALYZE, TIMING OFF, SUMMARY OFF' ELSE '' END
                      || ') ' || stmt LOOP
    out := out || line || E'\n';
  END LOOP;
  RETURN out;
END
$$;

\set q_acct 'SELECT account, sybil.histogram_agg(label) AS hc, sybil.histogram_agg(label, w_int::float8) AS hw, sybil.histogram_agg(label, w_float) AS hf, sybil.topic_entropy(label) AS te FROM t50.big GROUP BY account'
\set q_all 'SELECT sybil.histogram_agg(label) AS hc, sybil.histogram_agg(label, w_int::float8) AS hw, sybil.histogram_agg(label, w_float) AS hf, sybil.topic_entropy(label) AS te FROM t50.big'
\set q_union 'SELECT account, sybil.histogram_union(h) AS h FROM (SELECT account, day, sybil.histogram_agg(label) AS h FROM t50.big GROUP BY account, day) s GROUP BY account'
\set q_union2 'SELECT bucket, sybil.histogram_union(h) AS h FROM t50.big_days GROUP BY bucket'

-- serial
SET LOCAL max_parallel_workers_per_gather = 0;
CREATE TABLE ser_acct AS :q_acct;
CREATE TABLE ser_all AS :q_all;
CREATE TABLE ser_union AS :q_union;
CREATE TABLE big_days AS
  SELECT account, day, account % 16 AS bucket, sybil.histogram_agg(label) AS h FROM big GROUP BY account, day;
ANALYZE big_days;
CREATE TABLE ser_union2 AS :q_union2;

SELECT unalike(pg_temp.plan_of(:'q_acct'), '%Parallel%', 'with max_parallel_workers_per_gather = 0 the plan is serial');

-- parallel: every plan node free, two workers, the leader only combining
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL max_parallel_workers_per_gather = 2;
SET LOCAL parallel_leader_participation = off;
SET LOCAL enable_partitionwise_aggregate = on;

CREATE TABLE plans (name text PRIMARY KEY, plan text);
INSERT INTO plans VALUES
  ('acct', pg_temp.plan_of('CREATE TABLE t50.par_acct AS ' || :'q_acct', true)),
  ('all', pg_temp.plan_of('CREATE TABLE t50.par_all AS ' || :'q_all', true)),
  ('union', pg_temp.plan_of('CREATE TABLE t50.par_union AS ' || :'q_union', true)),
  ('union2', pg_temp.plan_of('CREATE TABLE t50.par_union2 AS ' || :'q_union2', true));

SELECT pg_temp.check_rows('each parallel plan has a Parallel Seq Scan under a Partial aggregate',
  $$SELECT name, plan ~ 'Parallel Seq Scan on big' AND plan ~ 'Partial (Hash|Group)?Aggregate'
                 AND plan ~ 'Finalize (Hash|Group)?Aggregate' AS pass, plan AS detail FROM plans$$);

SELECT pg_temp.check_rows('each parallel plan launched workers',
  $$SELECT name, (regexp_match(plan, 'Workers Launched: (\d+)'))[1]::int >= 1 AS pass, plan AS detail FROM plans$$);

SELECT diag(name || E' plan:\n' || plan) FROM plans WHERE name = 'acct';

-- per account
SELECT is((SELECT count(*)::int FROM par_acct), (SELECT count(*)::int FROM ser_acct),
          'parallel and serial give as many accounts');
SELECT pg_temp.check_rows('histogram_agg(label): parallel = serial, exactly',
  $$SELECT account, pg_temp.same(p.hc, s.hc) AS pass, format('parallel %s, serial %s', p.hc, s.hc) AS detail
      FROM ser_acct s FULL JOIN par_acct p USING (account)$$);
SELECT pg_temp.check_rows('histogram_agg(label, integer weight): parallel = serial, exactly',
  $$SELECT account, pg_temp.same(p.hw, s.hw) AS pass, format('parallel %s, serial %s', p.hw, s.hw) AS detail
      FROM ser_acct s FULL JOIN par_acct p USING (account)$$);
SELECT pg_temp.check_rows('topic_entropy: parallel = serial, bit for bit',
  $$SELECT account, p.te IS NOT DISTINCT FROM s.te AS pass, format('parallel %s, serial %s', p.te, s.te) AS detail
      FROM ser_acct s FULL JOIN par_acct p USING (account)$$);
CREATE TABLE ser_hf AS SELECT s.account, e.label, e.count FROM ser_acct s, pg_temp.entries(s.hf) e;
CREATE TABLE par_hf AS SELECT p.account, e.label, e.count FROM par_acct p, pg_temp.entries(p.hf) e;
SELECT pg_temp.check_rows('histogram_agg(label, float weight): parallel and serial have the same labels (and NULLs)',
  $$SELECT account || ' ' || coalesce(s.label, p.label), s.label IS NOT NULL AND p.label IS NOT NULL,
           format('serial has it: %s, parallel has it: %s', s.label IS NOT NULL, p.label IS NOT NULL)
      FROM ser_hf s FULL JOIN par_hf p USING (account, label)
    UNION ALL
    SELECT account::text, (p.hf IS NULL) = (s.hf IS NULL), format('parallel %s, serial %s', p.hf, s.hf)
      FROM ser_acct s JOIN par_acct p USING (account)$$);
SELECT pg_temp.check_close('histogram_agg(label, float weight): parallel sums agree with serial ones (order of addition differs)',
  $$SELECT account || ' ' || label, p.count, s.count FROM ser_hf s JOIN par_hf p USING (account, label)$$);
SELECT pg_temp.check_rows('parallel histogram_agg(label) = Python''s counts for every replica of every account',
  $$SELECT p.account, pg_temp.same(p.hc, e.h_count::sybil.histogram) AS pass,
           format('parallel %s, Python %s', left(p.hc::text, 150), left(e.h_count, 150)) AS detail
      FROM par_acct p JOIN acct_expect e ON e.account = p.account % 1000$$);
SELECT pg_temp.check_close('parallel histogram_agg(label, float weight) agrees with math.fsum (labels too)',
  $$SELECT coalesce(p.account, w.account) || ' ' || coalesce(p.label, w.label), p.count, w.weight
      FROM par_hf p FULL JOIN (SELECT a.account + 1000 * k AS account, a.label, a.weight
                                 FROM acct_wfloat a, generate_series(0, 3) k) w USING (account, label)$$);
SELECT pg_temp.check_close('parallel topic_entropy agrees with scipy',
  $$SELECT p.account, p.te, e.entropy FROM par_acct p JOIN acct_expect e ON e.account = p.account % 1000$$);

-- the whole table at once
SELECT ok((SELECT pg_temp.same(p.hc, s.hc) AND pg_temp.same(p.hw, s.hw) AND p.te = s.te
             FROM par_all p, ser_all s),
          'whole table: histogram_agg, weighted with integers, topic_entropy: parallel = serial');
SELECT pg_temp.check_close('whole table, float weights: parallel sums agree with serial ones',
  $$SELECT se.label, pe.count, se.count
      FROM ser_all s CROSS JOIN par_all p CROSS JOIN LATERAL pg_temp.entries(s.hf) se
      LEFT JOIN LATERAL (SELECT * FROM pg_temp.entries(p.hf) x WHERE x.label = se.label) pe ON true$$);
SELECT ok((SELECT sybil.label_count(p.hf) = sybil.label_count(s.hf) FROM par_all p, ser_all s),
          'whole table, float weights: as many labels');

-- histogram_union in parallel
SELECT pg_temp.check_rows('histogram_union of parallel per-day histograms = serial',
  $$SELECT account, pg_temp.same(p.h, s.h) AS pass, format('parallel %s, serial %s', p.h, s.h) AS detail
      FROM ser_union s FULL JOIN par_union p USING (account)$$);
SELECT pg_temp.check_rows('histogram_union of parallel per-day histograms = histogram_agg per account',
  $$SELECT account, pg_temp.same(p.h, a.hc) AS pass, format('union %s, agg %s', p.h, a.hc) AS detail
      FROM par_union p FULL JOIN ser_acct a USING (account)$$);
SELECT pg_temp.check_rows('histogram_union with parallel partial unions = serial',
  $$SELECT bucket, pg_temp.same(p.h, s.h) AS pass, format('parallel %s, serial %s', p.h, s.h) AS detail
      FROM ser_union2 s FULL JOIN par_union2 p USING (bucket)$$);

-- force_parallel_mode (PostgreSQL 15; debug_parallel_query from 16 on): the
-- functions run in a worker over every per-day histogram
CREATE TABLE ref AS
  SELECT (SELECT h FROM big_days WHERE account = 3 ORDER BY day LIMIT 1) AS r1,
         (SELECT hc FROM ser_acct WHERE account = 3) AS r2;
\set q_funcs 'SELECT account, day, sybil.entropy(h) AS e, sybil.normalized_entropy(h) AS ne, sybil.total(h) AS t, sybil.top_share(h, 2) AS ts, sybil.label_count(h) AS lc, sybil.js_divergence(h, r1) AS js, sybil.kl_divergence(h, r2) AS kl, h::text AS txt, sybil.histogram_send(h) AS bin FROM t50.big_days CROSS JOIN t50.ref'
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
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
SET LOCAL max_parallel_workers_per_gather = 2;   -- forcing needs it above 0
CREATE TABLE forced_plan AS
  SELECT pg_temp.plan_of('CREATE TABLE t50.par_funcs AS ' || :'q_funcs', true) AS plan;
SELECT pg_temp.check_rows('force_parallel_mode runs the per-histogram functions in a parallel worker',
  $$SELECT 'plan', plan ~ 'Single Copy: true' AND (regexp_match(plan, 'Workers Launched: (\d+)'))[1]::int >= 1, plan
      FROM forced_plan$$);
SELECT pg_temp.check_rows('functions computed in a parallel worker = computed in the leader, bit for bit',
  $$SELECT account || '/' || day,
           (p.e, p.ne, p.t, p.ts, p.lc, p.js, p.kl, p.txt, p.bin) IS NOT DISTINCT FROM
           (s.e, s.ne, s.t, s.ts, s.lc, s.js, s.kl, s.txt, s.bin) AS pass,
           format('worker (%s, %s, %s, %s, %s, %s, %s), leader (%s, %s, %s, %s, %s, %s, %s)',
                  p.e, p.ne, p.t, p.ts, p.lc, p.js, p.kl, s.e, s.ne, s.t, s.ts, s.lc, s.js, s.kl) AS detail
      FROM ser_funcs s FULL JOIN par_funcs p USING (account, day)$$);
SELECT cmp_ok((SELECT count(*)::int FROM par_funcs), '>', 3000, 'over more than 3,000 histograms');

SELECT * FROM finish();
ROLLBACK;
