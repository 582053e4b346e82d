package sqlstore

import (
	"context"

	"sluice"
)

const (
	qInsertExecution = `INSERT INTO executions (` + executionCols + `)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13,
  CASE WHEN ?14 > 0 THEN ?14
       ELSE (SELECT coalesce(max(seq), 0) + 1 FROM executions WHERE pipeline_name = ?2) END,
  ?15, ?16, ?17)
ON CONFLICT (id) DO NOTHING RETURNING seq`
	qUpdateExecution = `UPDATE executions SET pipeline_version = ?3, status = ?4, status_summary = ?5,
mode = ?6, trigger_type = ?7, trigger_detail = ?8, stop_reason = ?9, stop_abandon = ?10,
attempt = ?11, client_token = ?12, waiting_at = ?13, seq = ?14, start_time = ?15,
last_update_time = ?16, body = ?17
WHERE id = ?1 AND pipeline_name = ?2 AND status = ?18`
	qUpsertStage = `INSERT INTO stage_state (pipeline_name, stage_name, enabled, disabled_reason,
last_changed_by, last_changed_at, latest_execution_id) VALUES (?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (pipeline_name, stage_name) DO UPDATE SET enabled = excluded.enabled,
disabled_reason = excluded.disabled_reason, last_changed_by = excluded.last_changed_by,
last_changed_at = excluded.last_changed_at, latest_execution_id = excluded.latest_execution_id`
	qDeleteStage = `DELETE FROM stage_state WHERE pipeline_name = ? AND stage_name = ?`
	qInsertEvent = `INSERT INTO outbox (pipeline_name, payload, created) VALUES (?, ?, ?)`
)

// Apply writes plan in the order executions, stage runs, action runs, rule runs, jobs,
// stages, events, so parents exist before the rows that point at them. The first failed
// guard stops it with EConflict; the caller returns that error from Update, which rolls the
// whole plan back.
func (t *tx) Apply(ctx context.Context, plan *sluice.Plan) error {
	for _, ch := range plan.Executions {
		if err := t.applyExecution(ctx, ch); err != nil {
			return err
		}
	}
	for _, ch := range plan.StageRuns {
		if err := t.applyStageRun(ctx, ch); err != nil {
			return err
		}
	}
	for _, ch := range plan.ActionRuns {
		if err := t.applyActionRun(ctx, ch); err != nil {
			return err
		}
	}
	for _, ch := range plan.RuleRuns {
		if err := t.applyRuleRun(ctx, ch); err != nil {
			return err
		}
	}
	for _, ch := range plan.Jobs {
		if err := t.applyJob(ctx, ch); err != nil {
			return err
		}
	}
	if err := t.applyStages(ctx, plan.Stages); err != nil {
		return err
	}
	return t.applyEvents(ctx, plan.Events)
}

// applyExecution inserts or guard-updates one execution (key: its id). An inserted
// execution with Seq 0 gets the pipeline's next sequence number, written back into the row.
func (t *tx) applyExecution(ctx context.Context, ch sluice.Change[sluice.Execution, sluice.ExecutionStatus]) error {
	e := ch.Row
	body, err := toJSON(newExecutionBody(e))
	if err != nil {
		return err
	}
	args := []any{e.ID, t.name, e.PipelineVersion, e.Status, e.StatusSummary, e.Mode, e.Trigger.Type,
		e.Trigger.Detail, e.StopReason, bit(e.StopAbandon), e.Attempt, e.ClientToken, e.WaitingAt,
		e.Seq, ts(e.StartTime), ts(e.LastUpdateTime), body}
	if ch.Insert {
		rows, err := t.c.query(ctx, qInsertExecution, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		if rows.Next() {
			return rows.Scan(&e.Seq)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		return conflict("PipelineExecution", true, "execution "+e.ID, "")
	}
	ok, err := t.c.execOne(ctx, qUpdateExecution, append(args, ch.From)...)
	if err != nil || ok {
		return err
	}
	return conflict("PipelineExecution", false, "execution "+e.ID, string(ch.From))
}

// applyStages writes whole stage rows; a nil state deletes the row (back to the defaults).
func (t *tx) applyStages(ctx context.Context, stages map[string]*sluice.StageState) error {
	for name, s := range stages {
		var err error
		if s == nil {
			_, err = t.c.exec(ctx, qDeleteStage, t.name, name)
		} else {
			tr := s.Transition
			_, err = t.c.exec(ctx, qUpsertStage, t.name, name, bit(tr.Enabled), tr.DisabledReason,
				tr.LastChangedBy, ts(tr.LastChangedAt), s.LatestExecutionID)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// applyEvents appends the plan's events to the outbox, in the transaction of the change.
func (t *tx) applyEvents(ctx context.Context, events []sluice.Event) error {
	for i := range events {
		if err := addEvent(ctx, t.c, t.db.clock, t.name, &events[i]); err != nil {
			return err
		}
	}
	if len(events) > 0 {
		t.notify(ctx, sluice.TopicOutbox)
	}
	return nil
}

// addEvent appends one event to the outbox; a zero Time is stamped by clock.
func addEvent(ctx context.Context, c conn, clock sluice.Clock, pipeline string, ev *sluice.Event) error {
	payload, err := toJSON(ev)
	if err != nil {
		return err
	}
	created := ev.Time
	if created.IsZero() {
		created = clock.Now()
	}
	if err := lockLog(ctx, c); err != nil {
		return err
	}
	_, err = c.exec(ctx, qInsertEvent, pipeline, payload, ts(created))
	return err
}

// lockLog makes a transaction that appends to a log read by id (the outbox, the audit
// events) hold the dialect's lock until it commits, so that ids are in commit order.
func lockLog(ctx context.Context, c conn) error {
	if c.p.d.lockOutbox == "" {
		return nil
	}
	_, err := c.exec(ctx, c.p.d.lockOutbox)
	return err
}

// conflict is the error of a failed guard: the row changed (or exists) since the snapshot.
func conflict(resource string, insert bool, what, from string) error {
	if insert {
		return sluice.Errorf(sluice.EConflict, resource, "%s already exists", what)
	}
	return sluice.Errorf(sluice.EConflict, resource, "%s is no longer %s or does not exist", what, from)
}
