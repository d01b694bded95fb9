-- sybil.detect: one call from a usage relation to scored, explained
-- clusters written as a run (src/detection_runs.sql).  The stages share
-- temporary tables (sybil_detect_*), dropped at the end; docs/detection.md
-- explains the signals and the score.

CREATE FUNCTION sybil.detect_settings(settings pg_catalog.jsonb) RETURNS pg_catalog.jsonb
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $fn$
DECLARE
    defaults constant jsonb := '{"link_threshold": 0.5, "signature_size": 64, "max_token_accounts": 1000,
        "resolution": 1.0, "seed": 0, "min_cluster_size": 5, "score_threshold": 0.5,
        "outlier_z": 2, "min_member_fit": 0.5,
        "dense_blocks": 20, "min_block_density": 3, "rare_token_accounts": 30, "core_share": 0.2}';
    unknown text;
BEGIN
    IF settings IS NULL OR jsonb_typeof(settings) <> 'object' THEN
        RAISE EXCEPTION 'sybil.detect: settings must be a jsonb object' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    SELECT string_agg(k, ', ') INTO unknown FROM jsonb_object_keys(settings) k WHERE NOT defaults ? k;
    IF unknown IS NOT NULL THEN
        RAISE EXCEPTION 'sybil.detect: unknown setting(s) %', unknown
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = format('The settings are %s.', (SELECT string_agg(k, ', ') FROM jsonb_object_keys(defaults) k));
    END IF;
    IF EXISTS (SELECT FROM jsonb_each(settings) e WHERE jsonb_typeof(e.value) <> 'number') THEN
        RAISE EXCEPTION 'sybil.detect: every setting is a number' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    settings := defaults || settings;
    IF (settings->>'link_threshold')::float8 NOT BETWEEN 0.05 AND 1
       OR (settings->>'outlier_z')::float8 NOT BETWEEN 0.5 AND 10
       OR (settings->>'score_threshold')::float8 NOT BETWEEN 0 AND 1
       OR (settings->>'min_member_fit')::float8 NOT BETWEEN 0 AND 1
       OR (settings->>'min_cluster_size')::float8 < 2
       OR (settings->>'max_token_accounts')::float8 < 2
       OR (settings->>'rare_token_accounts')::float8 NOT BETWEEN 1 AND 1000
       OR (settings->>'core_share')::float8 NOT BETWEEN 0 AND 1
       OR (settings->>'signature_size')::float8 NOT BETWEEN 16 AND 1024 THEN
        RAISE EXCEPTION 'sybil.detect: a setting is out of range: %', settings
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'link_threshold 0.05..1, outlier_z 0.5..10, score_threshold and min_member_fit 0..1, min_cluster_size >= 2, max_token_accounts >= 2, rare_token_accounts 1..1000, core_share 0..1, signature_size 16..1024.';
    END IF;
    RETURN settings;
END
$fn$;
COMMENT ON FUNCTION sybil.detect_settings(pg_catalog.jsonb) IS
    'The settings of sybil.detect with the defaults filled in, checked (unknown names and values out of range are errors)';

-- The behaviour traits of an account, each measured by a robust z-score
-- against the population; an account raises a trait (a flag) past
-- outlier_z.  The order is that of sybil_detect_features.z.
-- The small functions over traits and z-scores run for every account:
-- their SQL bodies are bound when created, so they need no SET search_path,
-- which would keep the planner from inlining them.
CREATE FUNCTION sybil.detect_traits() RETURNS pg_catalog.text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN ARRAY['high_volume', 'heavy_output', 'flat_profile', 'rotating_exits', 'regular_cadence',
             'narrow_topics', 'divergent_topics', 'model_pivot'];
COMMENT ON FUNCTION sybil.detect_traits() IS
    'The behaviour traits sybil.detect measures for each account, in the order of their z-scores: high_volume, heavy_output, flat_profile, rotating_exits, regular_cadence, narrow_topics, divergent_topics, model_pivot';

CREATE FUNCTION sybil.robust_z(x pg_catalog.float8, quartiles pg_catalog.float8[]) RETURNS pg_catalog.float8
LANGUAGE sql IMMUTABLE PARALLEL SAFE
-- the interquartile range of a normal distribution is 1.349 standard
-- deviations; a population without spread makes any difference extreme
RETURN CASE WHEN x = quartiles[2] THEN 0
            WHEN quartiles[3] > quartiles[1] THEN (x - quartiles[2]) / ((quartiles[3] - quartiles[1]) / 1.349)
            ELSE sign(x - quartiles[2]) * 'Infinity'::float8 END;
COMMENT ON FUNCTION sybil.robust_z(pg_catalog.float8, pg_catalog.float8[]) IS
    'Robust z-score of x against a population given by its quartiles {q1, median, q3}: (x - median) / (IQR / 1.349), infinite when the population has no spread';

CREATE FUNCTION sybil.detect_raised(z pg_catalog.float8[], above pg_catalog.float8) RETURNS pg_catalog.text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN ARRAY(SELECT t.name FROM unnest(sybil.detect_traits(), z) WITH ORDINALITY t(name, z, i)
             WHERE t.z > above ORDER BY t.i);
COMMENT ON FUNCTION sybil.detect_raised(pg_catalog.float8[], pg_catalog.float8) IS
    'The traits (sybil.detect_traits) whose z-score in z is above the given value';

CREATE FUNCTION sybil.detect_trait_strength(trait pg_catalog.text, raised_share pg_catalog.float8,
                                           median_z pg_catalog.float8, measured pg_catalog.int8,
                                           outlier_z pg_catalog.float8)
    RETURNS pg_catalog.float8
LANGUAGE sql IMMUTABLE PARALLEL SAFE
-- A trait is strong in a group when most members raise it, or, for a trait
-- of the way an account uses the service (output per event, topics,
-- cadence), when the typical member is well off the population even if
-- few pass outlier_z: full strength at a median z of outlier_z, less the
-- median's standard error for the group's size (1.2533 / sqrt(n) for
-- normal samples), so that chance does not make a small group look alike.
-- Not for traits that grow with activity (volume, hours covered, addresses
-- a day): busy accounts hold more tokens, so any group found by shared
-- tokens has a busy typical member.
RETURN least(1, greatest(0, (raised_share - 0.1) / 0.9,
                         CASE WHEN measured > 0 AND trait IN ('heavy_output', 'regular_cadence', 'narrow_topics',
                                                              'divergent_topics') THEN
                             (median_z - 1.2533 / sqrt(measured) - outlier_z / 2) / (outlier_z / 2) END));
COMMENT ON FUNCTION sybil.detect_trait_strength(pg_catalog.text, pg_catalog.float8, pg_catalog.float8, pg_catalog.int8, pg_catalog.float8) IS
    'Strength (0..1) of one behaviour trait in a group: from the share of members raising it (full at all, none at a tenth) or, for heavy_output, regular_cadence, narrow_topics and divergent_topics, from the median member''s z-score less its standard error for the measured members (full at outlier_z, none at half of it), whichever is stronger';

CREATE FUNCTION sybil.detect_behaviour(strengths pg_catalog.float8[]) RETURNS pg_catalog.float8
LANGUAGE sql IMMUTABLE PARALLEL SAFE
-- Each strong trait leaves 40% of the doubt; narrow and divergent topics
-- are one trait: a narrow account is also far from the population, and
-- counting both would let topic focus alone (with the division of labour
-- it implies) flag a group.
RETURN 1 - coalesce((SELECT exp(sum(ln(1 - 0.6 * x.strength)))
                     FROM (SELECT max(t.strength) AS strength
                           FROM unnest(sybil.detect_traits(), strengths) t(name, strength)
                           GROUP BY CASE WHEN t.name = 'divergent_topics' THEN 'narrow_topics' ELSE t.name END) x), 1);
COMMENT ON FUNCTION sybil.detect_behaviour(pg_catalog.float8[]) IS
    'Behaviour strength (0..1) of a group from the strengths of its traits (in the order of sybil.detect_traits): 1 - product of (1 - 0.6 strength), narrow and divergent topics counted once';

-- Stage 1: per-account features over the window, from the roll-ups.
CREATE FUNCTION sybil.detect_features(usage pg_catalog.regclass, accounts pg_catalog.regclass,
                                      from_day pg_catalog.date, to_day pg_catalog.date,
                                      settings pg_catalog.jsonb)
RETURNS pg_catalog.int8
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $fn$
DECLARE
    n bigint;
    account_cols text[];
    new_model text;
    release date;
BEGIN
    CREATE TEMP TABLE sybil_detect_features AS
    SELECT a.account_id, a.events, a.active_days, a.events_per_day, a.out_per_event, a.topics, a.flatness, a.gaps,
           x.exits::float8 / a.active_days AS exits_per_day,
           -- within-day gaps: they sum to last - first each day
           CASE WHEN a.gaps >= 10 AND a.gap_sum > 0 THEN
               sqrt(greatest(a.gap_sq_sum / a.gaps - (a.gap_sum / a.gaps) ^ 2, 0)) / (a.gap_sum / a.gaps)
           END AS gap_cv,
           NULL::float8 AS bits,
           NULL::float8 AS divergence,
           false AS pivot,
           NULL::timestamptz AS created_at
    FROM (SELECT d.account_id,
                 sum(d.events)::int8 AS events,
                 count(*)::int4 AS active_days,
                 sum(d.events)::float8 / count(*) AS events_per_day,
                 sum(d.tokens_out)::float8 / sum(d.events) AS out_per_event,
                 sybil.histogram_union(d.topics) AS topics,
                 sybil.cosine(sybil.profile(sybil.counts_sum(d.hours)), array_fill(1::float8, ARRAY[24])) AS flatness,
                 sum(d.events - 1)::int8 AS gaps,
                 sum(extract(epoch FROM d.last_ts - d.first_ts))::float8 AS gap_sum,
                 sum(d.gap_sq_sum) AS gap_sq_sum
          FROM sybil.account_days d
          WHERE d.relation = usage AND d.day BETWEEN from_day AND to_day
          GROUP BY d.account_id) a
    LEFT JOIN (SELECT t.account_id, count(*) AS exits FROM sybil.account_tokens t
               WHERE t.relation = usage AND t.kind = 'ip' AND t.last_day >= from_day AND t.first_day <= to_day
               GROUP BY 1) x USING (account_id);
    GET DIAGNOSTICS n = ROW_COUNT;

    UPDATE pg_temp.sybil_detect_features f
    SET bits = sybil.entropy(f.topics), divergence = sybil.js_divergence(f.topics, p.h)
    FROM (SELECT sybil.histogram_union(topics) AS h FROM pg_temp.sybil_detect_features) p
    WHERE f.topics IS NOT NULL;

    -- The newest model: released (first seen with 0.5% of a day's traffic)
    -- inside the window, after its first day.  A pivot is an account with
    -- most of its traffic there on the two days after the release day,
    -- while the crowd moves over weeks.
    SELECT t.label, min(p.day) INTO new_model, release
    FROM (SELECT d.day, sybil.histogram_union(d.models) AS h FROM sybil.account_days d
          WHERE d.relation = usage AND d.day BETWEEN from_day AND to_day GROUP BY d.day) p,
         sybil.top_labels(p.h, 1000) t
    WHERE t.share >= 0.005
    GROUP BY t.label
    HAVING min(p.day) > from_day
    ORDER BY min(p.day) DESC, t.label LIMIT 1;
    IF new_model IS NOT NULL THEN
        UPDATE pg_temp.sybil_detect_features f SET pivot = true
        FROM (SELECT d.account_id
              FROM sybil.account_days d
              LEFT JOIN LATERAL (SELECT t.count FROM sybil.top_labels(d.models, 1000) t WHERE t.label = new_model) m ON true
              WHERE d.relation = usage AND d.day BETWEEN release + 1 AND release + 2
              GROUP BY d.account_id
              HAVING sum(d.events) >= 4 AND coalesce(sum(m.count), 0) >= 0.5 * sum(d.events)) p
        WHERE p.account_id = f.account_id;
    END IF;

    IF accounts IS NOT NULL THEN
        account_cols := sybil.account_columns(accounts);
        IF 'created_at' = ANY (account_cols) THEN
            EXECUTE format('UPDATE pg_temp.sybil_detect_features f SET created_at = a.created_at
                            FROM %s a WHERE a.account_id = f.account_id', accounts);
        END IF;
    END IF;
    -- Outliers against the population of accounts with enough events to
    -- measure, by robust z-scores (median and interquartile range, which a
    -- campaign of a few percent of the accounts does not move), volume and
    -- output on a log scale.
    ALTER TABLE pg_temp.sybil_detect_features ADD COLUMN z float8[];
    WITH q AS (
        SELECT percentile_cont(ARRAY[0.25, 0.5, 0.75]) WITHIN GROUP (ORDER BY ln(events_per_day)) AS volume,
               percentile_cont(ARRAY[0.25, 0.5, 0.75]) WITHIN GROUP (ORDER BY ln(out_per_event + 1)) AS output,
               percentile_cont(ARRAY[0.25, 0.5, 0.75]) WITHIN GROUP (ORDER BY flatness) AS flat,
               percentile_cont(ARRAY[0.25, 0.5, 0.75]) WITHIN GROUP (ORDER BY ln(exits_per_day)) AS exits,
               percentile_cont(ARRAY[0.25, 0.5, 0.75]) WITHIN GROUP (ORDER BY gap_cv) AS cv,
               percentile_cont(ARRAY[0.25, 0.5, 0.75]) WITHIN GROUP (ORDER BY bits) AS bits,
               percentile_cont(ARRAY[0.25, 0.5, 0.75]) WITHIN GROUP (ORDER BY divergence) AS divergence
        FROM pg_temp.sybil_detect_features WHERE events >= 20
    )
    UPDATE pg_temp.sybil_detect_features f
    SET z = ARRAY[sybil.robust_z(ln(f.events_per_day), q.volume),
                  -- an average of a few events says little; topic entropy
                  -- of a few events is low whatever the account does
                  CASE WHEN f.events >= 5 THEN sybil.robust_z(ln(f.out_per_event + 1), q.output) END,
                  sybil.robust_z(f.flatness, q.flat),
                  -- more than one address a day, whatever a population of
                  -- one or two addresses each makes of the quartiles
                  CASE WHEN f.exits_per_day > 1 THEN sybil.robust_z(ln(f.exits_per_day), q.exits)
                       ELSE least(sybil.robust_z(ln(f.exits_per_day), q.exits), 0) END,
                  -sybil.robust_z(f.gap_cv, q.cv),
                  CASE WHEN f.events >= 20 THEN -sybil.robust_z(f.bits, q.bits) END,
                  CASE WHEN f.events >= 20 THEN sybil.robust_z(f.divergence, q.divergence) END,
                  CASE WHEN f.pivot THEN 'Infinity'::float8 ELSE 0 END]
    FROM q;

    CREATE UNIQUE INDEX ON pg_temp.sybil_detect_features (account_id);
    ANALYZE pg_temp.sybil_detect_features;
    CREATE TEMP TABLE sybil_detect_population AS
    SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY bits) AS median_bits
    FROM pg_temp.sybil_detect_features WHERE events >= 20;
    RETURN n;
END
$fn$;
COMMENT ON FUNCTION sybil.detect_features(pg_catalog.regclass, pg_catalog.regclass, pg_catalog.date, pg_catalog.date, pg_catalog.jsonb) IS
    'Stage 1 of sybil.detect: per-account features of the window (volume, output per event, topic entropy and divergence, hourly flatness, addresses per active day, gap CV, model pivot, creation time) and their robust z-scores against the population (in the order of sybil.detect_traits) into the temporary table sybil_detect_features; returns the number of accounts';

CREATE FUNCTION sybil.account_columns(accounts pg_catalog.regclass) RETURNS pg_catalog.text[]
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
RETURN sybil.relation_columns(accounts, '{"account_id": ["int2", "int4", "int8"], "created_at": ["timestamptz"],
        "payment_fingerprint": ["text", "varchar"], "email_domain": ["text", "varchar"],
        "signup_ip": ["inet", "text"], "country": ["text", "varchar", "bpchar"]}', ARRAY['account_id'],
    'sybil.detect');
COMMENT ON FUNCTION sybil.account_columns(pg_catalog.regclass) IS
    'The optional detection columns (created_at, payment_fingerprint, email_domain, signup_ip, country) of an accounts relation, after checking their types and that account_id exists';

CREATE FUNCTION sybil.account_token_expressions(accounts pg_catalog.regclass)
    RETURNS TABLE (kind pg_catalog.text, expr pg_catalog.text)
LANGUAGE sql STABLE STRICT SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT e.kind, e.expr
    FROM (VALUES ('payment', 'payment_fingerprint', 'a.payment_fingerprint::text'),
                 ('signup_ip', 'signup_ip', 'a.signup_ip::text'),
                 ('email_domain', 'email_domain', 'lower(a.email_domain::text)'),
                 -- sign-up bursts: accounts created in the same ten minutes
                 ('signup_time', 'created_at',
                  'to_char(date_bin(''10 minutes'', a.created_at, ''2000-01-01''), ''YYYY-MM-DD HH24:MI'')'))
         e(kind, col, expr)
    WHERE e.col = ANY (sybil.account_columns(accounts));
END;
COMMENT ON FUNCTION sybil.account_token_expressions(pg_catalog.regclass) IS
    'The tokens an accounts relation gives (payment, signup_ip, email_domain, signup_time), each with its SQL expression over the relation aliased a, for the columns the relation has';

-- Stage 2: the tokens that link accounts, and the linked pairs.
CREATE FUNCTION sybil.detect_links(usage pg_catalog.regclass, accounts pg_catalog.regclass,
                                   from_day pg_catalog.date, to_day pg_catalog.date,
                                   settings pg_catalog.jsonb)
RETURNS pg_catalog.int8
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $fn$
DECLARE
    n bigint;
    account_tokens text[];
BEGIN
    CREATE TEMP TABLE sybil_detect_raw_tokens AS
    SELECT t.account_id, t.kind, t.token
    FROM sybil.account_tokens t
    WHERE t.relation = usage AND t.last_day >= from_day AND t.first_day <= to_day;

    SELECT array_agg(format('(%L, %s)', e.kind, e.expr)) INTO account_tokens
    FROM sybil.account_token_expressions(accounts) e;
    IF account_tokens IS NOT NULL THEN
        EXECUTE format('INSERT INTO pg_temp.sybil_detect_raw_tokens
                        SELECT a.account_id, k.kind, k.token
                        FROM %s a JOIN pg_temp.sybil_detect_features f ON f.account_id = a.account_id
                        CROSS JOIN LATERAL (VALUES %s) k(kind, token)
                        WHERE k.token IS NOT NULL', accounts, array_to_string(account_tokens, ', '));
    END IF;

    -- Tokens of one account link nothing and go.  Hubs (more than
    -- max_token_accounts holders) would link everybody: they link no pair
    -- and make no block, but a campaign's template or card can be one, so
    -- they stay for the token groups and the evidence.
    CREATE TEMP TABLE sybil_detect_tokens AS
    SELECT r.account_id, r.kind, r.token, h.holders
    FROM pg_temp.sybil_detect_raw_tokens r
    JOIN (SELECT kind, token, count(*)::int4 AS holders FROM pg_temp.sybil_detect_raw_tokens
          GROUP BY 1, 2 HAVING count(*) >= 2) h ON h.kind = r.kind AND h.token = r.token;
    DROP TABLE pg_temp.sybil_detect_raw_tokens;
    ANALYZE pg_temp.sybil_detect_tokens;

    CREATE TEMP TABLE sybil_detect_signatures AS
    SELECT account_id, sybil.minhash_agg(kind || ':' || token, (settings->>'signature_size')::int4) AS signature
    FROM pg_temp.sybil_detect_tokens
    WHERE holders <= (settings->>'max_token_accounts')::int8
    GROUP BY account_id;

    CREATE TEMP TABLE sybil_detect_pairs AS
    SELECT p.a, p.b, p.estimate
    FROM sybil.similar_pairs('SELECT account_id, signature FROM pg_temp.sybil_detect_signatures',
                             (settings->>'link_threshold')::float8) p;
    GET DIAGNOSTICS n = ROW_COUNT;
    DROP TABLE pg_temp.sybil_detect_signatures;

    -- Rare infrastructure links every pair of its holders: a campaign
    -- rotating through a pool of residential exits shares a few exits with
    -- each of many others, which no pair's Jaccard shows but their
    -- community does.
    CREATE TEMP TABLE sybil_detect_rare_pairs AS
    SELECT p.account_a AS a, p.account_b AS b, p.shared
    FROM sybil.linked_pairs('SELECT account_id, kind || '':'' || token FROM pg_temp.sybil_detect_tokens
                             WHERE kind IN (''ip'', ''device'', ''payment'', ''signup_ip'')',
                            1, (settings->>'rare_token_accounts')::int4) p;
    RETURN n;
END
$fn$;
COMMENT ON FUNCTION sybil.detect_links(pg_catalog.regclass, pg_catalog.regclass, pg_catalog.date, pg_catalog.date, pg_catalog.jsonb) IS
    'Stage 2 of sybil.detect: the accounts'' tokens (attributes from sybil.account_tokens and the accounts relation) held by two accounts or more, with their number of holders, into sybil_detect_tokens, and the pairs whose token sets have an estimated Jaccard of at least link_threshold (MinHash LSH, hubs left out) into sybil_detect_pairs, and the pairs sharing rare addresses, devices, cards or sign-up IPs (at most rare_token_accounts holders) into sybil_detect_rare_pairs; returns the number of LSH pairs';

-- Stage 3: clusters of linked accounts, scored.
CREATE FUNCTION sybil.detect_drop_small_clusters(settings pg_catalog.jsonb) RETURNS void
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $fn$
BEGIN
    DELETE FROM pg_temp.sybil_detect_members m
    USING (SELECT cluster_id FROM pg_temp.sybil_detect_members GROUP BY 1
           HAVING count(*) < (settings->>'min_cluster_size')::int8) small
    WHERE m.cluster_id = small.cluster_id;
END
$fn$;
COMMENT ON FUNCTION sybil.detect_drop_small_clusters(pg_catalog.jsonb) IS
    'Part of stage 3 of sybil.detect: drops the candidate clusters of sybil_detect_members smaller than min_cluster_size';

CREATE FUNCTION sybil.detect_clusters(settings pg_catalog.jsonb) RETURNS pg_catalog.int8
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $fn$
DECLARE
    n bigint;
    graph_density float8;
    threshold constant float8 := (settings->>'score_threshold')::float8;
    next_id int4;
BEGIN
    -- Dense blocks of the account x token graph first (FRAUDAR, log
    -- weighting): a campaign rotating through a pool of proxies shares many
    -- tokens, each with only part of the campaign, which pairs of accounts
    -- do not show.  A block counts when it is several times as dense as the
    -- whole graph; each account belongs to the first block it is in.
    -- (a token's rows add up to one in sum(1 / holders): no sort for DISTINCT)
    SELECT sum(1 / ln(t.holders + 5))
           / ((SELECT count(*) FROM (SELECT DISTINCT a.account_id FROM pg_temp.sybil_detect_tokens a
                                     WHERE a.holders <= (settings->>'max_token_accounts')::int8) d)
              + round(sum(1 / t.holders::float8)))
    INTO graph_density
    FROM pg_temp.sybil_detect_tokens t WHERE t.holders <= (settings->>'max_token_accounts')::int8;
    CREATE TEMP TABLE sybil_detect_blocks AS
    SELECT b.block, b.density / graph_density AS density_ratio, b.accounts
    FROM sybil.dense_blocks(format('SELECT account_id, kind || '':'' || token FROM pg_temp.sybil_detect_tokens
                                    WHERE holders <= %s', (settings->>'max_token_accounts')::int8),
                            (settings->>'dense_blocks')::int4) b
    WHERE b.density >= (settings->>'min_block_density')::float8 * graph_density;
    CREATE TEMP TABLE sybil_detect_members AS
    SELECT DISTINCT ON (a.account_id) a.account_id, b.block AS cluster_id
    FROM pg_temp.sybil_detect_blocks b CROSS JOIN unnest(b.accounts) a(account_id)
    ORDER BY a.account_id, b.block;
    PERFORM sybil.detect_drop_small_clusters(settings);

    CREATE UNIQUE INDEX ON pg_temp.sybil_detect_members (account_id);
    ANALYZE pg_temp.sybil_detect_members;

    -- Then communities of the linked pairs among the other accounts.
    INSERT INTO pg_temp.sybil_detect_members
    SELECT c.node, (settings->>'dense_blocks')::int4 + dense_rank() OVER (ORDER BY c.community)::int4
    FROM sybil.communities('SELECT p.a, p.b, p.estimate FROM pg_temp.sybil_detect_pairs p
                            WHERE NOT EXISTS (SELECT FROM pg_temp.sybil_detect_members m WHERE m.account_id = p.a)
                              AND NOT EXISTS (SELECT FROM pg_temp.sybil_detect_members m WHERE m.account_id = p.b)',
                           (settings->>'resolution')::float8, (settings->>'seed')::int8,
                           (settings->>'min_cluster_size')::int8) c;

    -- the accounts already in a flagged cluster: none before the first score
    CREATE TEMP TABLE sybil_detect_settled (account_id int8 PRIMARY KEY);
    PERFORM sybil.detect_score(settings);

    -- Token groups: the holders of one token who behave alike, though their
    -- other traces do not link them (a template or a card shared by a
    -- campaign whose proxies rotate too fast for pairs to share much).
    -- Accounts already in a flagged cluster stay there; each other account
    -- joins its best flagged group.
    INSERT INTO pg_temp.sybil_detect_settled
    SELECT m.account_id FROM pg_temp.sybil_detect_members m
    JOIN pg_temp.sybil_detect_clusters c USING (cluster_id) WHERE c.score >= threshold;
    ANALYZE pg_temp.sybil_detect_settled;
    CREATE TEMP TABLE sybil_detect_token_groups AS
    WITH free AS MATERIALIZED (
        -- per account once, not per token
        SELECT f.account_id,
               ARRAY(SELECT coalesce((x.z > (settings->>'outlier_z')::float8)::int4, 0)::int8
                     FROM unnest(f.z) WITH ORDINALITY x(z, i) ORDER BY x.i) AS raised
        FROM pg_temp.sybil_detect_features f
        WHERE NOT EXISTS (SELECT FROM pg_temp.sybil_detect_settled d WHERE d.account_id = f.account_id)
    ), shares AS (
        SELECT t.kind, t.token, count(*) AS size, sybil.counts_sum(a.raised) AS raised
        FROM pg_temp.sybil_detect_tokens t JOIN free a USING (account_id)
        GROUP BY t.kind, t.token
        HAVING count(*) >= (settings->>'min_cluster_size')::int8
    )
    SELECT g.kind, g.token, g.size,
           -- only flags most holders share count: a token links a crowd
           sybil.detect_behaviour(ARRAY(SELECT greatest(0, (r.n::float8 / g.size - 0.5) / 0.5)
                                        FROM unnest(g.raised) WITH ORDINALITY r(n, i) ORDER BY r.i)) AS behaviour,
           NULL::float8 AS score
    FROM shares g;
    DELETE FROM pg_temp.sybil_detect_token_groups WHERE behaviour < threshold;
    UPDATE pg_temp.sybil_detect_token_groups g
    SET score = g.behaviour * sybil.detect_link_with_labour(sybil.detect_link_weight(g.kind), l.strength)
    FROM (SELECT t.kind, t.token,
                 sybil.detect_labour(sybil.entropy(sybil.histogram_union(f.topics)), avg(f.bits),
                                     (SELECT median_bits FROM pg_temp.sybil_detect_population)) AS strength
          FROM pg_temp.sybil_detect_token_groups g2
          JOIN pg_temp.sybil_detect_tokens t ON t.kind = g2.kind AND t.token = g2.token
          JOIN pg_temp.sybil_detect_features f ON f.account_id = t.account_id
          WHERE NOT EXISTS (SELECT FROM pg_temp.sybil_detect_settled d WHERE d.account_id = t.account_id)
          GROUP BY t.kind, t.token) l
    WHERE l.kind = g.kind AND l.token = g.token;
    DELETE FROM pg_temp.sybil_detect_token_groups WHERE coalesce(score, 0) < threshold;
    SELECT coalesce(max(cluster_id), 0) INTO next_id FROM pg_temp.sybil_detect_members;
    CREATE TEMP TABLE sybil_detect_regrouped AS
    SELECT DISTINCT ON (t.account_id) t.account_id, g.kind, g.token
    FROM pg_temp.sybil_detect_token_groups g
    JOIN pg_temp.sybil_detect_tokens t ON t.kind = g.kind AND t.token = g.token
    WHERE NOT EXISTS (SELECT FROM pg_temp.sybil_detect_settled d WHERE d.account_id = t.account_id)
    ORDER BY t.account_id, g.score DESC, g.size DESC, g.kind, g.token;
    DELETE FROM pg_temp.sybil_detect_members m USING pg_temp.sybil_detect_regrouped r
    WHERE m.account_id = r.account_id;
    INSERT INTO pg_temp.sybil_detect_members
    SELECT r.account_id, next_id + dense_rank() OVER (ORDER BY r.kind, r.token)::int4
    FROM pg_temp.sybil_detect_regrouped r;
    PERFORM sybil.detect_drop_small_clusters(settings);
    INSERT INTO pg_temp.sybil_detect_settled
    SELECT m.account_id FROM pg_temp.sybil_detect_members m WHERE m.cluster_id > next_id;

    -- Last, communities of the rare infrastructure the other accounts
    -- share, each trimmed to its core.
    SELECT coalesce(max(cluster_id), 0) INTO next_id FROM pg_temp.sybil_detect_members;
    CREATE TEMP TABLE sybil_detect_infrastructure AS
    SELECT c.node AS account_id, next_id + dense_rank() OVER (ORDER BY c.community)::int4 AS cluster_id
    FROM sybil.communities('SELECT p.a, p.b, p.shared FROM pg_temp.sybil_detect_rare_pairs p
                            WHERE NOT EXISTS (SELECT FROM pg_temp.sybil_detect_settled d WHERE d.account_id = p.a)
                              AND NOT EXISTS (SELECT FROM pg_temp.sybil_detect_settled d WHERE d.account_id = p.b)',
                           (settings->>'resolution')::float8, (settings->>'seed')::int8,
                           (settings->>'min_cluster_size')::int8) c;
    CREATE UNIQUE INDEX ON pg_temp.sybil_detect_infrastructure (account_id);
    ANALYZE pg_temp.sybil_detect_infrastructure;
    PERFORM sybil.detect_infrastructure_cores(settings);
    DELETE FROM pg_temp.sybil_detect_members m USING pg_temp.sybil_detect_infrastructure i
    WHERE m.account_id = i.account_id;
    INSERT INTO pg_temp.sybil_detect_members SELECT account_id, cluster_id FROM pg_temp.sybil_detect_infrastructure;

    PERFORM sybil.detect_drop_small_clusters(settings);
    DROP TABLE pg_temp.sybil_detect_token_groups, pg_temp.sybil_detect_regrouped,
               pg_temp.sybil_detect_infrastructure;
    CREATE INDEX ON pg_temp.sybil_detect_members (cluster_id);
    ANALYZE pg_temp.sybil_detect_members;
    n := sybil.detect_score(settings);
    DROP TABLE pg_temp.sybil_detect_settled;
    RETURN n;
END
$fn$;
COMMENT ON FUNCTION sybil.detect_clusters(pg_catalog.jsonb) IS
    'Stage 3 of sybil.detect: candidate clusters into sybil_detect_members — dense blocks of the token graph, Leiden communities of the linked pairs, then groups of accounts sharing one token and behaving alike, then cores of the communities of rare shared infrastructure — scored by sybil.detect_score; returns the number of clusters';

-- An infrastructure community keeps its core: the members sharing rare
-- infrastructure with at least core_share as many others inside as its
-- best-linked members do (the 90th percentile).  Modularity hands an
-- account to the community its few links lead to, so a household whose
-- home address a campaign's proxy pool also used would join the campaign.
CREATE FUNCTION sybil.detect_infrastructure_cores(settings pg_catalog.jsonb) RETURNS pg_catalog.int8
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $fn$
DECLARE
    trimmed bigint;
BEGIN
    WITH degree AS (
        SELECT m.account_id, m.cluster_id, count(e.account_id) AS links
        FROM pg_temp.sybil_detect_infrastructure m
        LEFT JOIN (SELECT p.a AS account_id, p.b AS other FROM pg_temp.sybil_detect_rare_pairs p
                   UNION ALL SELECT p.b, p.a FROM pg_temp.sybil_detect_rare_pairs p) e
               ON e.account_id = m.account_id
              AND EXISTS (SELECT FROM pg_temp.sybil_detect_infrastructure o
                          WHERE o.account_id = e.other AND o.cluster_id = m.cluster_id)
        GROUP BY 1, 2
    ), weak AS (
        SELECT d.account_id
        FROM degree d
        JOIN (SELECT cluster_id, percentile_cont(0.9) WITHIN GROUP (ORDER BY links) AS best
              FROM degree GROUP BY 1) c USING (cluster_id)
        WHERE d.links < (settings->>'core_share')::float8 * c.best
    )
    DELETE FROM pg_temp.sybil_detect_infrastructure m USING weak w WHERE m.account_id = w.account_id;
    GET DIAGNOSTICS trimmed = ROW_COUNT;
    RETURN trimmed;
END
$fn$;
COMMENT ON FUNCTION sybil.detect_infrastructure_cores(pg_catalog.jsonb) IS
    'Part of stage 3 of sybil.detect: trims each community of sybil_detect_infrastructure to its core, the members linked by rare infrastructure to at least core_share as many others inside as its best-linked tenth; returns the number of accounts trimmed';

CREATE FUNCTION sybil.detect_link_weight(kind pg_catalog.text) RETURNS pg_catalog.float8
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp
-- a shared template, e-mail domain or sign-up time alone is common among
-- honest users of one tool, school or launch day
RETURN CASE WHEN kind IN ('opening', 'email_domain', 'signup_time') THEN 0.5 ELSE 1 END;
COMMENT ON FUNCTION sybil.detect_link_weight(pg_catalog.text) IS
    'How much a token kind shared inside a cluster says about it: 0.5 for prompt openings, e-mail domains and sign-up times, 1 for the others';

CREATE FUNCTION sybil.detect_labour(union_bits pg_catalog.float8, member_bits pg_catalog.float8,
                                    typical_bits pg_catalog.float8) RETURNS pg_catalog.float8
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp
-- members narrower than the typical account (1.5 bits: fully), the group
-- as a whole broader than its members (3 bits: fully)
RETURN least(1, greatest(0, (union_bits - member_bits - 1) / 2))
       * least(1, greatest(0, (typical_bits - member_bits) / 1.5));
COMMENT ON FUNCTION sybil.detect_labour(pg_catalog.float8, pg_catalog.float8, pg_catalog.float8) IS
    'Strength (0..1) of a division of labour: the topic entropy of a group as a whole (union_bits) well above its members'' mean (member_bits), which is itself below the typical account''s (typical_bits)';

CREATE FUNCTION sybil.detect_link_with_labour(link pg_catalog.float8, labour pg_catalog.float8)
    RETURNS pg_catalog.float8
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp
-- Any group of narrow accounts covers more than each of them, so a division
-- of labour only strengthens a link that exists: at most doubling it.
RETURN 1 - (1 - link) * (1 - labour * link);
COMMENT ON FUNCTION sybil.detect_link_with_labour(pg_catalog.float8, pg_catalog.float8) IS
    'A cluster''s link strength (0..1) strengthened by its division of labour (0..1): 1 - (1 - link)(1 - labour link), never more than twice the link';

CREATE FUNCTION sybil.detect_score(settings pg_catalog.jsonb) RETURNS pg_catalog.int8
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $fn$
DECLARE
    n bigint;
BEGIN
    IF to_regclass('pg_temp.sybil_detect_clusters') IS NOT NULL THEN
        DROP TABLE pg_temp.sybil_detect_links, pg_temp.sybil_detect_clusters;
    END IF;
    -- The tokens that hold each cluster together: share of the members that
    -- have it times share of its holders inside the cluster.
    -- Holders flagged in another cluster do not make a token less the
    -- cluster's own: a campaign split between clusters is still one.
    CREATE TEMP TABLE sybil_detect_links AS
    SELECT m.cluster_id, t.kind, t.token, count(*)::int4 AS members, t.holders,
           (coalesce(o.settled, 0) - count(s.account_id))::int4 AS flagged_elsewhere
    FROM pg_temp.sybil_detect_members m
    JOIN pg_temp.sybil_detect_tokens t ON t.account_id = m.account_id
    LEFT JOIN pg_temp.sybil_detect_settled s ON s.account_id = m.account_id
    LEFT JOIN (SELECT t2.kind, t2.token, count(*) AS settled
               FROM pg_temp.sybil_detect_tokens t2 JOIN pg_temp.sybil_detect_settled s2 USING (account_id)
               GROUP BY 1, 2) o ON o.kind = t.kind AND o.token = t.token
    GROUP BY m.cluster_id, t.kind, t.token, t.holders, o.settled
    HAVING count(*) >= 2;

    CREATE TEMP TABLE sybil_detect_clusters AS
    WITH sizes AS (
        SELECT cluster_id, count(*)::int4 AS size FROM pg_temp.sybil_detect_members GROUP BY 1
    ), link AS (
        SELECT l.cluster_id, l.kind,
               max(l.members::float8 / s.size * l.members / (l.holders - l.flagged_elsewhere))
                 * sybil.detect_link_weight(l.kind) AS strength
        FROM pg_temp.sybil_detect_links l JOIN sizes s USING (cluster_id)
        GROUP BY 1, 2
    ), links AS (
        SELECT cluster_id, exp(sum(ln(1 - least(strength, 0.999)))) AS missing,
               jsonb_object_agg(kind, round(strength::numeric, 3)) AS signals
        FROM link GROUP BY 1
    ), rare_infrastructure AS (
        -- how many rare exits, cards or devices the typical member shares
        -- with others inside: full strength at ten
        SELECT cluster_id, least(1, percentile_cont(0.5) WITHIN GROUP (ORDER BY shared) / 10) AS strength
        FROM (SELECT m.cluster_id, coalesce(i.shared, 0) AS shared
              FROM pg_temp.sybil_detect_members m
              LEFT JOIN (SELECT x.account_id, sum(e.shared) AS shared
                         FROM (SELECT a AS account_id, b AS other, shared FROM pg_temp.sybil_detect_rare_pairs
                               UNION ALL SELECT b, a, shared FROM pg_temp.sybil_detect_rare_pairs) e
                         JOIN pg_temp.sybil_detect_members x ON x.account_id = e.account_id
                         JOIN pg_temp.sybil_detect_members o ON o.account_id = e.other
                         WHERE o.cluster_id = x.cluster_id
                         GROUP BY 1) i USING (account_id)) s
        GROUP BY 1
    ), block_link AS (
        SELECT m.cluster_id,
               least(1, greatest(0, (b.density_ratio - (settings->>'min_block_density')::float8)
                                    / (settings->>'min_block_density')::float8)) AS strength
        FROM (SELECT DISTINCT cluster_id FROM pg_temp.sybil_detect_members) m
        JOIN pg_temp.sybil_detect_blocks b ON b.block = m.cluster_id
    ), behaviour AS (
        SELECT m.cluster_id, (sybil.detect_traits())[t.i] AS name, t.i,
               sybil.detect_trait_strength((sybil.detect_traits())[t.i],
                                           avg(coalesce((t.z > (settings->>'outlier_z')::float8)::int, 0)),
                                           percentile_cont(0.5) WITHIN GROUP (ORDER BY t.z), count(t.z),
                                           (settings->>'outlier_z')::float8) AS strength
        FROM pg_temp.sybil_detect_members m JOIN pg_temp.sybil_detect_features f USING (account_id)
        CROSS JOIN unnest(f.z) WITH ORDINALITY t(z, i)
        GROUP BY m.cluster_id, t.i
    ), behaviours AS (
        SELECT b.cluster_id, 1 - sybil.detect_behaviour(array_agg(b.strength ORDER BY b.i)) AS missing,
               jsonb_object_agg(b.name, round(b.strength::numeric, 3)) AS signals,
               array_agg(b.name ORDER BY b.name) FILTER (WHERE b.strength >= 0.5) AS strong_flags
        FROM behaviour b
        GROUP BY b.cluster_id
    ), labour AS (
        -- Division of labour: members narrower than the typical account,
        -- the cluster as a whole broad.  A planned split of the work is
        -- coordination, so it strengthens the link, not the behaviour.
        SELECT m.cluster_id, sybil.entropy(sybil.histogram_union(f.topics)) AS union_bits, avg(f.bits) AS member_bits,
               (SELECT median_bits FROM pg_temp.sybil_detect_population) AS typical_bits
        FROM pg_temp.sybil_detect_members m JOIN pg_temp.sybil_detect_features f USING (account_id)
        GROUP BY 1
    ), labours AS (
        SELECT cluster_id, union_bits, sybil.detect_labour(union_bits, member_bits, typical_bits) AS strength
        FROM labour
    ), scored AS (
        SELECT s.cluster_id, s.size, lb.union_bits, lb.strength AS labour,
               sybil.detect_link_with_labour(1 - coalesce(ls.missing, 1) * (1 - coalesce(bl.strength, 0))
                                                   * (1 - coalesce(ri.strength, 0)),
                                             coalesce(lb.strength, 0)) AS link,
               coalesce(ls.signals, '{}')
                 || CASE WHEN bl.strength IS NULL THEN '{}'
                         ELSE jsonb_build_object('dense_block', round(bl.strength::numeric, 3)) END
                 || CASE WHEN ri.strength = 0 THEN '{}'
                         ELSE jsonb_build_object('rare_infrastructure', round(ri.strength::numeric, 3)) END
                 || jsonb_build_object('division_of_labour', round(coalesce(lb.strength, 0)::numeric, 3))
                 AS link_signals,
               bs.missing AS behaviour_missing, bs.signals AS flag_signals, bs.strong_flags
        FROM sizes s
        LEFT JOIN links ls USING (cluster_id)
        LEFT JOIN block_link bl USING (cluster_id)
        LEFT JOIN rare_infrastructure ri USING (cluster_id)
        LEFT JOIN behaviours bs USING (cluster_id)
        LEFT JOIN labours lb USING (cluster_id)
    )
    SELECT cluster_id, size, link, 1 - behaviour_missing AS behaviour, link_signals,
           flag_signals AS behaviour_signals, strong_flags, coalesce(labour, 0) AS labour, union_bits
    FROM scored;
    ALTER TABLE pg_temp.sybil_detect_clusters ADD COLUMN score float8;
    UPDATE pg_temp.sybil_detect_clusters SET score = link * behaviour;
    SELECT count(*) INTO n FROM pg_temp.sybil_detect_clusters;
    RETURN n;
END
$fn$;
COMMENT ON FUNCTION sybil.detect_score(pg_catalog.jsonb) IS
    'Scores the candidate clusters of sybil_detect_members: the tokens shared inside each into sybil_detect_links, and each cluster''s link and behaviour strengths and score into sybil_detect_clusters; returns the number of clusters';

-- Stage 4: the run's clusters, members and evidence.
CREATE FUNCTION sybil.detect_write(run pg_catalog.int8, usage pg_catalog.regclass,
                                   from_day pg_catalog.date, to_day pg_catalog.date,
                                   settings pg_catalog.jsonb)
RETURNS pg_catalog.int8
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $fn$
DECLARE
    flagged_accounts bigint;
BEGIN
    INSERT INTO sybil.clusters (run_id, cluster_id, score, flagged, size, signals)
    SELECT run, c.cluster_id, c.score, c.score >= (settings->>'score_threshold')::float8, c.size,
           jsonb_build_object('link', round(c.link::numeric, 3), 'behaviour', round(c.behaviour::numeric, 3),
                              'links', coalesce(c.link_signals, '{}'), 'behaviours', c.behaviour_signals)
    FROM pg_temp.sybil_detect_clusters c;

    INSERT INTO sybil.cluster_members (run_id, cluster_id, account_id, score, flagged, features)
    SELECT run, m.cluster_id, m.account_id, c.score * fit.value,
           c.score >= (settings->>'score_threshold')::float8 AND fit.value >= (settings->>'min_member_fit')::float8,
           jsonb_build_object('events', f.events, 'active_days', f.active_days,
                              'events_per_day', round(f.events_per_day::numeric, 2),
                              'out_per_event', round(f.out_per_event::numeric, 1),
                              'topic_bits', round(f.bits::numeric, 3), 'divergence', round(f.divergence::numeric, 3),
                              'flatness', round(f.flatness::numeric, 3), 'gap_cv', round(f.gap_cv::numeric, 3),
                              'exits_per_day', round(f.exits_per_day::numeric, 2),
                              'model_pivot', f.pivot, 'created_at', f.created_at,
                              'flags', to_jsonb(sybil.detect_raised(f.z, (settings->>'outlier_z')::float8)), 'fit', round(fit.value::numeric, 3))
    FROM pg_temp.sybil_detect_members m
    JOIN pg_temp.sybil_detect_clusters c USING (cluster_id)
    JOIN pg_temp.sybil_detect_features f USING (account_id)
    -- a member fits when it is past 3/4 of outlier_z in most of the
    -- traits strong in its cluster (a narrow slice of a broad cluster
    -- counts as one, but not alone when the cluster has strong traits: any
    -- focused user is a narrow slice of a campaign that borrowed its address)
    CROSS JOIN LATERAL (
        SELECT CASE WHEN cardinality(strong.flags) = 0 THEN 0
                    WHEN cardinality(c.strong_flags) > 0 AND NOT c.strong_flags && raised.traits THEN 0
                    ELSE (SELECT count(*) FROM unnest(strong.flags) s
                          WHERE s = ANY (raised.traits)
                             OR (s = 'division_of_labour' AND f.bits < c.union_bits - 1.5))::float8
                         / cardinality(strong.flags) END AS value
        FROM (SELECT coalesce(c.strong_flags, '{}')
                     || CASE WHEN c.labour >= 0.5 THEN ARRAY['division_of_labour'] ELSE '{}' END AS flags) strong,
             (SELECT sybil.detect_raised(f.z, 0.75 * (settings->>'outlier_z')::float8) AS traits) raised
    ) fit;
    SELECT count(*) INTO flagged_accounts FROM sybil.cluster_members WHERE run_id = run AND flagged;

    -- Evidence for the clusters worth reading.
    INSERT INTO sybil.cluster_evidence (run_id, cluster_id, kind, detail)
    SELECT run, l.cluster_id, 'shared_attributes',
           jsonb_agg(jsonb_build_object('kind', l.kind, 'token', l.token, 'members', l.members,
                                        'accounts_with_it', l.holders) ORDER BY l.kind, l.members DESC)
    FROM (SELECT l.*, row_number() OVER (PARTITION BY l.cluster_id, l.kind ORDER BY l.members DESC, l.token) AS r
          FROM pg_temp.sybil_detect_links l
          JOIN pg_temp.sybil_detect_clusters c USING (cluster_id)
          WHERE c.score >= (settings->>'score_threshold')::float8 / 2 AND l.kind <> 'opening') l
    WHERE l.r <= 5
    GROUP BY l.cluster_id;

    INSERT INTO sybil.cluster_evidence (run_id, cluster_id, kind, detail)
    SELECT run, l.cluster_id, 'templates',
           jsonb_agg(jsonb_build_object('opening', l.token, 'members', l.members, 'example',
                     -- from the members: a common opening has more holders than a cluster
                     (SELECT e.example FROM pg_temp.sybil_detect_members m,
                             LATERAL (SELECT t.example FROM sybil.account_tokens t
                                      WHERE t.relation = usage AND t.kind = 'opening' AND t.token = l.token
                                        AND t.account_id = m.account_id) e
                      WHERE m.cluster_id = l.cluster_id LIMIT 1))
                     ORDER BY l.members DESC)
    FROM (SELECT l.*, row_number() OVER (PARTITION BY l.cluster_id ORDER BY l.members DESC, l.token) AS r
          FROM pg_temp.sybil_detect_links l
          JOIN pg_temp.sybil_detect_clusters c USING (cluster_id)
          WHERE c.score >= (settings->>'score_threshold')::float8 / 2 AND l.kind = 'opening') l
    WHERE l.r <= 5
    GROUP BY l.cluster_id;

    INSERT INTO sybil.cluster_evidence (run_id, cluster_id, kind, detail)
    SELECT run, t.cluster_id, 'timeline',
           jsonb_agg(jsonb_build_object('day', t.day, 'events', t.events, 'accounts', t.accounts) ORDER BY t.day)
    FROM (SELECT m.cluster_id, d.day, sum(d.events) AS events, count(*) AS accounts
          FROM pg_temp.sybil_detect_members m
          JOIN pg_temp.sybil_detect_clusters c USING (cluster_id)
          JOIN sybil.account_days d ON d.account_id = m.account_id
          WHERE c.score >= (settings->>'score_threshold')::float8 / 2
            AND d.relation = usage AND d.day BETWEEN from_day AND to_day
          GROUP BY 1, 2) t
    GROUP BY t.cluster_id;

    INSERT INTO sybil.cluster_evidence (run_id, cluster_id, kind, detail)
    SELECT run, c.cluster_id, 'topics',
           jsonb_build_object('cluster_effective_topics', round((2 ^ c.union_bits)::numeric, 1),
                              'member_effective_topics', round(avg(2 ^ f.bits)::numeric, 1),
                              'top_topics', (SELECT jsonb_agg(jsonb_build_object('topic', t.label,
                                                    'share', round(t.share::numeric, 3)))
                                             FROM sybil.top_labels(sybil.histogram_union(f.topics), 10) t))
    FROM pg_temp.sybil_detect_clusters c
    JOIN pg_temp.sybil_detect_members m USING (cluster_id)
    JOIN pg_temp.sybil_detect_features f USING (account_id)
    WHERE c.score >= (settings->>'score_threshold')::float8 / 2 AND c.union_bits IS NOT NULL
    GROUP BY c.cluster_id, c.union_bits;

    INSERT INTO sybil.cluster_evidence (run_id, cluster_id, kind, detail)
    SELECT run, m.cluster_id, 'signup',
           jsonb_build_object('first_created', min(f.created_at), 'last_created', max(f.created_at),
                              'median_created', percentile_disc(0.5) WITHIN GROUP (ORDER BY f.created_at))
    FROM pg_temp.sybil_detect_members m
    JOIN pg_temp.sybil_detect_clusters c USING (cluster_id)
    JOIN pg_temp.sybil_detect_features f USING (account_id)
    WHERE c.score >= (settings->>'score_threshold')::float8 / 2 AND f.created_at IS NOT NULL
    GROUP BY m.cluster_id;
    RETURN flagged_accounts;
END
$fn$;
COMMENT ON FUNCTION sybil.detect_write(pg_catalog.int8, pg_catalog.regclass, pg_catalog.date, pg_catalog.date, pg_catalog.jsonb) IS
    'Stage 4 of sybil.detect: writes the clusters, their members with per-account score and features, and the evidence of clusters scoring at least half the threshold, for the given run; returns the number of flagged accounts';

CREATE FUNCTION sybil.detect(usage pg_catalog.regclass,
                             window_start pg_catalog.timestamptz,
                             window_end pg_catalog.timestamptz,
                             accounts pg_catalog.regclass DEFAULT NULL,
                             settings pg_catalog.jsonb DEFAULT '{}')
RETURNS pg_catalog.int8
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $fn$
DECLARE
    run bigint;
    from_day date;
    to_day date;
    usage_cols text[];
    account_cols text[] := '{}';
    signals text[];
    n_accounts bigint;
    n_clusters bigint;
    n_flagged bigint;
    n bigint;
    t timestamptz := clock_timestamp();
    stages jsonb := '{}';
    work_mem_before text;
BEGIN
    IF window_start IS NULL OR window_end IS NULL OR window_start >= window_end
       OR NOT isfinite(window_start) OR NOT isfinite(window_end) THEN
        RAISE EXCEPTION 'sybil.detect: the window must be finite with window_start < window_end'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    settings := sybil.detect_settings(settings);
    usage_cols := sybil.usage_columns(usage);
    IF accounts IS NOT NULL THEN
        account_cols := sybil.account_columns(accounts);
    END IF;
    signals := array(SELECT s FROM (VALUES
        ('shared_infrastructure', usage_cols && '{ip,device,user_agent}' OR account_cols && '{payment_fingerprint,signup_ip,email_domain}'),
        ('templates', 'prompt' = ANY (usage_cols)),
        ('timing', true),
        ('signup_burst', 'created_at' = ANY (account_cols)),
        ('topics', 'topic' = ANY (usage_cols)),
        ('volume', true),
        ('output', 'tokens_out' = ANY (usage_cols)),
        ('model_pivot', 'model' = ANY (usage_cols))) v(s, used) WHERE used);
    from_day := (window_start AT TIME ZONE 'UTC')::date;
    to_day := ((window_end - interval '1 microsecond') AT TIME ZONE 'UTC')::date;
    INSERT INTO sybil.runs (relation, accounts, window_start, window_end, started_at, finished_at, settings,
                            signals, accounts_seen, clusters_found, accounts_flagged, stage_seconds)
    VALUES (usage, accounts, window_start, window_end, t, t, settings, signals, 0, 0, 0, '{}')
    RETURNING run_id INTO run;
    RAISE NOTICE 'sybil.detect: run % over % .. % (UTC days %..%), signals: %',
        run, window_start, window_end, from_day, to_day, array_to_string(signals, ', ');

    n := sybil.rollup(usage, window_end);
    stages := stages || jsonb_build_object('rollup', round(extract(epoch FROM clock_timestamp() - t)::numeric, 3));
    RAISE NOTICE 'sybil.detect: 1/5 roll-up read % new rows (% s)', n, stages->'rollup';
    work_mem_before := sybil.use_batch_work_mem();

    t := clock_timestamp();
    n_accounts := sybil.detect_features(usage, accounts, from_day, to_day, settings);
    stages := stages || jsonb_build_object('features', round(extract(epoch FROM clock_timestamp() - t)::numeric, 3));
    RAISE NOTICE 'sybil.detect: 2/5 features of % accounts (% s)', n_accounts, stages->'features';

    t := clock_timestamp();
    n := sybil.detect_links(usage, accounts, from_day, to_day, settings);
    stages := stages || jsonb_build_object('links', round(extract(epoch FROM clock_timestamp() - t)::numeric, 3));
    RAISE NOTICE 'sybil.detect: 3/5 % linked pairs (% s)', n, stages->'links';

    t := clock_timestamp();
    n_clusters := sybil.detect_clusters(settings);
    stages := stages || jsonb_build_object('clusters', round(extract(epoch FROM clock_timestamp() - t)::numeric, 3));
    RAISE NOTICE 'sybil.detect: 4/5 % clusters of at least % accounts (% s)',
        n_clusters, settings->'min_cluster_size', stages->'clusters';

    t := clock_timestamp();
    n_flagged := sybil.detect_write(run, usage, from_day, to_day, settings);
    stages := stages || jsonb_build_object('write', round(extract(epoch FROM clock_timestamp() - t)::numeric, 3));
    RAISE NOTICE 'sybil.detect: 5/5 wrote run %: % accounts flagged (% s)', run, n_flagged, stages->'write';

    UPDATE sybil.runs
    SET finished_at = clock_timestamp(), accounts_seen = n_accounts, clusters_found = n_clusters,
        accounts_flagged = n_flagged, stage_seconds = stages
    WHERE run_id = run;
    DROP TABLE pg_temp.sybil_detect_features, pg_temp.sybil_detect_population, pg_temp.sybil_detect_tokens,
               pg_temp.sybil_detect_pairs, pg_temp.sybil_detect_rare_pairs,
               pg_temp.sybil_detect_blocks,
               pg_temp.sybil_detect_members, pg_temp.sybil_detect_links, pg_temp.sybil_detect_clusters;
    PERFORM set_config('work_mem', work_mem_before, true);
    RETURN run;
END
$fn$;
COMMENT ON FUNCTION sybil.detect(pg_catalog.regclass, pg_catalog.timestamptz, pg_catalog.timestamptz, pg_catalog.regclass, pg_catalog.jsonb) IS
    'Runs the whole detection over the UTC days of [window_start, window_end): rolls the usage relation up to window_end, builds per-account features, links accounts by shared tokens (MinHash LSH), clusters them (Leiden), scores each cluster and member, and writes the run to sybil.runs, sybil.clusters, sybil.cluster_members and sybil.cluster_evidence in the caller''s transaction; returns the run_id';
