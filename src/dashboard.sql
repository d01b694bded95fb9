-- Dashboard views over the run tables (src/detection_runs.sql): one row per
-- run, the flagged clusters of each relation's latest run, and which signals
-- fire run after run.  They read only sybil.runs, sybil.clusters,
-- sybil.cluster_members and sybil.cluster_evidence, a run at a time
-- (filters on the run's columns reach the runs table first), so a dashboard
-- stays fast however many runs are kept.  The latest run of a relation is
-- the one with the highest run_id: the last one started.

CREATE INDEX clusters_flagged ON sybil.clusters (run_id, score DESC) WHERE flagged;
COMMENT ON INDEX sybil.clusters_flagged IS 'The flagged clusters of a run by score, for the dashboard views';

CREATE VIEW sybil.detection_summary AS
SELECT r.run_id, r.relation, r.accounts, r.window_start, r.window_end, r.started_at, r.finished_at,
       r.finished_at - r.started_at AS duration,
       r.signals, r.accounts_seen, r.clusters_found,
       (SELECT count(*) FROM sybil.clusters c WHERE c.run_id = r.run_id AND c.flagged) AS clusters_flagged,
       r.accounts_flagged,
       pg_catalog.lag(r.run_id) OVER w AS previous_run_id,
       r.accounts_flagged - pg_catalog.lag(r.accounts_flagged) OVER w AS flagged_change
FROM sybil.runs r
WINDOW w AS (PARTITION BY r.relation ORDER BY r.run_id)
ORDER BY r.run_id DESC;
COMMENT ON VIEW sybil.detection_summary IS
    'One row per detection run, latest first: window, timing, signals used, accounts seen, clusters found and flagged, accounts flagged, and the change in flagged accounts since the previous run of the same relation (NULL for its first run)';
COMMENT ON COLUMN sybil.detection_summary.duration IS 'finished_at - started_at';
COMMENT ON COLUMN sybil.detection_summary.clusters_flagged IS 'Clusters scoring at least the run''s score_threshold';
COMMENT ON COLUMN sybil.detection_summary.previous_run_id IS 'The run of the same relation before this one (by run_id)';
COMMENT ON COLUMN sybil.detection_summary.flagged_change IS 'accounts_flagged minus that of the previous run of the same relation';

CREATE VIEW sybil.top_clusters AS
SELECT l.relation, c.run_id,
       pg_catalog.row_number() OVER (PARTITION BY c.run_id ORDER BY c.score DESC, c.cluster_id) AS rank,
       c.cluster_id, c.size, c.score,
       (SELECT count(*) FROM sybil.cluster_members m
        WHERE m.run_id = c.run_id AND m.cluster_id = c.cluster_id AND m.flagged) AS flagged_members,
       sybil.strongest_signals(c.signals->'links') AS top_links,
       sybil.strongest_signals(c.signals->'behaviours') AS top_behaviours,
       t.first_day, t.last_day, t.active_days, t.events
FROM (SELECT DISTINCT ON (r.relation) r.relation, r.run_id FROM sybil.runs r ORDER BY r.relation, r.run_id DESC) l
JOIN sybil.clusters c ON c.run_id = l.run_id AND c.flagged
LEFT JOIN LATERAL (
    SELECT pg_catalog.min((d->>'day')::pg_catalog.date) AS first_day,
           pg_catalog.max((d->>'day')::pg_catalog.date) AS last_day,
           pg_catalog.count(*) AS active_days,
           pg_catalog.sum((d->>'events')::pg_catalog.int8) AS events
    FROM sybil.cluster_evidence e, pg_catalog.jsonb_array_elements(e.detail) d
    WHERE e.run_id = c.run_id AND e.cluster_id = c.cluster_id AND e.kind = 'timeline'
) t ON true
ORDER BY c.score DESC, c.run_id, c.cluster_id;
COMMENT ON VIEW sybil.top_clusters IS
    'The flagged clusters of the latest run of each relation, highest score first: size, score, flagged members, the strongest link and behaviour signals, and the first and last day of activity from the timeline evidence';
COMMENT ON COLUMN sybil.top_clusters.rank IS 'Place in its run by score, from 1';
COMMENT ON COLUMN sybil.top_clusters.top_links IS 'The strongest link signal and every other of strength 0.5 or more (clusters.signals->''links''), strongest first';
COMMENT ON COLUMN sybil.top_clusters.top_behaviours IS 'The strongest behaviour signal and every other of strength 0.5 or more (clusters.signals->''behaviours''), strongest first';
COMMENT ON COLUMN sybil.top_clusters.first_day IS 'First UTC day of the window on which a member was active';
COMMENT ON COLUMN sybil.top_clusters.last_day IS 'Last UTC day of the window on which a member was active';
COMMENT ON COLUMN sybil.top_clusters.active_days IS 'Days of the window on which a member was active';
COMMENT ON COLUMN sybil.top_clusters.events IS 'The members'' events in the window';

CREATE VIEW sybil.signal_trends AS
SELECT r.run_id, r.relation, r.window_start, r.window_end, r.finished_at,
       s.signal_group, s.signal, s.flagged_clusters, s.accounts, s.mean_strength
FROM sybil.runs r
CROSS JOIN LATERAL (
    SELECT g.signal_group, e.key AS signal,
           pg_catalog.count(*) FILTER (WHERE c.flagged AND e.value::pg_catalog.text::pg_catalog.float8 >= 0.5)
             AS flagged_clusters,
           coalesce(pg_catalog.sum(c.size) FILTER (WHERE c.flagged AND e.value::pg_catalog.text::pg_catalog.float8 >= 0.5), 0)
             AS accounts,
           pg_catalog.round(pg_catalog.avg(e.value::pg_catalog.text::pg_catalog.float8) FILTER (WHERE c.flagged)::pg_catalog.numeric, 3)
             AS mean_strength
    -- the flagged clusters, and the run's first cluster for the names of the
    -- signals every cluster has when none is flagged
    FROM (SELECT c.flagged, c.size, c.signals FROM sybil.clusters c WHERE c.run_id = r.run_id AND c.flagged
          UNION ALL
          (SELECT false, c.size, c.signals FROM sybil.clusters c WHERE c.run_id = r.run_id ORDER BY c.cluster_id LIMIT 1)) c
    CROSS JOIN (VALUES ('link', 'links'), ('behaviour', 'behaviours')) g(signal_group, field)
    CROSS JOIN LATERAL pg_catalog.jsonb_each(c.signals -> g.field) e
    WHERE pg_catalog.jsonb_typeof(e.value) = 'number'
    GROUP BY g.signal_group, e.key
) s
ORDER BY r.run_id DESC, s.signal_group, s.signal;
COMMENT ON VIEW sybil.signal_trends IS
    'Per run and signal (the link kinds and behaviours of sybil.clusters.signals): how many flagged clusters show it with strength 0.5 or more, their accounts, and its mean strength over the flagged clusters, for plotting which signals fire over time';
COMMENT ON COLUMN sybil.signal_trends.signal_group IS 'link (clusters.signals->''links'') or behaviour (clusters.signals->''behaviours'')';
COMMENT ON COLUMN sybil.signal_trends.flagged_clusters IS 'Flagged clusters of the run in which the signal has strength 0.5 or more';
COMMENT ON COLUMN sybil.signal_trends.accounts IS 'The accounts of those clusters';
COMMENT ON COLUMN sybil.signal_trends.mean_strength IS 'Mean strength of the signal over the run''s flagged clusters (NULL when none is flagged or none has the signal)';
