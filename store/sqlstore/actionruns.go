package sqlstore

import (
	"context"

	"sluice"
)

const actionRunCols = `id, execution_id, stage_name, action_name, stage_attempt, pipeline_version,
status, start_time, last_update_time, updated_by, summary, external_execution_id,
external_execution_url, percent_complete, error_code, error_message, token, deadline, body`

const (
	qInsertActionRun = `INSERT INTO action_runs (` + actionRunCols + `, pipeline_name)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)
ON CONFLICT (id) DO NOTHING`
	qUpdateActionRun = `UPDATE action_runs SET stage_name = ?3, action_name = ?4, stage_attempt = ?5,
pipeline_version = ?6, status = ?7, start_time = ?8, last_update_time = ?9, updated_by = ?10,
summary = ?11, external_execution_id = ?12, external_execution_url = ?13, percent_complete = ?14,
error_code = ?15, error_message = ?16, token = ?17, deadline = ?18, body = ?19
WHERE id = ?1 AND execution_id = ?2 AND pipeline_name = ?20 AND status = ?21`
)

// actionRunBody holds the action run's maps and slices, kept as one JSON column.
type actionRunBody struct {
	ResolvedConfiguration map[string]string    `json:"resolvedConfiguration,omitempty"`
	InputArtifacts        []sluice.ArtifactRef `json:"inputArtifacts,omitempty"`
	OutputArtifacts       []sluice.ArtifactRef `json:"outputArtifacts,omitempty"`
	OutputVariables       map[string]string    `json:"outputVariables,omitempty"`
	Revision              *sluice.Revision     `json:"revision,omitempty"`
}

func scanActionRun(sc scanner, extra ...any) (*sluice.ActionRun, error) {
	var (
		r                        sluice.ActionRun
		start, updated, deadline int64
		body                     string
		b                        actionRunBody
	)
	dest := append([]any{&r.ID, &r.ExecutionID, &r.StageName, &r.ActionName, &r.StageAttempt,
		&r.PipelineVersion, &r.Status, &start, &updated, &r.UpdatedBy, &r.Summary,
		&r.ExternalExecutionID, &r.ExternalExecutionURL, &r.PercentComplete, &r.ErrorCode,
		&r.ErrorMessage, &r.Token, &deadline, &body}, extra...)
	if err := sc.Scan(dest...); err != nil {
		return nil, err
	}
	if err := fromJSON(body, &b); err != nil {
		return nil, err
	}
	r.StartTime, r.LastUpdateTime, r.Deadline = tm(start), tm(updated), tm(deadline)
	r.ResolvedConfiguration, r.InputArtifacts, r.OutputArtifacts = b.ResolvedConfiguration, b.InputArtifacts, b.OutputArtifacts
	r.OutputVariables, r.Revision = b.OutputVariables, b.Revision
	return &r, nil
}

// applyActionRun inserts or guard-updates one action run (key: its id).
func (t *tx) applyActionRun(ctx context.Context, ch sluice.Change[sluice.ActionRun, sluice.ActionStatus]) error {
	r := ch.Row
	body, err := toJSON(actionRunBody{r.ResolvedConfiguration, r.InputArtifacts, r.OutputArtifacts,
		r.OutputVariables, r.Revision})
	if err != nil {
		return err
	}
	args := []any{r.ID, r.ExecutionID, r.StageName, r.ActionName, r.StageAttempt, r.PipelineVersion,
		r.Status, ts(r.StartTime), ts(r.LastUpdateTime), r.UpdatedBy, r.Summary, r.ExternalExecutionID,
		r.ExternalExecutionURL, r.PercentComplete, r.ErrorCode, r.ErrorMessage, r.Token,
		ts(r.Deadline), body, t.name}
	query := qInsertActionRun
	if !ch.Insert {
		query, args = qUpdateActionRun, append(args, ch.From)
	}
	ok, err := t.c.execOne(ctx, query, args...)
	if ok && ch.Insert && !r.Deadline.IsZero() {
		t.notify(ctx, sluice.TopicTimers)
	}
	if err != nil || ok {
		return err
	}
	return conflict("Action", ch.Insert, "action run "+r.ID, string(ch.From))
}
