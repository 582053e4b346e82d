package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"sluice"
)

var _ sluice.DeployTargetStore = executor{}

const (
	deployTargetCols = `action_run_id, target_id, target_type, status, start_time, end_time, events`
	// The INSERT takes its row from the action run, so an unknown run inserts nothing.
	qPutDeployTarget = `INSERT INTO deploy_targets (` + deployTargetCols + `)
SELECT id, ?2, ?3, ?4, ?5, ?6, ?7 FROM action_runs WHERE id = ?1
ON CONFLICT (action_run_id, target_id) DO UPDATE SET target_type = excluded.target_type,
status = excluded.status, start_time = excluded.start_time, end_time = excluded.end_time, events = excluded.events`
	// ?3 is a JSON list of statuses; an empty list keeps every target.
	qDeployTargets = `SELECT ` + deployTargetCols + ` FROM deploy_targets
WHERE action_run_id = ?1 AND target_id > ?2
AND (?3 = '[]' OR status IN (SELECT value FROM json_each(?3)))
ORDER BY target_id LIMIT ?4`
	qActionRunPipeline = `SELECT pipeline_name FROM action_runs WHERE id = ?`
)

func scanDeployTarget(sc scanner) (*sluice.DeployTarget, error) {
	var (
		t          sluice.DeployTarget
		start, end int64
		events     string
	)
	if err := sc.Scan(&t.ActionRunID, &t.TargetID, &t.TargetType, &t.Status, &start, &end, &events); err != nil {
		return nil, err
	}
	t.StartTime, t.EndTime = tm(start), tm(end)
	return &t, fromJSON(events, &t.Events)
}

func actionRunNotFound(id string) error {
	return sluice.Errorf(sluice.ENotFound, "ActionExecution", "action execution '%s' not found", id)
}

// PutDeployTarget records t, replacing the record of the same action run and target id
// (ENotFound/ActionExecution when the action run does not exist).
func (e executor) PutDeployTarget(ctx context.Context, t *sluice.DeployTarget) error {
	events := t.Events
	if events == nil {
		events = []sluice.DeployTargetEvent{}
	}
	js, err := toJSON(events)
	if err != nil {
		return err
	}
	ok, err := e.wr().execOne(ctx, qPutDeployTarget, t.ActionRunID, t.TargetID, t.TargetType, t.Status, ts(t.StartTime), ts(t.EndTime), js)
	if err != nil || ok {
		return err
	}
	return actionRunNotFound(t.ActionRunID)
}

// ListDeployTargets returns one page of an action run's targets, by target id.
func (e executor) ListDeployTargets(ctx context.Context, f sluice.DeployTargetFilter) ([]*sluice.DeployTarget, string, error) {
	limit, cur, err := parsePage(f.Page, "deploytargets")
	if err != nil {
		return nil, "", err
	}
	statuses := f.Statuses
	if statuses == nil {
		statuses = []string{}
	}
	js, err := toJSON(statuses)
	if err != nil {
		return nil, "", err
	}
	rows, err := queryAll(ctx, e.rd(), scanDeployTarget, qDeployTargets, f.ActionRunID, cur.Name, js, limit+1)
	if err != nil {
		return nil, "", err
	}
	rows, next := trim(rows, limit, func(t *sluice.DeployTarget) cursor {
		return cursor{Kind: "deploytargets", Name: t.TargetID}
	})
	return rows, next, nil
}

// ActionRunPipeline names the pipeline of an action run (ENotFound/ActionExecution).
func (e executor) ActionRunPipeline(ctx context.Context, id string) (string, error) {
	var name string
	err := e.rd().queryRow(ctx, qActionRunPipeline, id).Scan(&name)
	if errors.Is(err, sql.ErrNoRows) {
		return "", actionRunNotFound(id)
	}
	return name, err
}
