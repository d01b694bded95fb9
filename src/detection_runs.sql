-- The results of detection runs.  A run is written by one transaction
-- (sybil.detect): readers see all of it or none of it, and runs at the same
-- time each write their own run_id.

CREATE TABLE sybil.runs (
    run_id         pg_catalog.int8 GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    relation       pg_catalog.regclass    NOT NULL,
    accounts       pg_catalog.regclass,
    window_start   pg_catalog.timestamptz NOT NULL,
    window_end     pg_catalog.timestamptz NOT NULL,
    started_at     pg_catalog.timestamptz NOT NULL,
    finished_at    pg_catalog.timestamptz NOT NULL,
    settings       pg_catalog.jsonb       NOT NULL,
    signals        pg_catalog.text[]      NOT NULL,
    accounts_seen  pg_catalog.int8        NOT NULL,
    clusters_found pg_catalog.int4        NOT NULL,
    accounts_flagged pg_catalog.int8      NOT NULL,
    stage_seconds  pg_catalog.jsonb       NOT NULL
);
COMMENT ON TABLE sybil.runs IS 'One row per detection run of sybil.detect';
COMMENT ON COLUMN sybil.runs.signals IS 'The signals the run could use, given the columns of the usage and accounts relations';
COMMENT ON COLUMN sybil.runs.settings IS 'Every setting the run used, defaults included';
COMMENT ON COLUMN sybil.runs.stage_seconds IS 'Wall-clock seconds of each stage';

CREATE TABLE sybil.clusters (
    run_id     pg_catalog.int8    NOT NULL REFERENCES sybil.runs ON DELETE CASCADE,
    cluster_id pg_catalog.int4    NOT NULL,
    score      pg_catalog.float8  NOT NULL,
    flagged    pg_catalog.bool    NOT NULL,
    size       pg_catalog.int4    NOT NULL,
    signals    pg_catalog.jsonb   NOT NULL,
    PRIMARY KEY (run_id, cluster_id)
);
COMMENT ON TABLE sybil.clusters IS 'Groups of linked accounts found by a run, with their score (0..1) and the strength of every signal';
COMMENT ON COLUMN sybil.clusters.flagged IS 'score >= the run''s score_threshold';
COMMENT ON COLUMN sybil.clusters.signals IS 'Per signal: its measured value and strength (0..1) for the cluster as a whole';

CREATE TABLE sybil.cluster_members (
    run_id     pg_catalog.int8   NOT NULL,
    cluster_id pg_catalog.int4   NOT NULL,
    account_id pg_catalog.int8   NOT NULL,
    score      pg_catalog.float8 NOT NULL,
    flagged    pg_catalog.bool   NOT NULL,
    features   pg_catalog.jsonb  NOT NULL,
    PRIMARY KEY (run_id, account_id),
    FOREIGN KEY (run_id, cluster_id) REFERENCES sybil.clusters ON DELETE CASCADE
);
CREATE INDEX cluster_members_cluster ON sybil.cluster_members (run_id, cluster_id);
COMMENT ON TABLE sybil.cluster_members IS 'The accounts of each cluster, with their own score and features';
COMMENT ON COLUMN sybil.cluster_members.flagged IS 'The account is reported: its cluster is flagged and the account itself shows most of the cluster''s signals';

CREATE TABLE sybil.cluster_evidence (
    run_id     pg_catalog.int8  NOT NULL,
    cluster_id pg_catalog.int4  NOT NULL,
    kind       pg_catalog.text  NOT NULL,
    detail     pg_catalog.jsonb NOT NULL,
    PRIMARY KEY (run_id, cluster_id, kind),
    FOREIGN KEY (run_id, cluster_id) REFERENCES sybil.clusters ON DELETE CASCADE
);
COMMENT ON TABLE sybil.cluster_evidence IS 'What an analyst reads about a cluster: kind shared_attributes (the most shared tokens by kind), templates (shared prompt openings with an example), timeline (events per day), topics (the cluster''s and its members'' topic coverage), signup (account creation spread)';

SELECT pg_catalog.pg_extension_config_dump('sybil.runs', '');
COMMENT ON SEQUENCE sybil.runs_run_id_seq IS 'Run numbers of sybil.runs.run_id';
SELECT pg_catalog.pg_extension_config_dump('sybil.runs_run_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('sybil.clusters', '');
SELECT pg_catalog.pg_extension_config_dump('sybil.cluster_members', '');
SELECT pg_catalog.pg_extension_config_dump('sybil.cluster_evidence', '');
