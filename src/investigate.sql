-- Investigation helpers over the detection runs (src/detection_runs.sql):
-- who is linked to one account and why, one cluster's whole story as jsonb,
-- and a Graphviz DOT picture of a cluster.  They read the run tables and the
-- roll-ups (sybil.account_tokens) of the run's relation over the run's UTC
-- days, never the raw usage rows.  docs/investigation.md shows each one.

-- A DOT double-quoted string: line breaks become the label escape \n, other
-- control characters spaces, backslashes and quotes are escaped, and the
-- text is cut to max_chars characters (with an ellipsis) before escaping.
CREATE FUNCTION sybil.dot_quote(s pg_catalog.text, max_chars pg_catalog.int4 DEFAULT NULL)
RETURNS pg_catalog.text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $fn$
DECLARE
    t text := s;
BEGIN
    IF t IS NULL THEN
        RETURN '""';
    END IF;
    IF max_chars IS NOT NULL AND max_chars < 2 THEN
        RAISE EXCEPTION 'sybil.dot_quote: max_chars must be at least 2, not %', max_chars
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    t := regexp_replace(t, E'\\r\\n?', E'\n', 'g');
    t := regexp_replace(t, E'[\\x01-\\x09\\x0b-\\x1f\\x7f]', ' ', 'g');
    IF max_chars IS NOT NULL AND length(t) > max_chars THEN
        t := left(t, max_chars - 1) || E'\u2026';
    END IF;
    t := replace(t, E'\\', E'\\\\');
    t := replace(t, '"', E'\\"');
    t := replace(t, E'\n', E'\\n');
    RETURN '"' || t || '"';
END
$fn$;
COMMENT ON FUNCTION sybil.dot_quote(pg_catalog.text, pg_catalog.int4) IS
    'A Graphviz DOT double-quoted string of a text: backslashes and quotes escaped, line breaks as \n, other control characters as spaces, cut to max_chars characters (with an ellipsis) when given; "" for NULL';


-- The names of the strongest signals of a jsonb object name -> strength:
-- the strongest one, and every other at 0.5 or more, strongest first.
CREATE FUNCTION sybil.strongest_signals(signals pg_catalog.jsonb) RETURNS pg_catalog.text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $fn$
    SELECT coalesce(array_agg(s.key ORDER BY s.strength DESC, s.key), '{}')
    FROM (SELECT e.key, e.value::text::float8 AS strength, max(e.value::text::float8) OVER () AS top
          FROM jsonb_each(CASE WHEN jsonb_typeof(signals) = 'object' THEN signals ELSE '{}' END) e
          WHERE jsonb_typeof(e.value) = 'number') s
    WHERE s.strength >= 0.5 OR (s.strength = s.top AND s.top > 0)
$fn$;
COMMENT ON FUNCTION sybil.strongest_signals(pg_catalog.jsonb) IS
    'The names in a jsonb object of signal strengths (such as sybil.clusters.signals->''links'') that count: the strongest (when above 0) and every other of at least 0.5, strongest first';

-- The run an investigation reads, checked: its relations, UTC days and settings.
CREATE FUNCTION sybil.investigated_run(caller pg_catalog.text, run pg_catalog.int8,
                                       OUT run_id pg_catalog.int8, OUT relation pg_catalog.regclass,
                                       OUT accounts pg_catalog.regclass,
                                       OUT from_day pg_catalog.date, OUT to_day pg_catalog.date,
                                       OUT max_token_accounts pg_catalog.int8,
                                       OUT score_threshold pg_catalog.float8)
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $fn$
BEGIN
    IF run IS NULL THEN
        RAISE EXCEPTION '%: run_id must not be NULL', caller USING ERRCODE = 'null_value_not_allowed';
    END IF;
    SELECT r.run_id, r.relation, r.accounts, (r.window_start AT TIME ZONE 'UTC')::date,
           ((r.window_end - interval '1 microsecond') AT TIME ZONE 'UTC')::date,
           (r.settings->>'max_token_accounts')::float8::int8, (r.settings->>'score_threshold')::float8
    INTO run_id, relation, accounts, from_day, to_day, max_token_accounts, score_threshold
    FROM sybil.runs r WHERE r.run_id = run;
    IF NOT FOUND THEN
        RAISE EXCEPTION '%: run % does not exist', caller, run
            USING ERRCODE = 'undefined_object', HINT = 'The runs are in sybil.runs and sybil.detection_summary.';
    END IF;
END
$fn$;
COMMENT ON FUNCTION sybil.investigated_run(pg_catalog.text, pg_catalog.int8) IS
    'The run an investigation helper (named by caller, for the error messages) reads: its run_id, usage and accounts relations, first and last UTC day, max_token_accounts and score_threshold; an error when it does not exist';

-- The attributes (tokens) a run linked accounts by: those of sybil.account_tokens
-- used in the run's days, and those of its accounts relation (payment,
-- signup_ip, email_domain, signup_time, derived as sybil.detect does), read
-- with the caller's rights.  Either of the accounts in account_ids, or the
-- holders of the (kinds[i], tokens[i]) pairs, at most max_holders + 1 of
-- each (all when NULL).
CREATE FUNCTION sybil.run_tokens(run_id pg_catalog.int8, account_ids pg_catalog.int8[],
                                 kinds pg_catalog.text[] DEFAULT NULL, tokens pg_catalog.text[] DEFAULT NULL,
                                 max_holders pg_catalog.int8 DEFAULT NULL)
RETURNS TABLE (account_id pg_catalog.int8, kind pg_catalog.text, token pg_catalog.text, example pg_catalog.text)
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $fn$
#variable_conflict use_column
DECLARE
    run record;
    scans text;
BEGIN
    run := sybil.investigated_run('sybil.run_tokens', run_tokens.run_id);
    IF (account_ids IS NULL) = (kinds IS NULL) OR cardinality(kinds) IS DISTINCT FROM cardinality(tokens) THEN
        RAISE EXCEPTION 'sybil.run_tokens: give either account_ids or kinds and tokens of the same length'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF account_ids IS NOT NULL THEN
        RETURN QUERY
        SELECT t.account_id, t.kind, t.token, t.example FROM sybil.account_tokens t
        WHERE t.relation = run.relation AND t.account_id = ANY (account_ids)
          AND t.last_day >= run.from_day AND t.first_day <= run.to_day;
    ELSE
        RETURN QUERY
        SELECT h.account_id, h.kind, h.token, h.example
        FROM (SELECT DISTINCT p.kind, p.token FROM unnest(kinds, tokens) p(kind, token)) p
        CROSS JOIN LATERAL (
            SELECT t.account_id, t.kind, t.token, t.example FROM sybil.account_tokens t
            WHERE t.relation = run.relation AND t.kind = p.kind AND t.token = p.token
              AND t.last_day >= run.from_day AND t.first_day <= run.to_day
            ORDER BY t.account_id LIMIT max_holders + 1) h;
    END IF;

    IF run.accounts IS NULL OR NOT EXISTS (SELECT FROM pg_class c WHERE c.oid = run.accounts) THEN
        RETURN;
    END IF;
    -- One scan per kind asked for, filtered on the column (to_char of a
    -- sign-up time is not cheap: a sign-up time token is the start of a
    -- ten-minute bin in the session's time zone, compared an hour either way
    -- for daylight saving changes before the exact test).
    SELECT string_agg(format('SELECT a.account_id::int8, %L::text, %s FROM %s a WHERE a.account_id IS NOT NULL AND (%s)',
                             e.kind, e.expr, run.accounts,
                             CASE WHEN kinds IS NULL THEN 'a.account_id = ANY ($1)'
                                  WHEN e.kind = 'signup_time' THEN
                                      format('date_bin(''10 minutes'', a.created_at, ''2000-01-01'') = ANY (%L::timestamptz[])',
                                             (SELECT array_agg(to_timestamp(p.token, 'YYYY-MM-DD HH24:MI') + d.shift)
                                              FROM unnest(kinds, tokens) p(kind, token),
                                                   (VALUES (interval '0'), (interval '1 hour'), (interval '-1 hour')) d(shift)
                                              WHERE p.kind = 'signup_time' AND p.token ~ '^\d{4}-\d\d-\d\d \d\d:\d\d$'))
                                  ELSE format('%s = ANY (%L::text[])', e.expr,
                                              (SELECT array_agg(p.token) FROM unnest(kinds, tokens) p(kind, token)
                                               WHERE p.kind = e.kind)) END),
                      E'\n            UNION ALL ')
    INTO scans
    FROM sybil.account_token_expressions(run.accounts) e
    WHERE kinds IS NULL OR e.kind = ANY (kinds);
    IF scans IS NULL THEN
        RETURN;
    END IF;
    -- Holders counted first (a hash aggregate), then listed: all of the
    -- tokens within max_holders, max_holders + 1 of the others.
    RETURN QUERY EXECUTE format($q$
        WITH r AS MATERIALIZED (
            SELECT r.account_id, r.kind, r.token
            FROM (%s) r(account_id, kind, token)
            WHERE r.token IS NOT NULL AND ($2 IS NULL OR (r.kind, r.token) IN (SELECT * FROM unnest($2, $3)))
        ), c AS (
            SELECT r.kind, r.token, count(*) AS n FROM r GROUP BY 1, 2
        )
        SELECT DISTINCT r.account_id, r.kind, r.token, NULL::text
        FROM r WHERE (r.kind, r.token) IN (SELECT c.kind, c.token FROM c WHERE $4 IS NULL OR c.n <= $4 + 1)
        UNION ALL
        SELECT h.account_id, c.kind, c.token, NULL::text
        FROM c CROSS JOIN LATERAL (SELECT r.account_id FROM r WHERE r.kind = c.kind AND r.token = c.token
                                   LIMIT $4 + 1) h
        WHERE c.n > $4 + 1
        $q$, scans)
    USING account_ids, kinds, tokens, max_holders;
END
$fn$;
COMMENT ON FUNCTION sybil.run_tokens(pg_catalog.int8, pg_catalog.int8[], pg_catalog.text[], pg_catalog.text[], pg_catalog.int8) IS
    'The attributes a run links accounts by: sybil.account_tokens rows of the run''s relation used in its days, and the payment, signup_ip, email_domain and signup_time of its accounts relation (read with the caller''s rights); of the accounts in account_ids, or the holders of the (kinds[i], tokens[i]) pairs, at most max_holders + 1 each';

CREATE FUNCTION sybil.linked_accounts(account_id pg_catalog.int8, run_id pg_catalog.int8 DEFAULT NULL,
                                      max_accounts pg_catalog.int4 DEFAULT 50)
RETURNS TABLE (linked_account pg_catalog.int8, shared pg_catalog.int4, tokens pg_catalog.jsonb,
               jaccard pg_catalog.float8, same_cluster pg_catalog.bool, cluster_id pg_catalog.int4,
               score pg_catalog.float8, flagged pg_catalog.bool, hub_tokens pg_catalog.jsonb)
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $fn$
#variable_conflict use_column
DECLARE
    me constant bigint := linked_accounts.account_id;
    run record;
    cap bigint;
    my_cluster int;
    my_kinds text[];
    my_tokens text[];
    held_accounts bigint[];
    held_kinds text[];
    held_tokens text[];
    held_holders bigint[];
    my_linking bigint;
    hubs jsonb;
BEGIN
    IF me IS NULL THEN
        RAISE EXCEPTION 'sybil.linked_accounts: account_id must not be NULL' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF max_accounts IS NULL OR max_accounts < 1 THEN
        RAISE EXCEPTION 'sybil.linked_accounts: max_accounts must be at least 1, not %', coalesce(max_accounts::text, 'NULL')
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF linked_accounts.run_id IS NULL THEN
        -- the latest run of a relation whose roll-ups know the account, else the latest run
        SELECT r.run_id INTO linked_accounts.run_id
        FROM sybil.runs r
        ORDER BY EXISTS (SELECT FROM sybil.account_tokens t WHERE t.relation = r.relation AND t.account_id = me) DESC,
                 r.run_id DESC
        LIMIT 1;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'sybil.linked_accounts: there is no run yet'
                USING ERRCODE = 'undefined_object', HINT = 'sybil.detect writes the runs.';
        END IF;
    END IF;
    run := sybil.investigated_run('sybil.linked_accounts', linked_accounts.run_id);
    cap := run.max_token_accounts;
    SELECT m.cluster_id INTO my_cluster FROM sybil.cluster_members m WHERE m.run_id = run.run_id AND m.account_id = me;

    -- The account's tokens, and their holders (up to the hub cap plus one).
    SELECT array_agg(d.kind ORDER BY d.kind, d.token), array_agg(d.token ORDER BY d.kind, d.token)
    INTO my_kinds, my_tokens
    FROM (SELECT DISTINCT t.kind, t.token FROM sybil.run_tokens(run.run_id, ARRAY[me]) t) d;
    IF my_kinds IS NULL THEN
        RAISE NOTICE 'sybil.linked_accounts: account % has no attributes in run % (% over % .. %)',
            me, run.run_id, run.relation, run.from_day, run.to_day;
        RETURN;
    END IF;
    SELECT array_agg(h.account_id), array_agg(h.kind), array_agg(h.token), array_agg(h.holders)
    INTO held_accounts, held_kinds, held_tokens, held_holders
    FROM (SELECT t.account_id, t.kind, t.token, count(*) OVER (PARTITION BY t.kind, t.token) AS holders
          FROM sybil.run_tokens(run.run_id, NULL, my_kinds, my_tokens, cap) t) h;
    SELECT count(*) FILTER (WHERE h.holders BETWEEN 2 AND cap) INTO my_linking
    FROM (SELECT DISTINCT h.kind, h.token, h.holders
          FROM unnest(held_kinds, held_tokens, held_holders) h(kind, token, holders)) h;
    SELECT jsonb_object_agg(k.kind, k.tokens) INTO hubs
    FROM (SELECT h.kind, jsonb_agg(h.token ORDER BY h.token) AS tokens
          FROM (SELECT DISTINCT h.kind, h.token FROM unnest(held_kinds, held_tokens, held_holders) h(kind, token, holders)
                WHERE h.holders > cap) h
          GROUP BY h.kind) k;
    IF hubs IS NOT NULL THEN
        RAISE NOTICE 'sybil.linked_accounts: left out the hub tokens of account % (more than % accounts each): %',
            me, cap, hubs;
    END IF;

    RETURN QUERY
    WITH held AS (
        SELECT h.account_id, h.kind, h.token, h.holders
        FROM unnest(held_accounts, held_kinds, held_tokens, held_holders) h(account_id, kind, token, holders)
    ), links AS (
        SELECT h.account_id AS other, h.kind, h.token FROM held h
        WHERE h.holders BETWEEN 2 AND cap AND h.account_id <> me
    ), top AS (
        SELECT l.other, count(*)::int4 AS shared FROM links l
        GROUP BY l.other ORDER BY count(*) DESC, l.other LIMIT max_accounts
    ), theirs AS (
        SELECT DISTINCT t.account_id, t.kind, t.token
        FROM sybil.run_tokens(run.run_id, coalesce((SELECT array_agg(top.other) FROM top), '{}')) t
    ), distinct_theirs AS (
        SELECT array_agg(d.kind ORDER BY d.kind, d.token) AS kinds, array_agg(d.token ORDER BY d.kind, d.token) AS tokens
        FROM (SELECT DISTINCT t.kind, t.token FROM theirs t) d
    ), degrees AS (
        SELECT t.kind, t.token, count(*) AS holders
        FROM distinct_theirs d, sybil.run_tokens(run.run_id, NULL, coalesce(d.kinds, '{}'), coalesce(d.tokens, '{}'), cap) t
        GROUP BY t.kind, t.token
    ), linking AS (
        -- each listed account's tokens that can link: 2 .. max_token_accounts holders
        SELECT t.account_id, count(*) FILTER (WHERE d.holders BETWEEN 2 AND cap) AS tokens
        FROM theirs t JOIN degrees d ON d.kind = t.kind AND d.token = t.token
        GROUP BY t.account_id
    )
    SELECT top.other, top.shared,
           (SELECT jsonb_object_agg(k.kind, k.tokens)
            FROM (SELECT l.kind, jsonb_agg(l.token ORDER BY l.token) AS tokens FROM links l
                  WHERE l.other = top.other GROUP BY l.kind) k),
           top.shared::float8 / (my_linking + n.tokens - top.shared),
           my_cluster IS NOT NULL AND cm.cluster_id IS NOT DISTINCT FROM my_cluster,
           cm.cluster_id, cm.score, coalesce(cm.flagged, false),
           -- the hubs of the account that this one has too
           (SELECT jsonb_object_agg(k.kind, k.tokens)
            FROM (SELECT t.kind, jsonb_agg(t.token ORDER BY t.token) AS tokens
                  FROM theirs t JOIN degrees d ON d.kind = t.kind AND d.token = t.token AND d.holders > cap
                  WHERE t.account_id = top.other
                    AND (t.kind, t.token) IN (SELECT * FROM unnest(my_kinds, my_tokens))
                  GROUP BY t.kind) k)
    FROM top
    JOIN linking n ON n.account_id = top.other
    LEFT JOIN sybil.cluster_members cm ON cm.run_id = run.run_id AND cm.account_id = top.other
    ORDER BY top.shared DESC, 4 DESC, top.other;
END
$fn$;
COMMENT ON FUNCTION sybil.linked_accounts(pg_catalog.int8, pg_catalog.int8, pg_catalog.int4) IS
    'Who is linked to an account and why, in a run (by default the latest run of a relation that knows the account): the accounts sharing its attributes (sybil.run_tokens: usage attributes of the run''s days, and the accounts relation''s), at most max_accounts, most shared first, each with the shared tokens by kind, their number, the Jaccard of the two accounts'' linking token sets, its cluster, score and flag in the run, and the hub tokens (more holders than the run''s max_token_accounts, left out of the counts) the two also share';

CREATE FUNCTION sybil.cluster_report(run_id pg_catalog.int8, cluster_id pg_catalog.int4)
RETURNS pg_catalog.jsonb
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $fn$
DECLARE
    run record;
    report jsonb;
    max_members constant int := 100;
BEGIN
    run := sybil.investigated_run('sybil.cluster_report', cluster_report.run_id);
    SELECT jsonb_build_object(
               'run_id', r.run_id, 'cluster_id', c.cluster_id, 'relation', r.relation::text,
               'window', jsonb_build_object('start', r.window_start, 'end', r.window_end, 'first_day', run.from_day,
                                            'last_day', run.to_day),
               'finished_at', r.finished_at, 'score', round(c.score::numeric, 3), 'flagged', c.flagged,
               'size', c.size, 'signals', c.signals,
               'strongest_signals', jsonb_build_object(
                   'links', to_jsonb(sybil.strongest_signals(c.signals->'links')),
                   'behaviours', to_jsonb(sybil.strongest_signals(c.signals->'behaviours'))),
               'member_count', (SELECT count(*) FROM sybil.cluster_members m
                                WHERE m.run_id = c.run_id AND m.cluster_id = c.cluster_id),
               'flagged_members', (SELECT count(*) FROM sybil.cluster_members m
                                   WHERE m.run_id = c.run_id AND m.cluster_id = c.cluster_id AND m.flagged),
               'members', coalesce((SELECT jsonb_agg(jsonb_build_object('account_id', m.account_id,
                                                         'score', round(m.score::numeric, 3), 'flagged', m.flagged)
                                                     || m.features ORDER BY m.score DESC, m.account_id)
                                    FROM (SELECT * FROM sybil.cluster_members m
                                          WHERE m.run_id = c.run_id AND m.cluster_id = c.cluster_id
                                          ORDER BY m.score DESC, m.account_id LIMIT max_members) m), '[]'),
               'evidence', coalesce((SELECT jsonb_object_agg(e.kind, e.detail) FROM sybil.cluster_evidence e
                                     WHERE e.run_id = c.run_id AND e.cluster_id = c.cluster_id), '{}'))
    INTO report
    FROM sybil.runs r JOIN sybil.clusters c ON c.run_id = r.run_id
    WHERE r.run_id = run.run_id AND c.cluster_id = cluster_report.cluster_id;
    IF report IS NULL THEN
        RAISE EXCEPTION 'sybil.cluster_report: run % has no cluster %', run.run_id, coalesce(cluster_report.cluster_id::text, 'NULL')
            USING ERRCODE = 'undefined_object', HINT = 'The run''s clusters are in sybil.clusters and sybil.top_clusters.';
    END IF;
    report := report || jsonb_build_object('members_shown', jsonb_array_length(report->'members'));
    IF report->'evidence' = '{}' THEN
        report := report || jsonb_build_object('evidence_note',
            format('the run writes evidence for the clusters scoring at least half its score_threshold, %s',
                   run.score_threshold / 2));
    END IF;
    RETURN report;
END
$fn$;
COMMENT ON FUNCTION sybil.cluster_report(pg_catalog.int8, pg_catalog.int4) IS
    'One cluster of a run as jsonb for an analyst: run, window, score, flag, size, every signal and the strongest ones, the member count, the top 100 members by score with their flags and features, and every kind of evidence (shared attributes, templates, timeline, topics, sign-up)';

CREATE FUNCTION sybil.cluster_dot(run_id pg_catalog.int8, cluster_id pg_catalog.int4,
                                  max_nodes pg_catalog.int4 DEFAULT 200)
RETURNS pg_catalog.text
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $fn$
DECLARE
    run record;
    c record;
    dot text;
BEGIN
    run := sybil.investigated_run('sybil.cluster_dot', cluster_dot.run_id);
    IF max_nodes IS NULL OR max_nodes < 2 THEN
        RAISE EXCEPTION 'sybil.cluster_dot: max_nodes must be at least 2, not %', coalesce(max_nodes::text, 'NULL')
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    SELECT k.cluster_id, k.size, k.score, k.flagged INTO c
    FROM sybil.clusters k WHERE k.run_id = run.run_id AND k.cluster_id = cluster_dot.cluster_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'sybil.cluster_dot: run % has no cluster %', run.run_id, coalesce(cluster_dot.cluster_id::text, 'NULL')
            USING ERRCODE = 'undefined_object', HINT = 'The run''s clusters are in sybil.clusters and sybil.top_clusters.';
    END IF;

    WITH member AS (
        SELECT m.account_id, m.score, m.flagged, m.features->'flags' AS flags,
               row_number() OVER (ORDER BY m.score DESC, m.account_id) AS n
        FROM sybil.cluster_members m WHERE m.run_id = run.run_id AND m.cluster_id = c.cluster_id
    ), tok AS (
        -- the members' tokens (sybil.run_tokens)
        SELECT DISTINCT t.account_id, t.kind, t.token, t.example
        FROM sybil.run_tokens(run.run_id, coalesce((SELECT array_agg(m.account_id) FROM member m), '{}')) t
    ), candidates AS (
        -- those two members or more have: the cluster's attributes, but hubs
        SELECT t.kind, t.token, min(t.example) AS example FROM tok t GROUP BY 1, 2 HAVING count(*) >= 2
    ), shared AS (
        SELECT s.kind, s.token, s.example, coalesce(d.holders, 0) > run.max_token_accounts AS hub
        FROM candidates s
        LEFT JOIN (SELECT t.kind, t.token, count(*) AS holders
                   FROM (SELECT array_agg(s.kind ORDER BY s.kind, s.token) AS kinds,
                                array_agg(s.token ORDER BY s.kind, s.token) AS tokens FROM candidates s) s,
                        sybil.run_tokens(run.run_id, NULL, coalesce(s.kinds, '{}'), coalesce(s.tokens, '{}'), run.max_token_accounts) t
                   GROUP BY t.kind, t.token) d ON d.kind = s.kind AND d.token = s.token
    ), budget AS (
        -- the accounts by score, leaving the attributes half the nodes or all they need
        SELECT least(c.size, max_nodes - least(count(*) FILTER (WHERE NOT s.hub), max_nodes / 2)) AS accounts,
               count(*) FILTER (WHERE NOT s.hub) AS tokens, count(*) FILTER (WHERE s.hub) AS hubs
        FROM shared s
    ), acc AS (
        SELECT m.* FROM member m, budget b WHERE m.n <= b.accounts
    ), node AS (
        -- then the attributes most of the shown accounts have
        SELECT s.kind, s.token, s.example, k.members,
               row_number() OVER (ORDER BY k.members DESC, s.kind, s.token) AS n
        FROM shared s
        JOIN (SELECT t.kind, t.token, count(*) AS members FROM tok t JOIN acc a ON a.account_id = t.account_id
              GROUP BY 1, 2 HAVING count(*) >= 2) k ON k.kind = s.kind AND k.token = s.token
        WHERE NOT s.hub
    ), tnode AS (
        SELECT t.* FROM node t WHERE t.n <= max_nodes - (SELECT count(*) FROM acc)
    ), shown AS (
        SELECT (SELECT count(*) FROM acc) AS accounts, (SELECT count(*) FROM tnode) AS tokens
    ), title AS (
        SELECT format('run %s, cluster %s: %s accounts, score %s%s', run.run_id, c.cluster_id, c.size,
                      round(c.score::numeric, 3), CASE WHEN c.flagged THEN ', flagged' ELSE '' END)
               || CASE WHEN w.accounts < c.size OR w.tokens < b.tokens
                       THEN format(E'\nshowing %s of the %s accounts and %s of the %s shared attributes',
                                   w.accounts, c.size, w.tokens, b.tokens) ELSE '' END
               || CASE WHEN b.hubs > 0
                       THEN format(E'\n%s hub attribute(s) of more than %s accounts left out', b.hubs, run.max_token_accounts)
                       ELSE '' END AS text
        FROM budget b, shown w
    ), line AS (
        SELECT 0 AS part, 0::int8 AS n,
               format('graph %s {', sybil.dot_quote(format('sybil_run_%s_cluster_%s', run.run_id, c.cluster_id))) AS text
        UNION ALL
        SELECT 1, 0, format('  graph [label=%s, labelloc=t, fontname="Helvetica", layout=neato, overlap=false, '
                            'outputorder=edgesfirst];', sybil.dot_quote(title.text))
        FROM title
        UNION ALL
        SELECT 2, 0, '  node [fontname="Helvetica", fontsize=10, style=filled];'
        UNION ALL
        SELECT 3, 0, '  edge [color="#7f7f7f80"];'
        UNION ALL
        SELECT 4, a.n,
               format('  "a%s" [label=%s, shape=ellipse, %s, tooltip=%s];', a.account_id,
                      sybil.dot_quote(format(E'%s\n%s', a.account_id, round(a.score::numeric, 2))),
                      CASE WHEN a.flagged THEN 'fillcolor="#f4a3a3", color="#b22222", penwidth=2'
                           ELSE 'fillcolor="#ffffff", color="#555555"' END,
                      sybil.dot_quote(format('account %s, score %s%s, flags: %s', a.account_id, round(a.score::numeric, 3),
                                             CASE WHEN a.flagged THEN ', flagged' ELSE '' END,
                                             coalesce((SELECT string_agg(f, ', ') FROM jsonb_array_elements_text(a.flags) f),
                                                      'none'))))
        FROM acc a
        UNION ALL
        SELECT 5, t.n,
               format('  "t%s" [label=%s, %s, tooltip=%s];', t.n,
                      sybil.dot_quote(t.kind || E'\n' || coalesce(CASE WHEN t.kind = 'opening' THEN t.example END, t.token),
                                      length(t.kind) + 25),
                      CASE t.kind WHEN 'ip' THEN 'shape=box, fillcolor="#cfe2f3"'
                                  WHEN 'subnet' THEN 'shape=box3d, fillcolor="#9fc5e8"'
                                  WHEN 'device' THEN 'shape=hexagon, fillcolor="#d9ead3"'
                                  WHEN 'user_agent' THEN 'shape=note, fillcolor="#fff2cc"'
                                  WHEN 'opening' THEN 'shape=parallelogram, fillcolor="#e6d7f2"'
                                  WHEN 'payment' THEN 'shape=house, fillcolor="#f9cb9c"'
                                  WHEN 'email_domain' THEN 'shape=invhouse, fillcolor="#fce5cd"'
                                  WHEN 'signup_ip' THEN 'shape=box, fillcolor="#d0e0e3"'
                                  WHEN 'signup_time' THEN 'shape=octagon, fillcolor="#f4cccc"'
                                  ELSE 'shape=diamond, fillcolor="#eeeeee"' END,
                      sybil.dot_quote(format('%s %s%s, shared by %s of the accounts shown', t.kind, t.token,
                                             CASE WHEN t.kind = 'opening' THEN ' (' || t.example || ')' ELSE '' END,
                                             t.members), 300))
        FROM tnode t
        UNION ALL
        SELECT 6, row_number() OVER (ORDER BY a.n, t.n), format('  "a%s" -- "t%s";', a.account_id, t.n)
        FROM tnode t
        JOIN tok x ON x.kind = t.kind AND x.token = t.token
        JOIN acc a ON a.account_id = x.account_id
        UNION ALL
        SELECT 7, 0, '}'
    )
    SELECT string_agg(l.text, E'\n' ORDER BY l.part, l.n) || E'\n' INTO dot FROM line l;
    RETURN dot;
END
$fn$;
COMMENT ON FUNCTION sybil.cluster_dot(pg_catalog.int8, pg_catalog.int4, pg_catalog.int4) IS
    'A Graphviz DOT graph of a run''s cluster: its accounts (labelled with id and score, flagged ones red) and the attributes two or more of them have (sybil.run_tokens: usage attributes of the run''s days and the accounts relation''s, hubs left out; shaped by kind), an edge from each account to each of its attributes; at most max_nodes nodes, the accounts by score first';
