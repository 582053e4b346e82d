-- 0025: retention. PruneExecutions keeps every execution a stored ROLLBACK execution targets;
-- rollbacks are few, so only they are indexed, with their target. The expressions are the
-- ones the shared statements become (pgRewrite), so the planner matches them.

CREATE INDEX executions_rollbacks ON executions (pipeline_name, (CAST(body AS jsonb) #>> '{rollbackTarget}'))
    WHERE (CAST(body AS jsonb) #>> '{type}') = 'ROLLBACK';
