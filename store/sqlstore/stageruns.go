package sqlstore

import (
	"context"

	"sluice"
)

const stageRunCols = `execution_id, stage_name, status, attempt, base_attempt, start_time, last_update_time, body`

const (
	qInsertStageRun = `INSERT INTO stage_runs (execution_id, stage_name, pipeline_name, status, attempt,
base_attempt, start_time, last_update_time, body) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
ON CONFLICT (execution_id, stage_name) DO NOTHING`
	qUpdateStageRun = `UPDATE stage_runs SET status = ?4, attempt = ?5, base_attempt = ?6, start_time = ?7,
last_update_time = ?8, body = ?9
WHERE execution_id = ?1 AND stage_name = ?2 AND pipeline_name = ?3 AND status = ?10`
)

// stageRunBody holds the stage run's condition evaluations and retry counts, kept as one
// JSON column ("{}" for a stage without conditions or retries).
type stageRunBody struct {
	Conditions         []sluice.ConditionRun `json:"conditions,omitempty"`
	AutoRetries        int                   `json:"autoRetries,omitempty"`
	ManualRetries      int                   `json:"manualRetries,omitempty"`
	LatestRetryTrigger string                `json:"latestRetryTrigger,omitempty"`
}

func scanStageRun(sc scanner) (*sluice.StageRun, error) {
	var (
		r              sluice.StageRun
		start, updated int64
		body           string
		b              stageRunBody
	)
	if err := sc.Scan(&r.ExecutionID, &r.StageName, &r.Status, &r.Attempt, &r.BaseAttempt, &start, &updated, &body); err != nil {
		return nil, err
	}
	if err := fromJSON(body, &b); err != nil {
		return nil, err
	}
	r.StartTime, r.LastUpdateTime = tm(start), tm(updated)
	r.Conditions, r.AutoRetries, r.ManualRetries, r.LatestRetryTrigger = b.Conditions, b.AutoRetries, b.ManualRetries, b.LatestRetryTrigger
	return &r, nil
}

// applyStageRun inserts or guard-updates one stage run (key: execution id and stage name).
func (t *tx) applyStageRun(ctx context.Context, ch sluice.Change[sluice.StageRun, sluice.StageStatus]) error {
	r := ch.Row
	body, err := toJSON(stageRunBody{r.Conditions, r.AutoRetries, r.ManualRetries, r.LatestRetryTrigger})
	if err != nil {
		return err
	}
	args := []any{r.ExecutionID, r.StageName, t.name, r.Status, r.Attempt, r.BaseAttempt,
		ts(r.StartTime), ts(r.LastUpdateTime), body}
	query := qInsertStageRun
	if !ch.Insert {
		query, args = qUpdateStageRun, append(args, ch.From)
	}
	ok, err := t.c.execOne(ctx, query, args...)
	if err != nil || ok {
		return err
	}
	return conflict("Stage", ch.Insert, "stage run "+r.ExecutionID+"/"+r.StageName, string(ch.From))
}
