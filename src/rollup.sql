-- Incremental daily roll-ups of a usage relation: what detection runs read
-- instead of the raw rows.  sybil.rollup(usage) reads only the rows that
-- arrived since its last call (by ts) and merges them into per-account,
-- per-day summaries and per-account attribute (token) rows.

CREATE TABLE sybil.rollup_state (
    relation       pg_catalog.regclass   PRIMARY KEY,
    rolled_through pg_catalog.timestamptz NOT NULL,
    usage_columns  pg_catalog.text[]      NOT NULL,
    rows_read      pg_catalog.int8        NOT NULL,
    updated_at     pg_catalog.timestamptz NOT NULL
);
COMMENT ON TABLE sybil.rollup_state IS
    'One row per usage relation rolled up by sybil.rollup: rows with ts before rolled_through are in sybil.account_days and sybil.account_tokens';
COMMENT ON COLUMN sybil.rollup_state.rolled_through IS 'Watermark: the next roll-up reads rows with ts >= this';
COMMENT ON COLUMN sybil.rollup_state.usage_columns IS 'The optional usage columns found (ip, device, user_agent, topic, prompt, tokens_out, model)';
COMMENT ON COLUMN sybil.rollup_state.rows_read IS 'Usage rows read by all roll-ups so far';

CREATE TABLE sybil.account_days (
    relation   pg_catalog.regclass    NOT NULL,
    day        pg_catalog.date        NOT NULL,
    account_id pg_catalog.int8        NOT NULL,
    events     pg_catalog.int8        NOT NULL,
    tokens_out pg_catalog.int8,
    topics     sybil.histogram,
    models     sybil.histogram,
    hours      pg_catalog.int8[]      NOT NULL,
    first_ts   pg_catalog.timestamptz NOT NULL,
    last_ts    pg_catalog.timestamptz NOT NULL,
    gap_sq_sum pg_catalog.float8      NOT NULL,
    PRIMARY KEY (relation, day, account_id)
);
COMMENT ON TABLE sybil.account_days IS
    'Per account and UTC day summaries of a usage relation, maintained by sybil.rollup';
COMMENT ON COLUMN sybil.account_days.tokens_out IS 'Sum of tokens_out; NULL when the relation has no tokens_out column';
COMMENT ON COLUMN sybil.account_days.topics IS 'Histogram of the topic column; NULL without it';
COMMENT ON COLUMN sybil.account_days.models IS 'Histogram of the model column; NULL without it';
COMMENT ON COLUMN sybil.account_days.hours IS 'Events per UTC hour of the day (24 counts)';
COMMENT ON COLUMN sybil.account_days.gap_sq_sum IS 'Sum of the squared gaps in seconds between the day''s consecutive events (the gaps themselves sum to last_ts - first_ts)';

CREATE TABLE sybil.account_tokens (
    relation   pg_catalog.regclass NOT NULL,
    kind       pg_catalog.text     COLLATE pg_catalog."C" NOT NULL,
    token      pg_catalog.text     COLLATE pg_catalog."C" NOT NULL,
    account_id pg_catalog.int8     NOT NULL,
    first_day  pg_catalog.date     NOT NULL,
    last_day   pg_catalog.date     NOT NULL,
    events     pg_catalog.int8     NOT NULL,
    example    pg_catalog.text,
    PRIMARY KEY (relation, kind, token, account_id)
);
CREATE INDEX account_tokens_account ON sybil.account_tokens (relation, account_id);
COMMENT ON TABLE sybil.account_tokens IS
    'The attributes each account used (kind ip, subnet, device, user_agent, opening) with the days it used them, maintained by sybil.rollup: the tokens that link accounts';
COMMENT ON COLUMN sybil.account_tokens.token IS 'ip: the address; subnet: its /24 (IPv4) or /48 (IPv6); device, user_agent: the value; opening: sybil.prompt_opening(prompt) as text';
COMMENT ON COLUMN sybil.account_tokens.example IS 'For openings, one prompt (its first 160 characters) that starts so';

SELECT pg_catalog.pg_extension_config_dump('sybil.rollup_state', '');
SELECT pg_catalog.pg_extension_config_dump('sybil.account_days', '');
SELECT pg_catalog.pg_extension_config_dump('sybil.account_tokens', '');

-- The documented columns a relation has, checked: expected maps each name to
-- the types it may have; the required ones must be there.
CREATE FUNCTION sybil.relation_columns(rel pg_catalog.regclass, expected pg_catalog.jsonb,
                                       required pg_catalog.text[], caller pg_catalog.text)
RETURNS pg_catalog.text[]
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $fn$
DECLARE
    found text[] := '{}';
    col record;
BEGIN
    FOR col IN
        SELECT a.attname::text AS name, t.typname::text AS type
        FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
        WHERE a.attrelid = rel AND a.attnum > 0 AND NOT a.attisdropped AND expected ? a.attname::text
    LOOP
        IF NOT (expected -> col.name) ? col.type THEN
            RAISE EXCEPTION '%: column %.% is of type %, expected one of %',
                caller, rel, col.name, col.type, expected -> col.name
                USING ERRCODE = 'datatype_mismatch';
        END IF;
        found := found || col.name;
    END LOOP;
    IF NOT found @> required THEN
        RAISE EXCEPTION '%: % needs the column(s) %', caller, rel, array_to_string(required, ', ')
            USING ERRCODE = 'undefined_column',
                  HINT = 'Create a view that renames your columns to the documented names.';
    END IF;
    RETURN array(SELECT c FROM unnest(found) c WHERE c <> ALL (required) ORDER BY c);
END
$fn$;
COMMENT ON FUNCTION sybil.relation_columns(pg_catalog.regclass, pg_catalog.jsonb, pg_catalog.text[], pg_catalog.text) IS
    'The optional columns of a relation among the expected ones (a jsonb object: column name -> array of allowed type names), after checking their types and that the required columns exist; errors name the caller';

CREATE FUNCTION sybil.usage_columns(usage pg_catalog.regclass) RETURNS pg_catalog.text[]
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
RETURN sybil.relation_columns(usage, '{"account_id": ["int2", "int4", "int8"], "ts": ["timestamptz"],
        "ip": ["inet", "text"], "device": ["text", "varchar"], "user_agent": ["text", "varchar"],
        "topic": ["text", "varchar"], "prompt": ["text", "varchar"],
        "tokens_out": ["int2", "int4", "int8"], "model": ["text", "varchar"]}', ARRAY['account_id', 'ts'],
    'sybil.rollup');
COMMENT ON FUNCTION sybil.usage_columns(pg_catalog.regclass) IS
    'The optional detection columns (ip, device, user_agent, topic, prompt, tokens_out, model) of a usage relation, after checking their types and that account_id and ts exist';

-- Roll-ups and detection runs are batch jobs: they sort and hash with
-- maintenance_work_mem, as CREATE INDEX does, when that is the larger.
CREATE FUNCTION sybil.use_batch_work_mem() RETURNS pg_catalog.text
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $fn$
DECLARE
    before constant text := current_setting('work_mem');
BEGIN
    PERFORM set_config('work_mem', current_setting('maintenance_work_mem'), true)
    WHERE pg_size_bytes(current_setting('maintenance_work_mem')) > pg_size_bytes(before);
    RETURN before;
END
$fn$;
COMMENT ON FUNCTION sybil.use_batch_work_mem() IS
    'Sets work_mem to maintenance_work_mem for the rest of the transaction when that is the larger (as for CREATE INDEX), for the batch stages of rollup and detect; returns the work_mem before, which the caller puts back with set_config(''work_mem'', before, true)';

CREATE FUNCTION sybil.rollup(usage pg_catalog.regclass, through pg_catalog.timestamptz DEFAULT pg_catalog.now())
RETURNS pg_catalog.int8
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $fn$
DECLARE
    cols text[] := sybil.usage_columns(usage);
    since timestamptz;
    n bigint;
    tokens text[];
    ip_is_inet boolean;
    new_rows text;
    first boolean;
    token_conflict text;
    work_mem_before text;
BEGIN
    IF through IS NULL THEN
        RAISE EXCEPTION 'sybil.rollup: through must not be NULL' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    -- Nothing to do needs no lock: runs over rolled-up days go on at once.
    SELECT s.rolled_through INTO since FROM sybil.rollup_state s WHERE s.relation = usage;
    IF through <= since THEN
        RETURN 0;
    END IF;
    -- One roll-up of a relation at a time: a second one waits for the row
    -- lock, then finds the rows already read.
    INSERT INTO sybil.rollup_state (relation, rolled_through, usage_columns, rows_read, updated_at)
    VALUES (usage, '-infinity', cols, 0, now())
    ON CONFLICT (relation) DO NOTHING;
    SELECT s.rolled_through INTO since FROM sybil.rollup_state s WHERE s.relation = usage FOR UPDATE;
    IF through <= since THEN
        RETURN 0;
    END IF;
    -- The first roll-up of a relation finds its tables empty: plain inserts,
    -- twice as fast as merging.
    first := since = '-infinity';
    token_conflict := CASE WHEN first THEN '' ELSE '
            ON CONFLICT (relation, kind, token, account_id) DO UPDATE SET
                first_day = least(t.first_day, excluded.first_day),
                last_day = greatest(t.last_day, excluded.last_day),
                events = t.events + excluded.events' END;
    new_rows := format('SELECT u.*, (u.ts AT TIME ZONE ''UTC'')::date AS day FROM %s u
                        WHERE u.ts >= $1 AND u.ts < $2 AND u.account_id IS NOT NULL', usage);
    work_mem_before := sybil.use_batch_work_mem();

    EXECUTE format($q$
        WITH g AS (
            SELECT u.day, u.account_id, count(*) AS events, %s AS tokens_out, %s AS topics, %s AS models,
                   sybil.hourly_counts(u.ts, 'UTC') AS hours, min(u.ts) AS first_ts, max(u.ts) AS last_ts,
                   sybil.cadence(u.ts) AS c
            FROM (%s) u GROUP BY u.day, u.account_id
        ), merged AS (
            INSERT INTO sybil.account_days AS d
                (relation, day, account_id, events, tokens_out, topics, models, hours, first_ts, last_ts, gap_sq_sum)
            SELECT $3, g.day, g.account_id, g.events, g.tokens_out, g.topics, g.models, g.hours,
                   g.first_ts, g.last_ts, coalesce(((g.c).sd_gap ^ 2 + (g.c).mean_gap ^ 2) * ((g.c).events - 1), 0)
            FROM g
            %s
        )
        SELECT coalesce(sum(g.events), 0) FROM g
        $q$,
        CASE WHEN 'tokens_out' = ANY (cols) THEN 'sum(u.tokens_out)::int8' ELSE 'NULL::int8' END,
        CASE WHEN 'topic' = ANY (cols) THEN 'sybil.histogram_agg(u.topic::text)' ELSE 'NULL::sybil.histogram' END,
        CASE WHEN 'model' = ANY (cols) THEN 'sybil.histogram_agg(u.model::text)' ELSE 'NULL::sybil.histogram' END,
        new_rows,
        CASE WHEN first THEN '' ELSE $c$
            ON CONFLICT (relation, day, account_id) DO UPDATE SET
                events = d.events + excluded.events,
                tokens_out = d.tokens_out + excluded.tokens_out,
                topics = sybil.histogram_merge(d.topics, excluded.topics),
                models = sybil.histogram_merge(d.models, excluded.models),
                hours = sybil.counts_merge(d.hours, excluded.hours),
                first_ts = least(d.first_ts, excluded.first_ts),
                last_ts = greatest(d.last_ts, excluded.last_ts),
                -- new rows come after the old ones: one more gap joins them
                gap_sq_sum = d.gap_sq_sum + excluded.gap_sq_sum
                             + extract(epoch FROM excluded.first_ts - d.last_ts)::float8 ^ 2$c$ END)
    INTO n USING since, through, usage;

    -- Each kind of token, as a SELECT of (kind, token, account_id,
    -- first_day, last_day, events) over the attribute combinations g.
    ip_is_inet := 'ip' = ANY (cols)
        AND (SELECT atttypid FROM pg_attribute WHERE attrelid = usage AND attname = 'ip') = 'inet'::regtype;
    SELECT coalesce(array_agg(format(
               'SELECT %L::text AS kind, %s AS token, g.account_id, min(g.first_day) AS first_day,
                       max(g.last_day) AS last_day, sum(g.events)::int8 AS events
                FROM pg_temp.sybil_rollup_tokens g WHERE %s IS NOT NULL GROUP BY 2, 3',
               k.kind, k.expr, k.expr) ORDER BY k.n), '{}')
    INTO tokens
    FROM (VALUES
        (1, 'ip', CASE WHEN ip_is_inet THEN 'host(g.ip)' ELSE 'g.ip::text' END, 'ip' = ANY (cols)),
        (2, 'subnet', 'network(set_masklen(g.ip, CASE family(g.ip) WHEN 4 THEN 24 ELSE 48 END))::text', ip_is_inet),
        (3, 'device', 'g.device::text', 'device' = ANY (cols)),
        (4, 'user_agent', 'g.user_agent::text', 'user_agent' = ANY (cols))) k(n, kind, expr, used)
    WHERE k.used;
    IF cardinality(tokens) > 0 THEN
        -- An account uses few combinations of its attributes: grouping by
        -- them first (in a temporary table: CREATE TABLE AS may read with
        -- parallel workers, an INSERT may not) leaves a tenth of the rows to
        -- group by each kind of token.  They go in in key order.
        EXECUTE format($q$
            CREATE TEMP TABLE sybil_rollup_tokens AS
            SELECT u.account_id, %1$s, min(u.day) AS first_day, max(u.day) AS last_day, count(*) AS events
            FROM (%2$s) u GROUP BY u.account_id, %1$s
            $q$,
            array_to_string(array(SELECT 'u.' || c FROM unnest(ARRAY['ip', 'device', 'user_agent']) c
                                  WHERE c = ANY (cols)), ', '),
            new_rows)
        USING since, through;
        ANALYZE pg_temp.sybil_rollup_tokens;
        EXECUTE format($q$
            INSERT INTO sybil.account_tokens AS t (relation, kind, token, account_id, first_day, last_day, events)
            SELECT $1, k.kind, k.token, k.account_id, k.first_day, k.last_day, k.events
            FROM (%1$s) k
            ORDER BY k.kind COLLATE pg_catalog."C", k.token COLLATE pg_catalog."C", k.account_id
            %2$s
            $q$, array_to_string(tokens, ' UNION ALL '), token_conflict)
        USING usage;
        DROP TABLE pg_temp.sybil_rollup_tokens;
    END IF;

    -- A template shows as an opening the account repeats; one-off openings
    -- (free-form prompts) would only fill the table.  Prompts without a
    -- word group under NULL, left out when written: filtered before the
    -- grouping, the opening would be computed twice a row.
    IF 'prompt' = ANY (cols) THEN
        EXECUTE format($q$
            CREATE TEMP TABLE sybil_rollup_openings AS
            SELECT sybil.prompt_opening(u.prompt::text) AS opening, u.account_id, min(u.day) AS first_day,
                   max(u.day) AS last_day, count(*) AS events, min(left(u.prompt::text, 160)) AS example
            FROM (%s) u
            GROUP BY 1, u.account_id
            HAVING count(*) >= 2
            $q$, new_rows)
        USING since, through;
        EXECUTE format($q$
            INSERT INTO sybil.account_tokens AS t
                (relation, kind, token, account_id, first_day, last_day, events, example)
            SELECT $1, 'opening', o.opening::text, o.account_id, o.first_day, o.last_day, o.events, o.example
            FROM pg_temp.sybil_rollup_openings o
            WHERE o.opening IS NOT NULL
            ORDER BY o.opening::text COLLATE pg_catalog."C", o.account_id
            %s
            $q$, token_conflict)
        USING usage;
        DROP TABLE pg_temp.sybil_rollup_openings;
    END IF;

    PERFORM set_config('work_mem', work_mem_before, true);
    -- A first roll-up adds all of a relation's rows in this transaction,
    -- where autovacuum cannot see them: statistics from before would have
    -- sybil.detect plan its joins over them for a handful of rows.  ANALYZE
    -- needs the tables' owner (others get the statistics autovacuum makes).
    IF first AND pg_has_role((SELECT relowner FROM pg_class WHERE oid = 'sybil.account_days'::regclass), 'USAGE') THEN
        ANALYZE sybil.account_days, sybil.account_tokens;
    END IF;
    UPDATE sybil.rollup_state
    SET rolled_through = through, usage_columns = cols, rows_read = rows_read + n, updated_at = now()
    WHERE relation = usage;
    RETURN n;
END
$fn$;
COMMENT ON FUNCTION sybil.rollup(pg_catalog.regclass, pg_catalog.timestamptz) IS
    'Merges the usage rows with ts from the last roll-up''s watermark up to (not including) through into sybil.account_days and sybil.account_tokens, moves the watermark to through and returns the number of rows read; idempotent, one at a time per relation';
