-- 0001: the whole state of a Sluice server. Times are unix nanoseconds UTC (0 = unset).
-- Columns the store filters, orders or guards on are real columns; the rest of a row (maps,
-- slices, declarations) is JSON text. Never edit this file after release: add 0002_... instead.

CREATE TABLE pipelines (
    name    TEXT PRIMARY KEY,
    arn     TEXT NOT NULL,
    version INTEGER NOT NULL,
    created INTEGER NOT NULL,
    updated INTEGER NOT NULL
) STRICT;

CREATE TABLE pipeline_versions (
    pipeline_name TEXT NOT NULL REFERENCES pipelines (name) ON DELETE CASCADE,
    version       INTEGER NOT NULL,
    declaration   TEXT NOT NULL,
    PRIMARY KEY (pipeline_name, version)
) STRICT;

CREATE TABLE executions (
    id               TEXT PRIMARY KEY,
    pipeline_name    TEXT NOT NULL REFERENCES pipelines (name) ON DELETE CASCADE,
    pipeline_version INTEGER NOT NULL,
    status           TEXT NOT NULL,
    status_summary   TEXT NOT NULL,
    mode             TEXT NOT NULL,
    trigger_type     TEXT NOT NULL,
    trigger_detail   TEXT NOT NULL,
    stop_reason      TEXT NOT NULL,
    stop_abandon     INTEGER NOT NULL,
    attempt          INTEGER NOT NULL,
    client_token     TEXT NOT NULL,
    waiting_at       TEXT NOT NULL,
    seq              INTEGER NOT NULL,
    start_time       INTEGER NOT NULL,
    last_update_time INTEGER NOT NULL,
    body             TEXT NOT NULL -- JSON: variables, revisions
) STRICT;

-- MAX(seq) for the next sequence value, and the cascade from pipelines.
CREATE INDEX executions_by_seq ON executions (pipeline_name, seq);
-- ListExecutions: newest first.
CREATE INDEX executions_by_start ON executions (pipeline_name, start_time, seq);
-- Snapshot, ActivePipelines and the waiting line: only the few active rows are indexed.
CREATE INDEX executions_active ON executions (pipeline_name, seq)
    WHERE status IN ('InProgress', 'Stopping');
CREATE INDEX executions_by_token ON executions (pipeline_name, client_token)
    WHERE client_token <> '';

CREATE TABLE stage_runs (
    execution_id     TEXT NOT NULL REFERENCES executions (id) ON DELETE CASCADE,
    stage_name       TEXT NOT NULL,
    pipeline_name    TEXT NOT NULL,
    status           TEXT NOT NULL,
    attempt          INTEGER NOT NULL,
    base_attempt     INTEGER NOT NULL,
    start_time       INTEGER NOT NULL,
    last_update_time INTEGER NOT NULL,
    PRIMARY KEY (execution_id, stage_name)
) STRICT;

-- PipelineState: the latest run of each stage.
CREATE INDEX stage_runs_latest ON stage_runs (pipeline_name, stage_name, start_time);

CREATE TABLE action_runs (
    id                     TEXT PRIMARY KEY,
    execution_id           TEXT NOT NULL REFERENCES executions (id) ON DELETE CASCADE,
    pipeline_name          TEXT NOT NULL,
    stage_name             TEXT NOT NULL,
    action_name            TEXT NOT NULL,
    stage_attempt          INTEGER NOT NULL,
    pipeline_version       INTEGER NOT NULL,
    status                 TEXT NOT NULL,
    start_time             INTEGER NOT NULL,
    last_update_time       INTEGER NOT NULL,
    updated_by             TEXT NOT NULL,
    summary                TEXT NOT NULL,
    external_execution_id  TEXT NOT NULL,
    external_execution_url TEXT NOT NULL,
    percent_complete       INTEGER NOT NULL,
    error_code             TEXT NOT NULL,
    error_message          TEXT NOT NULL,
    token                  TEXT NOT NULL,
    deadline               INTEGER NOT NULL,
    body                   TEXT NOT NULL -- JSON: configuration, artifacts, variables, revision
) STRICT;

-- Snapshot and ListActionRuns of one execution (rowid breaks StartTime ties).
CREATE INDEX action_runs_by_execution ON action_runs (execution_id, start_time);
-- ListActionRuns of a pipeline: newest first.
CREATE INDEX action_runs_by_pipeline ON action_runs (pipeline_name, start_time);
-- PipelineState: the latest attempt of each action.
CREATE INDEX action_runs_latest ON action_runs (pipeline_name, stage_name, action_name, start_time);
-- DueActions and NextDeadline: only running actions with a deadline are indexed.
CREATE INDEX action_runs_due ON action_runs (deadline)
    WHERE status = 'InProgress' AND deadline > 0;

CREATE TABLE jobs (
    id               TEXT PRIMARY KEY,
    action_run_id    TEXT NOT NULL,
    execution_id     TEXT NOT NULL REFERENCES executions (id) ON DELETE CASCADE,
    pipeline_name    TEXT NOT NULL,
    stage_name       TEXT NOT NULL,
    action_name      TEXT NOT NULL,
    category         TEXT NOT NULL,
    owner            TEXT NOT NULL,
    provider         TEXT NOT NULL,
    version          TEXT NOT NULL,
    status           TEXT NOT NULL,
    nonce            TEXT NOT NULL,
    worker           TEXT NOT NULL,
    lease_expires_at INTEGER NOT NULL,
    deadline         INTEGER NOT NULL,
    data             TEXT NOT NULL, -- JSON: JobData
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
) STRICT;

-- Snapshot (open jobs of loaded executions) and the cascade from executions. Status is
-- left out so that a job's transitions do not rewrite this index.
CREATE INDEX jobs_by_execution ON jobs (execution_id);
-- ClaimJobs, oldest first. Only queued rows are indexed and the queue is short, so a claim
-- for given types filters this index rather than paying for a second one on every write.
CREATE INDEX jobs_queued ON jobs (created_at) WHERE status = 'Queued';
-- ExpiredJobs: the rescuer's scan.
CREATE INDEX jobs_leased ON jobs (lease_expires_at) WHERE status IN ('Dispatched', 'InProgress');

CREATE TABLE stage_state (
    pipeline_name       TEXT NOT NULL REFERENCES pipelines (name) ON DELETE CASCADE,
    stage_name          TEXT NOT NULL,
    enabled             INTEGER NOT NULL,
    disabled_reason     TEXT NOT NULL,
    last_changed_by     TEXT NOT NULL,
    last_changed_at     INTEGER NOT NULL,
    latest_execution_id TEXT NOT NULL,
    PRIMARY KEY (pipeline_name, stage_name)
) STRICT;

CREATE TABLE outbox (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    pipeline_name TEXT NOT NULL,
    payload       TEXT NOT NULL, -- JSON: sluice.Event
    created       INTEGER NOT NULL
) STRICT;

CREATE TABLE tags (
    arn   TEXT NOT NULL,
    key   TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (arn, key)
) STRICT;

CREATE TABLE repositories (
    name           TEXT PRIMARY KEY,
    id             TEXT NOT NULL,
    description    TEXT NOT NULL,
    arn            TEXT NOT NULL,
    default_branch TEXT NOT NULL,
    created        INTEGER NOT NULL,
    updated        INTEGER NOT NULL
) STRICT;

CREATE TABLE access_keys (
    id        TEXT PRIMARY KEY,
    secret    TEXT NOT NULL,
    principal TEXT NOT NULL,
    created   INTEGER NOT NULL
) STRICT;
