-- 0025: retention. PruneExecutions keeps every execution a stored ROLLBACK execution targets;
-- rollbacks are few, so only they are indexed, with their target.

CREATE INDEX executions_rollbacks ON executions (pipeline_name, body ->> '$.rollbackTarget')
    WHERE body ->> '$.type' = 'ROLLBACK';
