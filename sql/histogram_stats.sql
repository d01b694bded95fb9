-- Histograms read as distributions: exact values on small cases, NULL for
-- empty histograms, and errors for bad arguments.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS pg_sybil;
RESET client_min_messages;
SET extra_float_digits = 0;

CREATE TABLE h (name text, h sybil.histogram);
INSERT INTO h VALUES
  ('empty', '{}'),
  ('one', '{"a": 5}'),
  ('fair coin', '{"heads": 1, "tails": 1}'),
  ('uniform 8', '{"a":1,"b":1,"c":1,"d":1,"e":1,"f":1,"g":1,"h":1}'),
  ('skewed', '{"a": 1000000000, "b": 1}'),
  ('weighted', '{"x": 0.25, "y": 0.75}');

SELECT name, sybil.entropy(h), sybil.normalized_entropy(h), sybil.total(h), sybil.label_count(h),
       sybil.top_share(h, 1), sybil.top_share(h, 0), sybil.top_share(h, 100)
  FROM h ORDER BY name;

-- Jensen-Shannon: 0 for equal distributions (whatever the scale), 1 for
-- disjoint ones, symmetric.
SELECT sybil.js_divergence('{"a": 1, "b": 3}', '{"a": 10, "b": 30}') AS same,
       sybil.js_divergence('{"a": 1}', '{"b": 1}') AS disjoint,
       sybil.js_divergence('{"a": 1, "b": 1}', '{"a": 1}') AS half,
       sybil.js_divergence('{"a": 1, "b": 3}', '{"b": 1, "c": 1}')
         = sybil.js_divergence('{"b": 1, "c": 1}', '{"a": 1, "b": 3}') AS symmetric,
       sybil.js_divergence('{}', '{"a": 1}') IS NULL AS empty_is_null;

-- Kullback-Leibler with additive smoothing of q over the union of labels.
SELECT sybil.kl_divergence('{"a": 1, "b": 1}', '{"a": 1, "b": 1}') AS same,
       sybil.kl_divergence('{"a": 1, "b": 1}', '{"a": 1}', 0) AS unsmoothed_missing,
       sybil.kl_divergence('{"a": 1, "b": 1}', '{"a": 1}') AS smoothed_default,
       sybil.kl_divergence('{"a": 1, "b": 1}', '{"a": 1}', smoothing => 1) AS laplace,
       sybil.kl_divergence('{"a": 3, "b": 1}', '{"a": 1, "b": 1}', 0) AS exact,
       sybil.kl_divergence('{}', '{"a": 1}') IS NULL AS empty_is_null;
SELECT sybil.kl_divergence('{"a": 1}', '{"a": 1}', -1);
SELECT sybil.kl_divergence('{"a": 1}', '{"a": 1}', 'NaN');

-- Top labels: largest first, ties by label; share of the total.
SELECT * FROM sybil.top_labels('{"c": 2, "a": 5, "b": 2, "d": 1}', 3);
SELECT * FROM sybil.top_labels('{"c": 2, "a": 5}', 10);
SELECT count(*) FROM sybil.top_labels('{}', 3);
SELECT * FROM sybil.top_labels('{"a": 1}', -1);
SELECT sybil.top_share('{"a": 1}', -1);

-- Strict functions: NULL in, NULL out.
SELECT sybil.entropy(NULL), sybil.top_share('{"a": 1}', NULL), sybil.js_divergence(NULL, '{}');

-- Many labels: entropy of a uniform histogram over 100000 labels is log2(100000).
SELECT abs(sybil.entropy(h) - log(2, 100000)::float8) < 1e-9 AS uniform_100k,
       sybil.normalized_entropy(h) BETWEEN 1 - 1e-12 AND 1 + 1e-12 AS normalized_one,
       sybil.label_count(h)
  FROM (SELECT sybil.histogram_agg('label ' || i) AS h FROM generate_series(1, 100000) i) s;
