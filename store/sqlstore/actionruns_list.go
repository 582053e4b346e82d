package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"sluice"
)

// Newest first; rowid breaks StartTime ties so the order (and the page cursor) is total.
// The unary + keeps the execution's index in use when an execution is named.
const (
	qActionRunsOfPipeline = `SELECT ` + actionRunCols + `, rowid FROM action_runs
WHERE pipeline_name = ?1 AND (start_time, rowid) < (?2, ?3)
ORDER BY start_time DESC, rowid DESC LIMIT ?4`
	qActionRunsOfExecution = `SELECT ` + actionRunCols + `, rowid FROM action_runs
WHERE execution_id = ?5 AND +pipeline_name = ?1 AND (start_time, rowid) < (?2, ?3)
ORDER BY start_time DESC, rowid DESC LIMIT ?4`
	qActionRun = `SELECT ` + actionRunCols + ` FROM action_runs WHERE id = ? AND pipeline_name = ?`
)

// ListActionRuns returns the pipeline's action runs (of one execution when f.ExecutionID is
// set) newest first.
func (db *DB) ListActionRuns(ctx context.Context, pipeline string, f sluice.ActionRunFilter) ([]*sluice.ActionRun, string, error) {
	limit, cur, err := parsePage(f.Page, "actionruns")
	if err != nil {
		return nil, "", err
	}
	query, args := qActionRunsOfPipeline, []any{pipeline, cur.Time, cur.Row, limit + 1}
	if f.ExecutionID != "" {
		query, args = qActionRunsOfExecution, append(args, f.ExecutionID)
	}
	rows, err := queryAll(ctx, db.reader(), withRowid(scanActionRun), query, args...)
	if err != nil {
		return nil, "", err
	}
	rows, next := trim(rows, limit, func(r *ranked[sluice.ActionRun]) cursor {
		return cursor{Kind: "actionruns", Time: ts(r.v.StartTime), Row: r.rowid}
	})
	return values(rows), next, nil
}

// GetActionRun returns one action run of the pipeline (ENotFound/ActionExecution).
func (db *DB) GetActionRun(ctx context.Context, pipeline, id string) (*sluice.ActionRun, error) {
	r, err := scanActionRun(db.reader().queryRow(ctx, qActionRun, id, pipeline))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, sluice.Errorf(sluice.ENotFound, "ActionExecution",
			"action execution '%s' of pipeline '%s' not found", id, pipeline)
	}
	return r, err
}
