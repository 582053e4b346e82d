package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"sluice"
)

const executionCols = `id, pipeline_name, pipeline_version, status, status_summary, mode,
trigger_type, trigger_detail, stop_reason, stop_abandon, attempt, client_token, waiting_at,
seq, start_time, last_update_time, body`

const (
	qExecution = `SELECT ` + executionCols + ` FROM executions WHERE pipeline_name = ? AND id = ?`
	// Newest first; rowid breaks ties so the order (and the page cursor) is total.
	qExecutions = `SELECT ` + executionCols + `, rowid FROM executions
WHERE pipeline_name = ?1 AND (start_time, seq, rowid) < (?2, ?3, ?4)
  AND (?5 = '' OR EXISTS (SELECT 1 FROM stage_runs s
       WHERE s.execution_id = executions.id AND s.stage_name = ?5 AND s.status = 'Succeeded'))
ORDER BY start_time DESC, seq DESC, rowid DESC LIMIT ?6`
	qExecutionByApproval = `SELECT execution_id FROM action_runs
WHERE pipeline_name = ?1 AND token = ?2 AND token <> '' LIMIT 1`
	qExecutionByToken = `SELECT id FROM executions
WHERE pipeline_name = ? AND client_token = ? AND client_token <> '' LIMIT 1`
)

// executionBody holds the execution's maps and its rollback fields, kept as one JSON
// column; a field left empty is left out, so a STANDARD execution's body is what it was.
type executionBody struct {
	Variables      map[string]string          `json:"variables,omitempty"`
	Revisions      map[string]sluice.Revision `json:"revisions,omitempty"`
	Type           sluice.ExecutionType       `json:"type,omitempty"`
	RollbackTarget string                     `json:"rollbackTarget,omitempty"`
	RollbackStage  string                     `json:"rollbackStage,omitempty"`
}

func newExecutionBody(e *sluice.Execution) executionBody {
	return executionBody{e.Variables, e.Revisions, e.Type, e.RollbackTarget, e.RollbackStage}
}

func scanExecution(sc scanner, extra ...any) (*sluice.Execution, error) {
	var (
		e              sluice.Execution
		start, updated int64
		body           string
		b              executionBody
	)
	dest := append([]any{&e.ID, &e.PipelineName, &e.PipelineVersion, &e.Status, &e.StatusSummary,
		&e.Mode, &e.Trigger.Type, &e.Trigger.Detail, &e.StopReason, &e.StopAbandon, &e.Attempt,
		&e.ClientToken, &e.WaitingAt, &e.Seq, &start, &updated, &body}, extra...)
	if err := sc.Scan(dest...); err != nil {
		return nil, err
	}
	if err := fromJSON(body, &b); err != nil {
		return nil, err
	}
	e.StartTime, e.LastUpdateTime = tm(start), tm(updated)
	e.Variables, e.Revisions = b.Variables, b.Revisions
	e.Type, e.RollbackTarget, e.RollbackStage = b.Type, b.RollbackTarget, b.RollbackStage
	return &e, nil
}

// GetExecution returns one execution of the pipeline (ENotFound/PipelineExecution).
func (db *DB) GetExecution(ctx context.Context, pipeline, id string) (*sluice.Execution, error) {
	e, err := scanExecution(db.reader().queryRow(ctx, qExecution, pipeline, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, sluice.Errorf(sluice.ENotFound, "PipelineExecution",
			"pipeline execution '%s' of pipeline '%s' not found", id, pipeline)
	}
	return e, err
}

// ListExecutions returns the pipeline's executions newest first (by StartTime, then Seq).
func (db *DB) ListExecutions(ctx context.Context, pipeline string, f sluice.ExecutionFilter) ([]*sluice.Execution, string, error) {
	limit, cur, err := parsePage(f.Page, "executions")
	if err != nil {
		return nil, "", err
	}
	rows, err := queryAll(ctx, db.reader(), withRowid(scanExecution), qExecutions,
		pipeline, cur.Time, cur.Seq, cur.Row, f.SucceededInStage, limit+1)
	if err != nil {
		return nil, "", err
	}
	rows, next := trim(rows, limit, func(r *ranked[sluice.Execution]) cursor {
		return cursor{Kind: "executions", Time: ts(r.v.StartTime), Seq: r.v.Seq, Row: r.rowid}
	})
	return values(rows), next, nil
}

// ExecutionByClientToken returns the id of the execution started with token, or "".
// ExecutionByApprovalToken returns the execution of the action run holding token, or "".
func (t *tx) ExecutionByApprovalToken(ctx context.Context, token string) (string, error) {
	var id string
	err := t.c.queryRow(ctx, qExecutionByApproval, t.name, token).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return id, err
}

func (t *tx) ExecutionByClientToken(ctx context.Context, token string) (string, error) {
	var id string
	err := t.c.queryRow(ctx, qExecutionByToken, t.name, token).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return id, err
}
