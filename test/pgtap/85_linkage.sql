-- Co-occurrence linkage: linked_pairs, linked_components, hub_tokens and
-- why_linked over a few thousand random (account, token) rows, against
-- two independent oracles: Python's brute force over every pair of token
-- sets and networkx (test/reference/linkage_reference.py), and a plain-SQL
-- self-join over the same rows.  Every min_shared in 1..4, max_degree in
-- {1, 2, 5, 50, 1000000} and min_jaccard in {0, 1/4, 1/2, 1, 1/3, 2/3};
-- a corporate-NAT-like hub that must link nobody (max_degree just below
-- and at its degree); row order, duplicates, NULLs, long (TOASTed) tokens,
-- tokens of type inet and int, accounts of every integer type.  Expected
-- values come only from Python and the SQL self-join, never from the
-- extension.
\set QUIET 1
\set ON_ERROR_STOP 1
BEGIN;
SET LOCAL client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS pg_sybil;
CREATE SCHEMA t85;
SET LOCAL search_path = t85, public;
SET LOCAL max_parallel_workers_per_gather = 0;
SET LOCAL jit = off;                   -- big cost estimates, small data
SET LOCAL work_mem = '64MB';

SELECT plan(45);
\ir lib/helpers.psql
\ir generated/linkage.sql

-- One assertion: for every key of keys (a query of k), the rows of want and
-- got (queries of (k, item, val), all text) are the same set: no item
-- missing, none extra, none repeated, the same val for each item.  Values
-- are compared as text: float8 in its shortest exact form (helpers.psql
-- sets extra_float_digits = 1), so equal text is the same double.
CREATE FUNCTION pg_temp.check_sets(descr text, keys text, want text, got text)
RETURNS SETOF text LANGUAGE plpgsql AS $f$
BEGIN
  RETURN QUERY SELECT * FROM pg_temp.check_rows(descr,
    'WITH keys AS (SELECT * FROM (' || keys || E') x(k)),\n'
    || 'w AS (SELECT * FROM (' || want || E') x(k, item, val)),\n'
    || 'g AS (SELECT * FROM (' || got || E') x(k, item, val)),\n'
    || $q$
       j AS (SELECT coalesce(w.k, g.k)::text AS k, coalesce(w.item, g.item)::text AS item,
                    w.val::text AS wv, g.val::text AS gv
               FROM w FULL JOIN g ON w.k::text = g.k::text AND w.item::text = g.item::text),
       s AS (SELECT k, count(*) FILTER (WHERE gv IS NULL) AS missing,
                    count(*) FILTER (WHERE wv IS NULL) AS extra,
                    count(*) FILTER (WHERE wv <> gv) AS wrong,
                    (array_agg(format('%s: want %s, got %s', item, coalesce(wv, '(none)'),
                                      coalesce(gv, '(none)')) ORDER BY item)
                       FILTER (WHERE wv IS DISTINCT FROM gv))[1:3] AS ex
               FROM j GROUP BY k),
       nw AS (SELECT k::text AS k, count(*) AS n FROM w GROUP BY 1),
       ng AS (SELECT k::text AS k, count(*) AS n FROM g GROUP BY 1)
     SELECT keys.k::text AS id,
            coalesce(s.missing + s.extra + s.wrong, 0) = 0
              AND coalesce(nw.n, 0) = coalesce(ng.n, 0) AS pass,
            format('want %s rows, got %s: %s missing, %s extra, %s different; %s',
                   coalesce(nw.n, 0), coalesce(ng.n, 0), coalesce(s.missing, 0),
                   coalesce(s.extra, 0), coalesce(s.wrong, 0), coalesce(s.ex::text, '')) AS detail
       FROM keys
       LEFT JOIN s ON s.k = keys.k::text
       LEFT JOIN nw ON nw.k = keys.k::text
       LEFT JOIN ng ON ng.k = keys.k::text$q$);
END
$f$;

CREATE VIEW grid AS
  SELECT gid, ms, md, mj, bit, n_pairs,
         format('gid %s: min_shared %s, max_degree %s, min_jaccard %s', gid, ms, md, mj) AS k
    FROM lk_grid;

-- One assertion over the grid points gids (a query of gid; a "variant" of
-- a point is numbered gid + 1000 * v): the pairs of want and got (queries
-- of (gid, a, b, shared, jaccard)) are the same set, with the same shared
-- and the same float8 jaccard (=, bit for bit), none repeated.
CREATE FUNCTION pg_temp.check_pairs(descr text, gids text, want text, got text)
RETURNS SETOF text LANGUAGE plpgsql AS $f$
BEGIN
  RETURN QUERY SELECT * FROM pg_temp.check_rows(descr,
    'WITH keys AS (SELECT * FROM (' || gids || E') x(gid)),\n'
    || 'w AS (SELECT * FROM (' || want || E') x(gid, a, b, shared, jaccard)),\n'
    || 'g AS (SELECT * FROM (' || got || E') x(gid, a, b, shared, jaccard)),\n'
    || $q$
       bad AS (SELECT coalesce(w.gid, g.gid) AS gid, coalesce(w.a, g.a) AS a, coalesce(w.b, g.b) AS b,
                      g.gid IS NULL AS missing, w.gid IS NULL AS extra,
                      format('(%s, %s): want %s, got %s', coalesce(w.a, g.a), coalesce(w.b, g.b),
                             coalesce(w.shared || ' ' || w.jaccard, '(none)'),
                             coalesce(g.shared || ' ' || g.jaccard, '(none)')) AS ex
                 FROM w FULL JOIN g ON w.gid = g.gid AND w.a = g.a AND w.b = g.b
                WHERE w.gid IS NULL OR g.gid IS NULL OR w.shared <> g.shared OR w.jaccard <> g.jaccard
                   OR g.jaccard IS NULL),
       s AS (SELECT gid, count(*) FILTER (WHERE missing) AS missing, count(*) FILTER (WHERE extra) AS extra,
                    count(*) FILTER (WHERE NOT missing AND NOT extra) AS wrong,
                    (array_agg(ex ORDER BY a, b))[1:3] AS ex
               FROM bad GROUP BY gid),
       nw AS (SELECT gid, count(*) AS n FROM w GROUP BY gid),
       ng AS (SELECT gid, count(*) AS n FROM g GROUP BY gid)
     SELECT format('gid %s: min_shared %s, max_degree %s, min_jaccard %s%s', keys.gid, l.ms, l.md, l.mj,
                   CASE WHEN keys.gid > 1000 THEN ', variant ' || keys.gid / 1000 ELSE '' END) AS id,
            s.gid IS NULL AND coalesce(nw.n, 0) = coalesce(ng.n, 0) AS pass,
            format('want %s pairs, got %s: %s missing, %s extra, %s different; %s',
                   coalesce(nw.n, 0), coalesce(ng.n, 0), coalesce(s.missing, 0),
                   coalesce(s.extra, 0), coalesce(s.wrong, 0), coalesce(s.ex::text, '')) AS detail
       FROM keys
       JOIN lk_grid l ON l.gid = keys.gid % 1000
       LEFT JOIN s ON s.gid = keys.gid
       LEFT JOIN nw ON nw.gid = keys.gid
       LEFT JOIN ng ON ng.gid = keys.gid$q$);
END
$f$;

-- Python's pairs at each grid point
CREATE TABLE want_pair AS
  SELECT g.gid, e.a, e.b, e.shared, e.jaccard, g.md
    FROM lk_grid g JOIN lk_pair_expect e ON e.md = g.md AND (e.mask >> g.bit) & 1 = 1;
ANALYZE want_pair;

-- the second oracle: a self-join in plain SQL over the same rows, per
-- max_degree, then filtered by min_shared and min_jaccard
CREATE TABLE oracle_pair AS
  WITH r AS (SELECT DISTINCT account, token FROM lk_row WHERE account IS NOT NULL AND token IS NOT NULL),
  deg AS (SELECT token, count(*) AS d FROM r GROUP BY token),
  kept AS (SELECT m.md, r.account, r.token
             FROM (SELECT DISTINCT md FROM lk_grid) m JOIN deg ON deg.d <= m.md JOIN r USING (token)),
  size AS (SELECT md, account, count(*) AS n FROM kept GROUP BY md, account),
  sh AS (SELECT x.md, x.account AS a, y.account AS b, count(*) AS s
           FROM kept x JOIN kept y ON x.md = y.md AND x.token = y.token AND x.account < y.account
          GROUP BY 1, 2, 3)
  SELECT sh.md, sh.a, sh.b, sh.s::int AS shared,
         sh.s::float8 / (sa.n + sb.n - sh.s)::float8 AS jaccard
    FROM sh JOIN size sa ON sa.md = sh.md AND sa.account = sh.a
            JOIN size sb ON sb.md = sh.md AND sb.account = sh.b;
CREATE TABLE oracle_want AS
  SELECT g.gid, o.a, o.b, o.shared, o.jaccard, g.md
    FROM lk_grid g JOIN oracle_pair o ON o.md = g.md AND o.shared >= g.ms AND o.jaccard >= g.mj;
ANALYZE oracle_want;

-- what the extension says at every grid point
CREATE TABLE got_pair AS
  SELECT g.gid, p.account_a AS a, p.account_b AS b, p.shared, p.jaccard, g.md
    FROM lk_grid g,
         LATERAL sybil.linked_pairs('SELECT account, token FROM t85.lk_row', g.ms, g.md, g.mj) p;
ANALYZE got_pair;

SELECT ok((SELECT bool_and(a < b) FROM got_pair), 'linked_pairs: account_a < account_b in every row');

-- the grid, one assertion per max_degree and oracle
SELECT pg_temp.check_pairs(format('linked_pairs = Python''s brute force over all pairs, max_degree %s, every min_shared and min_jaccard', m.md),
         format('SELECT gid FROM lk_grid WHERE md = %s', m.md),
         format('SELECT gid, a, b, shared, jaccard FROM want_pair WHERE md = %s', m.md),
         format('SELECT gid, a, b, shared, jaccard FROM got_pair WHERE md = %s', m.md))
  FROM (VALUES (1), (2), (5), (50), (1000000)) m(md);
SELECT pg_temp.check_pairs(format('linked_pairs = a plain-SQL self-join of the rows, max_degree %s, every min_shared and min_jaccard', m.md),
         format('SELECT gid FROM lk_grid WHERE md = %s', m.md),
         format('SELECT gid, a, b, shared, jaccard FROM oracle_want WHERE md = %s', m.md),
         format('SELECT gid, a, b, shared, jaccard FROM got_pair WHERE md = %s', m.md))
  FROM (VALUES (1), (2), (5), (50), (1000000)) m(md);
SELECT pg_temp.check_pairs('linked_pairs just below and at the NAT''s degree = Python (variant 1: = the SQL self-join)',
         format('SELECT gid FROM lk_grid WHERE md IN (%1$s, %2$s) UNION ALL SELECT gid + 1000 FROM lk_grid WHERE md IN (%1$s, %2$s)', m.nat_degree - 1, m.nat_degree),
         format('SELECT gid, a, b, shared, jaccard FROM want_pair WHERE md IN (%1$s, %2$s)
                 UNION ALL SELECT gid + 1000, a, b, shared, jaccard FROM oracle_want WHERE md IN (%1$s, %2$s)', m.nat_degree - 1, m.nat_degree),
         format('SELECT gid, a, b, shared, jaccard FROM got_pair WHERE md IN (%1$s, %2$s)
                 UNION ALL SELECT gid + 1000, a, b, shared, jaccard FROM got_pair WHERE md IN (%1$s, %2$s)', m.nat_degree - 1, m.nat_degree))
  FROM lk_meta m;
SELECT pg_temp.check_rows('Python''s pair counts per grid point = linked_pairs'' row counts',
  $$SELECT g.k, g.n_pairs = coalesce(c.n, 0) AS pass, format('want %s, got %s', g.n_pairs, c.n) AS detail
      FROM grid g LEFT JOIN (SELECT gid, count(*) AS n FROM got_pair GROUP BY gid) c USING (gid)$$);

SELECT pg_temp.check_pairs('linked_pairs(rows_query) with the defaults (1, 1000, 0) = Python (no token has 1000 accounts)',
  'SELECT default_gid FROM lk_meta',
  'SELECT gid, a, b, shared, jaccard FROM want_pair WHERE gid = (SELECT default_gid FROM lk_meta)',
  $$SELECT (SELECT default_gid FROM lk_meta), p.* FROM sybil.linked_pairs('SELECT account, token FROM t85.lk_row') p$$);

-- components
CREATE VIEW cgrid AS
  SELECT cid, ms, md, mj, min_size, extra, n_rows,
         format('cid %s: min_shared %s, max_degree %s, min_jaccard %s, min_size %s', cid, ms, md, mj, min_size) AS k
    FROM lk_comp_grid;
CREATE VIEW want_comp AS
  SELECT c.k, e.node::text AS item, e.component || ' ' || e.size AS val, c.cid, c.min_size
    FROM cgrid c JOIN lk_comp_expect e USING (cid);
CREATE TABLE got_comp AS
  SELECT c.k, c.cid, c.min_size, x.node, x.node::text AS item, x.component || ' ' || x.component_size AS val
    FROM cgrid c,
         LATERAL sybil.linked_components('SELECT account, token FROM t85.lk_row', c.ms, c.md, c.mj, c.min_size) x;

SELECT pg_temp.check_sets(format('linked_components = networkx over Python''s links, max_degree %s, every min_shared and min_jaccard 0, 1/4, 1/2, 1 (min_size 2)', m.md),
         format('SELECT k FROM cgrid WHERE md = %s AND NOT extra', m.md),
         format('SELECT k, item, val FROM want_comp JOIN cgrid USING (k) WHERE cgrid.md = %s AND NOT cgrid.extra', m.md),
         format('SELECT k, item, val FROM got_comp JOIN cgrid USING (k) WHERE cgrid.md = %s AND NOT cgrid.extra', m.md))
  FROM (VALUES (1), (2), (5), (50), (1000000)) m(md);
SELECT pg_temp.check_sets('linked_components = networkx with min_size 1 (singletons: accounts whose tokens are all hubs), 3, 4, 10, 10^6, min_jaccard 1/3, 2/3, at the NAT''s degree',
  'SELECT k FROM cgrid WHERE extra',
  'SELECT k, item, val FROM want_comp JOIN cgrid USING (k) WHERE cgrid.extra',
  'SELECT k, item, val FROM got_comp JOIN cgrid USING (k) WHERE cgrid.extra');
SELECT pg_temp.check_sets('linked_components(rows_query) with the defaults (1, 1000, 0, 2) = networkx',
  $$SELECT 'defaults' AS k$$,
  $$SELECT 'defaults' AS k, item, val FROM want_comp w JOIN lk_meta m ON w.cid = m.default_cid$$,
  $$SELECT 'defaults', x.node::text, x.component || ' ' || x.component_size
      FROM sybil.linked_components('SELECT account, token FROM t85.lk_row') x$$);
SELECT ok(NOT EXISTS (SELECT 1 FROM got_comp, lk_meta m WHERE node IN (m.ghost, m.absent))
          AND EXISTS (SELECT 1 FROM got_comp WHERE min_size = 1),
          'an account whose rows all have a NULL token is no node of linked_components, even with min_size 1');

-- hubs
CREATE VIEW want_hub AS
  SELECT 'max_degree ' || md AS k, rank::text AS item, quote_literal(token) || ' ' || degree AS val, md
    FROM lk_hub_expect;
CREATE TABLE got_hub AS
  SELECT 'max_degree ' || h.md AS k, x.ord::text AS item, quote_literal(x.token) || ' ' || x.degree AS val, h.md
    FROM lk_hub_md h,
         LATERAL sybil.hub_tokens('SELECT account, token FROM t85.lk_row', h.md) WITH ORDINALITY x(token, degree, ord);
SELECT pg_temp.check_sets('hub_tokens = Python''s tokens of more than max_degree accounts, in order (degree desc, then bytes), max_degree 1, 2, 3, 5, 10, 50, 1000, 10^6 and around the NAT',
  'SELECT ''max_degree '' || md AS k FROM lk_hub_md',
  'SELECT k, item, val FROM want_hub',
  'SELECT k, item, val FROM got_hub');
SELECT pg_temp.check_sets('hub_tokens(rows_query) with the default max_degree 1000 = Python',
  $$SELECT 'defaults' AS k$$,
  $$SELECT 'defaults' AS k, item, val FROM want_hub WHERE md = 1000$$,
  $$SELECT 'defaults', x.ord::text, quote_literal(x.token) || ' ' || x.degree
      FROM sybil.hub_tokens('SELECT account, token FROM t85.lk_row') WITH ORDINALITY x(token, degree, ord)$$);

-- why_linked for a pair
CREATE TABLE got_why_pair AS
  SELECT q.qid, x.ord, x.token, x.degree, x.hub
    FROM lk_why_pair_q q,
         LATERAL sybil.why_linked('SELECT account, token FROM t85.lk_row', q.a, q.b, q.md) WITH ORDINALITY x(token, degree, hub, ord)
   WHERE NOT q.use_default
  UNION ALL
  SELECT q.qid, x.ord, x.token, x.degree, x.hub
    FROM lk_why_pair_q q,
         LATERAL sybil.why_linked('SELECT account, token FROM t85.lk_row', q.a, q.b) WITH ORDINALITY x(token, degree, hub, ord)
   WHERE q.use_default;
SELECT pg_temp.check_sets('why_linked(rows, a, b, max_degree) = Python: every shared token by bytes, its degree, hub flag (linked, random, hub-sharing, ring, reversed, absent, default pairs)',
  $$SELECT format('q%s %s (%s, %s, md %s)', qid, kind, a, b, md) AS k FROM lk_why_pair_q$$,
  $$SELECT format('q%s %s (%s, %s, md %s)', q.qid, q.kind, q.a, q.b, q.md) AS k, e.ord::text AS item,
           quote_literal(e.token) || ' ' || e.degree || ' ' || e.hub AS val
      FROM lk_why_pair_q q JOIN lk_why_pair_expect e USING (qid)$$,
  $$SELECT format('q%s %s (%s, %s, md %s)', q.qid, q.kind, q.a, q.b, q.md) AS k, x.ord::text AS item,
           quote_literal(x.token) || ' ' || x.degree || ' ' || x.hub AS val
      FROM lk_why_pair_q q JOIN got_why_pair x USING (qid)$$);

-- why_linked for a set of accounts
CREATE TABLE got_why_set AS
  SELECT s.sid, x.*
    FROM lk_why_set_q s,
         LATERAL sybil.why_linked('SELECT account, token FROM t85.lk_row', s.accounts, s.ms, s.md, s.mj) x
   WHERE NOT s.use_default
  UNION ALL
  SELECT s.sid, x.*
    FROM lk_why_set_q s, LATERAL sybil.why_linked('SELECT account, token FROM t85.lk_row', s.accounts) x
   WHERE s.use_default;
CREATE VIEW want_why_set AS
  SELECT format('s%s %s (min_shared %s, max_degree %s, min_jaccard %s)', q.sid, q.kind, q.ms, q.md, q.mj) AS k,
         e.a || ' ' || e.b AS item, e.shared || ' ' || e.jaccard || ' ' || e.tokens::text AS val, q.sid, q.kind
    FROM lk_why_set_q q JOIN lk_why_set_expect e USING (sid);
SELECT pg_temp.check_sets('why_linked(rows, accounts, ...) on every planted ring = Python: the links among the members, shared, jaccard, non-hub tokens by bytes',
  $$SELECT format('s%s %s (min_shared %s, max_degree %s, min_jaccard %s)', sid, kind, ms, md, mj) AS k
      FROM lk_why_set_q WHERE kind LIKE 'ring%'$$,
  $$SELECT k, item, val FROM want_why_set WHERE kind LIKE 'ring%'$$,
  $$SELECT format('s%s %s (min_shared %s, max_degree %s, min_jaccard %s)', q.sid, q.kind, q.ms, q.md, q.mj) AS k,
           x.account_a || ' ' || x.account_b, x.shared || ' ' || x.jaccard || ' ' || x.tokens::text
      FROM lk_why_set_q q JOIN got_why_set x USING (sid) WHERE q.kind LIKE 'ring%'$$);
SELECT pg_temp.check_sets('why_linked(rows, accounts, ...) on other sets (NAT accounts, random accounts, tokens ordered by bytes only, empty, one account, defaults) = Python',
  $$SELECT format('s%s %s (min_shared %s, max_degree %s, min_jaccard %s)', sid, kind, ms, md, mj) AS k
      FROM lk_why_set_q WHERE kind NOT LIKE 'ring%'$$,
  $$SELECT k, item, val FROM want_why_set WHERE kind NOT LIKE 'ring%'$$,
  $$SELECT format('s%s %s (min_shared %s, max_degree %s, min_jaccard %s)', q.sid, q.kind, q.ms, q.md, q.mj) AS k,
           x.account_a || ' ' || x.account_b, x.shared || ' ' || x.jaccard || ' ' || x.tokens::text
      FROM lk_why_set_q q JOIN got_why_set x USING (sid) WHERE q.kind NOT LIKE 'ring%'$$);

-- the corporate NAT: a hub links nobody
SELECT is((SELECT degree FROM sybil.hub_tokens('SELECT account, token FROM t85.lk_row', m.nat_degree - 1) WHERE token = m.nat),
          m.nat_degree::bigint,
          format('NAT: with max_degree %s (its degree - 1), hub_tokens lists it with its exact degree %s (NULL-account rows and repeats do not count)',
                 m.nat_degree - 1, m.nat_degree))
  FROM lk_meta m;
SELECT ok(NOT EXISTS (SELECT 1 FROM sybil.hub_tokens('SELECT account, token FROM t85.lk_row', m.nat_degree) WHERE token = m.nat),
          'NAT: with max_degree = its degree it is no hub')
  FROM lk_meta m;
SELECT ok(NOT EXISTS (SELECT 1 FROM sybil.linked_pairs('SELECT account, token FROM t85.lk_row', 1, m.nat_degree - 1) p
                       WHERE p.account_a = least(m.nat_a, m.nat_b) AND p.account_b = greatest(m.nat_a, m.nat_b)),
          format('NAT: two ordinary accounts (%s, %s) sharing only the NAT are not linked with max_degree %s',
                 least(m.nat_a, m.nat_b), greatest(m.nat_a, m.nat_b), m.nat_degree - 1))
  FROM lk_meta m;
SELECT results_eq(format($$SELECT account_a, account_b, shared, jaccard::text FROM sybil.linked_pairs('SELECT account, token FROM t85.lk_row', 1, %s)
                          WHERE account_a = %L AND account_b = %L$$, m.nat_degree, least(m.nat_a, m.nat_b), greatest(m.nat_a, m.nat_b)),
                  format($$VALUES (%L::bigint, %L::bigint, 1, %L::float8::text)$$, least(m.nat_a, m.nat_b), greatest(m.nat_a, m.nat_b), m.nat_jaccard),
                  'NAT: with max_degree = its degree, the two are linked: shared 1 and Python''s jaccard')
  FROM lk_meta m;
SELECT results_eq(format($$SELECT token, degree, hub FROM sybil.why_linked('SELECT account, token FROM t85.lk_row', %L::bigint, %L::bigint, %s)$$,
                         m.nat_a, m.nat_b, m.nat_degree - 1),
                  format($$VALUES (%L, %s::bigint, true)$$, m.nat, m.nat_degree),
                  'NAT: why_linked(a, b) shows the NAT as their only shared token, flagged as a hub, with its degree')
  FROM lk_meta m;
SELECT ok((SELECT count(DISTINCT component) = 3 AND bool_and(component_size = 1) FILTER (WHERE node = m.nat_c)
             FROM sybil.linked_components('SELECT account, token FROM t85.lk_row', 1, m.nat_degree - 1, 0, 1)
            WHERE node IN (m.nat_a, m.nat_b, m.nat_c))
          AND (SELECT count(DISTINCT component) = 1 AND count(*) = 3
                 FROM sybil.linked_components('SELECT account, token FROM t85.lk_row', 1, m.nat_degree, 0, 1)
                WHERE node IN (m.nat_a, m.nat_b, m.nat_c)),
          'NAT: linked_components keeps its users apart (the NAT-only account a singleton) below its degree, joins them at it')
  FROM lk_meta m;

-- the order of the rows does not matter; repeated rows count once
SELECT pg_temp.check_pairs('linked_pairs with the rows in random order (ORDER BY random()) = Python (variant 1: every row twice, variant 2: ORDER BY token DESC, account)',
  $$SELECT gid + v * 1000 FROM lk_grid, generate_series(0, 2) v
     WHERE (ms, md, mj) IN ((1, 1000000, 0), (2, 50, 0.25), (1, 5, 1/3::float8), (1, 2, 0))$$,
  $$SELECT gid + v * 1000, a, b, shared, jaccard FROM want_pair, generate_series(0, 2) v
     WHERE gid IN (SELECT gid FROM lk_grid WHERE (ms, md, mj) IN ((1, 1000000, 0), (2, 50, 0.25), (1, 5, 1/3::float8), (1, 2, 0)))$$,
  $$SELECT g.gid + v.v * 1000, p.*
      FROM lk_grid g,
           (VALUES (0, 'SELECT account, token FROM t85.lk_row ORDER BY random()'),
                   (1, 'SELECT * FROM (SELECT account, token FROM t85.lk_row UNION ALL SELECT account, token FROM t85.lk_row) r ORDER BY random()'),
                   (2, 'SELECT account, token FROM t85.lk_row ORDER BY token DESC, account')) v(v, q),
           LATERAL sybil.linked_pairs(v.q, g.ms, g.md, g.mj) p
     WHERE (g.ms, g.md, g.mj) IN ((1, 1000000, 0), (2, 50, 0.25), (1, 5, 1/3::float8), (1, 2, 0))$$);
SELECT pg_temp.check_sets('linked_components with the rows in random order = networkx',
  $$SELECT k FROM cgrid WHERE (ms, md, mj, min_size) IN ((1, 50, 0, 1), (2, 1000000, 0.25, 2), (1, 5, 0, 2))$$,
  $$SELECT k, item, val FROM want_comp WHERE k IN (SELECT k FROM cgrid WHERE (ms, md, mj, min_size) IN ((1, 50, 0, 1), (2, 1000000, 0.25, 2), (1, 5, 0, 2)))$$,
  $$SELECT c.k, x.node::text, x.component || ' ' || x.component_size
      FROM cgrid c, LATERAL sybil.linked_components('SELECT account, token FROM t85.lk_row ORDER BY random()', c.ms, c.md, c.mj, c.min_size) x
     WHERE (c.ms, c.md, c.mj, c.min_size) IN ((1, 50, 0, 1), (2, 1000000, 0.25, 2), (1, 5, 0, 2))$$);
SELECT pg_temp.check_sets('hub_tokens with the rows in random order = Python',
  $$SELECT 'max_degree ' || md AS k FROM lk_hub_md WHERE md IN (1, 5, 50)$$,
  $$SELECT k, item, val FROM want_hub WHERE md IN (1, 5, 50)$$,
  $$SELECT 'max_degree ' || h.md, x.ord::text, quote_literal(x.token) || ' ' || x.degree
      FROM lk_hub_md h, LATERAL sybil.hub_tokens('SELECT account, token FROM t85.lk_row ORDER BY random()', h.md)
                          WITH ORDINALITY x(token, degree, ord)
     WHERE h.md IN (1, 5, 50)$$);
SELECT pg_temp.check_sets('why_linked(rows, accounts) on the rings with the rows in random order = Python',
  $$SELECT format('s%s %s (min_shared %s, max_degree %s, min_jaccard %s)', sid, kind, ms, md, mj) AS k
      FROM lk_why_set_q WHERE kind LIKE 'ring%' AND NOT use_default$$,
  $$SELECT k, item, val FROM want_why_set WHERE kind LIKE 'ring%' AND sid IN (SELECT sid FROM lk_why_set_q WHERE NOT use_default)$$,
  $$SELECT format('s%s %s (min_shared %s, max_degree %s, min_jaccard %s)', q.sid, q.kind, q.ms, q.md, q.mj) AS k,
           x.account_a || ' ' || x.account_b, x.shared || ' ' || x.jaccard || ' ' || x.tokens::text
      FROM lk_why_set_q q,
           LATERAL sybil.why_linked('SELECT account, token FROM t85.lk_row ORDER BY random()', q.accounts, q.ms, q.md, q.mj) x
     WHERE q.kind LIKE 'ring%' AND NOT q.use_default$$);
SELECT pg_temp.check_sets('why_linked(rows, a, b, max_degree) with the rows in random order = Python',
  $$SELECT qid::text AS k FROM lk_why_pair_q WHERE NOT use_default AND qid % 3 = 0$$,
  $$SELECT q.qid::text AS k, e.ord::text AS item, quote_literal(e.token) || ' ' || e.degree || ' ' || e.hub AS val
      FROM lk_why_pair_q q JOIN lk_why_pair_expect e USING (qid) WHERE NOT q.use_default AND q.qid % 3 = 0$$,
  $$SELECT q.qid::text, x.ord::text, quote_literal(x.token) || ' ' || x.degree || ' ' || x.hub
      FROM lk_why_pair_q q,
           LATERAL sybil.why_linked('SELECT account, token FROM t85.lk_row ORDER BY random()', q.a, q.b, q.md)
                     WITH ORDINALITY x(token, degree, hub, ord)
     WHERE NOT q.use_default AND q.qid % 3 = 0$$);

-- tokens of other types, through their text output; accounts of every integer type
SELECT pg_temp.check_rows('fixture: Python''s text of each inet = PostgreSQL''s output',
  $$SELECT id, format('%s', ip) = ip_out AS pass, format('%s vs %s', ip, ip_out) AS detail
      FROM lk_typed WHERE ip IS NOT NULL$$);
CREATE VIEW want_typed AS
  SELECT format('tq%s %s (min_shared %s, max_degree %s, min_jaccard %s)', q.tq, q.kind, q.ms, q.md, q.mj) AS k,
         e.a || ' ' || e.b AS item, e.shared || ' ' || e.jaccard AS val, q.kind
    FROM lk_typed_q q JOIN lk_typed_expect e USING (tq);
SELECT pg_temp.check_sets(format('linked_pairs with inet tokens (text output: no /32 on hosts, IPv6 compressed) and %s accounts = Python', t.typ),
         $$SELECT format('tq%s %s (min_shared %s, max_degree %s, min_jaccard %s)', tq, kind, ms, md, mj) AS k FROM lk_typed_q WHERE kind = 'ip'$$,
         $$SELECT k, item, val FROM want_typed WHERE kind = 'ip'$$,
         format($$SELECT format('tq%%s %%s (min_shared %%s, max_degree %%s, min_jaccard %%s)', q.tq, q.kind, q.ms, q.md, q.mj),
                         p.account_a || ' ' || p.account_b, p.shared || ' ' || p.jaccard
                    FROM lk_typed_q q,
                         LATERAL sybil.linked_pairs('SELECT account::%s, ip FROM t85.lk_typed', q.ms, q.md, q.mj) p
                   WHERE q.kind = 'ip'$$, t.typ))
  FROM (VALUES ('smallint'), ('integer'), ('bigint')) t(typ);
SELECT pg_temp.check_sets('linked_pairs with int4 tokens and smallint accounts = Python',
  $$SELECT format('tq%s %s (min_shared %s, max_degree %s, min_jaccard %s)', tq, kind, ms, md, mj) AS k FROM lk_typed_q WHERE kind = 'n'$$,
  $$SELECT k, item, val FROM want_typed WHERE kind = 'n'$$,
  $$SELECT format('tq%s %s (min_shared %s, max_degree %s, min_jaccard %s)', q.tq, q.kind, q.ms, q.md, q.mj),
           p.account_a || ' ' || p.account_b, p.shared || ' ' || p.jaccard
      FROM lk_typed_q q, LATERAL sybil.linked_pairs('SELECT account::int2, n FROM t85.lk_typed ORDER BY random()', q.ms, q.md, q.mj) p
     WHERE q.kind = 'n'$$);
SELECT pg_temp.check_sets('hub_tokens with inet and int4 tokens = Python (their text output, degree desc then bytes)',
  $$SELECT DISTINCT kind || ' max_degree ' || md AS k FROM lk_typed_hub$$,
  $$SELECT kind || ' max_degree ' || md AS k, rank::text AS item, quote_literal(token) || ' ' || degree AS val FROM lk_typed_hub$$,
  $$SELECT 'ip max_degree ' || m.md, x.ord::text, quote_literal(x.token) || ' ' || x.degree
      FROM (VALUES (1), (3), (10)) m(md),
           LATERAL sybil.hub_tokens('SELECT account, ip FROM t85.lk_typed', m.md) WITH ORDINALITY x(token, degree, ord)
    UNION ALL
    SELECT 'n max_degree ' || m.md, x.ord::text, quote_literal(x.token) || ' ' || x.degree
      FROM (VALUES (1), (3), (10)) m(md),
           LATERAL sybil.hub_tokens('SELECT account, n FROM t85.lk_typed', m.md) WITH ORDINALITY x(token, degree, ord)$$);
SELECT pg_temp.check_rows('why_linked(rows, a, b) with inet and int4 tokens = Python (tokens as text output, by bytes)',
  $$SELECT format('%s (%s, %s, md %s)', w.kind, w.a, w.b, w.md),
           g.tokens IS NOT DISTINCT FROM w.tokens AND g.degrees IS NOT DISTINCT FROM w.degrees
             AND g.hubs IS NOT DISTINCT FROM w.hubs AS pass,
           format('want %s %s %s, got %s %s %s', w.tokens, w.degrees, w.hubs, g.tokens, g.degrees, g.hubs)
      FROM lk_typed_why w,
           LATERAL (SELECT coalesce(array_agg(x.token ORDER BY x.ord), '{}') AS tokens,
                           coalesce(array_agg(x.degree ORDER BY x.ord), '{}') AS degrees,
                           coalesce(array_agg(x.hub ORDER BY x.ord), '{}') AS hubs
                      FROM sybil.why_linked(CASE w.kind WHEN 'ip' THEN 'SELECT account, ip FROM t85.lk_typed'
                                                        ELSE 'SELECT account, n FROM t85.lk_typed' END,
                                            w.a, w.b, w.md) WITH ORDINALITY x(token, degree, hub, ord)) g$$);

SELECT * FROM finish();
ROLLBACK;
