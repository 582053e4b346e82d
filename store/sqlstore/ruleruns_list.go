package sqlstore

import (
	"context"

	"sluice"
)

// Newest first; rowid breaks StartTime ties so the order (and the page cursor) is total.
// The unary + keeps the execution's index in use when an execution is named.
const (
	qRuleRunsOfPipeline = `SELECT ` + ruleRunCols + `, rowid FROM rule_runs
WHERE pipeline_name = ?1 AND (start_time, rowid) < (?2, ?3)
ORDER BY start_time DESC, rowid DESC LIMIT ?4`
	qRuleRunsOfExecution = `SELECT ` + ruleRunCols + `, rowid FROM rule_runs
WHERE execution_id = ?5 AND +pipeline_name = ?1 AND (start_time, rowid) < (?2, ?3)
ORDER BY start_time DESC, rowid DESC LIMIT ?4`
	// Whether the pipeline exists, and the execution ("" for any) is one of its.
	qRuleRunScope = `SELECT EXISTS (SELECT 1 FROM pipelines WHERE name = ?1),
  ?2 = '' OR EXISTS (SELECT 1 FROM executions WHERE id = ?2 AND pipeline_name = ?1)`
)

// ListRuleRuns returns the pipeline's rule runs (of one execution when f.ExecutionID is set)
// newest first. An unknown pipeline is ENotFound/Pipeline and an execution that is not the
// pipeline's ENotFound/PipelineExecution; only an empty page asks, since a rule run is
// always of an execution of its pipeline.
func (db *DB) ListRuleRuns(ctx context.Context, pipeline string, f sluice.RuleRunFilter) ([]*sluice.RuleRun, string, error) {
	limit, cur, err := parsePage(f.Page, "ruleruns")
	if err != nil {
		return nil, "", err
	}
	query, args := qRuleRunsOfPipeline, []any{pipeline, cur.Time, cur.Row, limit + 1}
	if f.ExecutionID != "" {
		query, args = qRuleRunsOfExecution, append(args, f.ExecutionID)
	}
	rows, err := queryAll(ctx, db.reader(), withRowid(scanRuleRun), query, args...)
	if err != nil {
		return nil, "", err
	}
	if len(rows) == 0 {
		return nil, "", db.ruleRunScope(ctx, pipeline, f.ExecutionID)
	}
	rows, next := trim(rows, limit, func(r *ranked[sluice.RuleRun]) cursor {
		return cursor{Kind: "ruleruns", Time: ts(r.v.StartTime), Row: r.rowid}
	})
	return values(rows), next, nil
}

// ruleRunScope says why a list of rule runs is empty: nil when the pipeline and execution
// exist and simply have none.
func (db *DB) ruleRunScope(ctx context.Context, pipeline, executionID string) error {
	var hasPipeline, hasExecution bool
	if err := db.reader().queryRow(ctx, qRuleRunScope, pipeline, executionID).Scan(&hasPipeline, &hasExecution); err != nil {
		return err
	}
	switch {
	case !hasPipeline:
		return pipelineNotFound(pipeline)
	case !hasExecution:
		return sluice.Errorf(sluice.ENotFound, "PipelineExecution",
			"pipeline execution '%s' of pipeline '%s' not found", executionID, pipeline)
	}
	return nil
}
