-- 0027: reads over a long history on PostgreSQL. The shared statements order the history by
-- (start_time, rowid) and pick the latest runs of a stage, action or rule by rowid
-- (state.go, page.go). SQLite's rowid is each table's key and ends each of its indexes;
-- here it is a column no index held, so PipelineState's `rowid IN (...)` scanned every stage
-- and action run, and the planner sorted a pipeline's whole history for a page of 100
-- (ListPipelineExecutions, ListActionExecutions of an execution). Each index below ends in
-- rowid, so every read is an index seek that reads only the rows it returns, and rowid
-- itself is indexed for the latest runs' lookups.

CREATE UNIQUE INDEX stage_runs_by_rowid ON stage_runs (rowid);
CREATE UNIQUE INDEX action_runs_by_rowid ON action_runs (rowid);
CREATE UNIQUE INDEX rule_runs_by_rowid ON rule_runs (rowid);

DROP INDEX executions_by_start;
CREATE INDEX executions_by_start ON executions (pipeline_name, start_time, seq, rowid);

DROP INDEX stage_runs_latest;
CREATE INDEX stage_runs_latest ON stage_runs (pipeline_name, stage_name, start_time, rowid);

DROP INDEX action_runs_by_execution;
CREATE INDEX action_runs_by_execution ON action_runs (execution_id, start_time, rowid);
DROP INDEX action_runs_by_pipeline;
CREATE INDEX action_runs_by_pipeline ON action_runs (pipeline_name, start_time, rowid);
DROP INDEX action_runs_latest;
CREATE INDEX action_runs_latest ON action_runs (pipeline_name, stage_name, action_name, start_time, rowid);

DROP INDEX rule_runs_by_execution;
CREATE INDEX rule_runs_by_execution ON rule_runs (execution_id, start_time, rowid);
DROP INDEX rule_runs_by_pipeline;
CREATE INDEX rule_runs_by_pipeline ON rule_runs (pipeline_name, start_time, rowid);
DROP INDEX rule_runs_latest;
CREATE INDEX rule_runs_latest ON rule_runs (pipeline_name, stage_name, condition_type, rule_name, start_time, rowid);
