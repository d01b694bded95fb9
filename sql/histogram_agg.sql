-- Histogram aggregates: NULLs, empty input, weights, roll-ups, windows and
-- parallel plans.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS pg_sybil;
RESET client_min_messages;
SET extra_float_digits = 0;

CREATE TABLE usage (account_id int, day date, topic text, weight float8);
INSERT INTO usage
SELECT i % 50,
       date '2026-01-01' + (i % 7),
       CASE WHEN i % 97 = 0 THEN NULL ELSE 'topic.' || ((i * 7919) % 13) % (1 + i % 50 % 6) END,
       (i % 4) * 0.5
  FROM generate_series(1, 40000) AS i;

-- NULL labels are skipped; no (non-NULL) labels gives NULL, like sum().
SELECT sybil.histogram_agg(x) FROM (VALUES ('a'), (NULL), ('b'), ('a')) v(x);
SELECT sybil.histogram_agg(x) IS NULL AS all_null FROM (VALUES (NULL::text), (NULL)) v(x);
SELECT sybil.histogram_agg(x) IS NULL AS no_rows, sybil.topic_entropy(x) IS NULL AS no_entropy
  FROM (VALUES ('a')) v(x) WHERE false;
SELECT sybil.histogram_agg(x, w) FROM (VALUES ('a', 2.5), ('b', NULL), (NULL, 1), ('a', 0), ('c', 0)) v(x, w);

-- Weights must be finite and non-negative.
SELECT sybil.histogram_agg(x, w) FROM (VALUES ('a', -1.0)) v(x, w);
SELECT sybil.histogram_agg(x, w) FROM (VALUES ('a', 'NaN'::float8)) v(x, w);
SELECT sybil.histogram_agg(x, w) FROM (VALUES ('a', 'Infinity'::float8)) v(x, w);
SELECT sybil.histogram_agg(x, w) FROM (VALUES ('a', 1e308), ('a', 1e308)) v(x, w);

-- Per-account histograms and entropy agree with plain SQL.
WITH ours AS (
  SELECT account_id, sybil.histogram_agg(topic) AS h, sybil.topic_entropy(topic) AS e
    FROM usage GROUP BY account_id
), plain AS (
  SELECT account_id, jsonb_object_agg(topic, n) AS j,
         -sum(n / total * log(2.0, (n / total)::numeric)) AS e
    FROM (SELECT account_id, topic, count(*)::numeric AS n,
                 sum(count(*)) OVER (PARTITION BY account_id) AS total
            FROM usage WHERE topic IS NOT NULL GROUP BY account_id, topic) c
   GROUP BY account_id
)
SELECT count(*) AS accounts,
       count(*) FILTER (WHERE ours.h OPERATOR(sybil.=) plain.j::sybil.histogram) AS same_histogram,
       max(abs(ours.e - plain.e::float8)) < 1e-12 AS same_entropy,
       count(*) FILTER (WHERE ours.e = sybil.entropy(ours.h)) AS entropy_bit_identical
  FROM ours JOIN plain USING (account_id);

-- Roll-up: the union of daily histograms is the histogram of all rows.
SELECT sybil.histogram_union(daily) OPERATOR(sybil.=) (SELECT sybil.histogram_agg(topic) FROM usage) AS union_equals_agg
  FROM (SELECT sybil.histogram_agg(topic) AS daily FROM usage GROUP BY day) d;
SELECT sybil.histogram_union(h) FROM (VALUES ('{"a": 1}'::sybil.histogram), (NULL), ('{"b": 2, "a": 0.5}')) v(h);
SELECT sybil.histogram_union(h) IS NULL AS union_of_nulls FROM (VALUES (NULL::sybil.histogram)) v(h);

-- DISTINCT, ORDER BY and FILTER inside the aggregate.
SELECT sybil.histogram_agg(DISTINCT topic) FROM usage WHERE account_id = 7;
SELECT sybil.histogram_agg(topic ORDER BY topic) FILTER (WHERE day = '2026-01-02') FROM usage WHERE account_id = 7;

-- As a window function, with a moving frame.
SELECT i, sybil.histogram_agg(x) OVER (ORDER BY i ROWS BETWEEN 1 PRECEDING AND CURRENT ROW),
       sybil.topic_entropy(x) OVER (ORDER BY i)
  FROM (VALUES (1, 'a'), (2, 'b'), (3, 'a'), (4, NULL), (5, 'c')) v(i, x);

-- The transition functions can be called directly and do not modify their input.
SELECT sybil.histogram_add(sybil.histogram_add(NULL, 'a'), 'a');
SELECT h, sybil.histogram_add(h, 'b', 2), sybil.histogram_merge(h, h), h
  FROM (VALUES ('{"a": 1}'::sybil.histogram)) v(h);

-- A forced parallel plan gives exactly the serial results.
CREATE TABLE serial_result AS
  SELECT account_id, sybil.histogram_agg(topic)::text AS h, sybil.topic_entropy(topic) AS e,
         sybil.histogram_agg(topic, weight)::text AS hw
    FROM usage GROUP BY account_id;
CREATE TABLE serial_total AS
  SELECT sybil.histogram_agg(topic)::text AS h, sybil.topic_entropy(topic) AS e FROM usage;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF)
  SELECT account_id, sybil.histogram_agg(topic), sybil.topic_entropy(topic) FROM usage GROUP BY account_id;
EXPLAIN (COSTS OFF) SELECT sybil.histogram_agg(topic), sybil.topic_entropy(topic) FROM usage;
SELECT count(*) AS accounts,
       count(*) FILTER (WHERE s.h = p.h AND s.e = p.e AND s.hw = p.hw) AS identical
  FROM serial_result s
  JOIN (SELECT account_id, sybil.histogram_agg(topic)::text AS h, sybil.topic_entropy(topic) AS e,
               sybil.histogram_agg(topic, weight)::text AS hw
          FROM usage GROUP BY account_id) p USING (account_id);
SELECT s.h = p.h AND s.e = p.e AS identical
  FROM serial_total s,
       (SELECT sybil.histogram_agg(topic)::text AS h, sybil.topic_entropy(topic) AS e FROM usage) p;
RESET ALL;
