-- 0023: stage conditions and rollbacks. A rule run is one evaluation of one rule of a stage's
-- condition, kept like an action run; a stage run's conditions and retry counts, and an
-- execution's type and rollback target, live in their rows' JSON bodies.

CREATE TABLE rule_runs (
    id                     TEXT PRIMARY KEY,
    execution_id           TEXT NOT NULL REFERENCES executions (id) ON DELETE CASCADE,
    pipeline_name          TEXT NOT NULL,
    stage_name             TEXT NOT NULL,
    stage_attempt          INTEGER NOT NULL,
    condition_type         TEXT NOT NULL,
    rule_name              TEXT NOT NULL,
    pipeline_version       INTEGER NOT NULL,
    status                 TEXT NOT NULL,
    start_time             INTEGER NOT NULL,
    last_update_time       INTEGER NOT NULL,
    updated_by             TEXT NOT NULL,
    summary                TEXT NOT NULL,
    external_execution_id  TEXT NOT NULL,
    external_execution_url TEXT NOT NULL,
    error_code             TEXT NOT NULL,
    error_message          TEXT NOT NULL,
    deadline               INTEGER NOT NULL,
    body                   TEXT NOT NULL -- JSON: rule type, configurations, role, region, artifacts
) STRICT;

-- Snapshot and ListRuleRuns of one execution (rowid breaks StartTime ties), and the cascade.
CREATE INDEX rule_runs_by_execution ON rule_runs (execution_id, start_time);
-- ListRuleRuns of a pipeline: newest first.
CREATE INDEX rule_runs_by_pipeline ON rule_runs (pipeline_name, start_time);
-- PipelineState: the latest evaluation of each declared rule.
CREATE INDEX rule_runs_latest ON rule_runs (pipeline_name, stage_name, condition_type, rule_name, start_time);
-- DueActions and NextDeadline: only running rules with a deadline are indexed.
CREATE INDEX rule_runs_due ON rule_runs (deadline)
    WHERE status = 'InProgress' AND deadline > 0;

-- JSON: conditions, retry counts and the latest retry's trigger.
ALTER TABLE stage_runs ADD COLUMN body TEXT NOT NULL DEFAULT '{}';

-- Snapshot's rollback targets: the newest executions of the current version, walked by Seq
-- until one whose run of the stage succeeded.
CREATE INDEX executions_by_version ON executions (pipeline_name, pipeline_version, seq);
