-- PutApprovalResult finds the execution holding an approval token, answered or not.
CREATE INDEX action_runs_by_token ON action_runs (pipeline_name, token) WHERE token <> '';
