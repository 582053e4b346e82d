-- 0021: the targets of deploy action executions (ListDeployActionExecutionTargets), written
-- by the providers that deploy to hosts. They go with their action run.

CREATE TABLE deploy_targets (
    action_run_id TEXT NOT NULL REFERENCES action_runs (id) ON DELETE CASCADE,
    target_id     TEXT NOT NULL,
    target_type   TEXT NOT NULL,
    status        TEXT NOT NULL,
    start_time    INTEGER NOT NULL, -- 0 when not started
    end_time      INTEGER NOT NULL, -- 0 while running
    events        TEXT NOT NULL,    -- JSON list of DeployTargetEvent
    PRIMARY KEY (action_run_id, target_id)
) STRICT;
