package sqlstore

import (
	"context"
	"sort"

	"sluice"
)

// The snapshot reads one query per table. Execution ids and versions travel as one JSON
// array parameter (json_each), so each statement has a fixed text and stays prepared.
// A unary + keeps SQLite from choosing the pipeline index over the primary key when the
// ids already pick the rows.
const (
	qSnapActive = `SELECT ` + executionCols + ` FROM executions
WHERE pipeline_name = ? AND status IN ('InProgress', 'Stopping') ORDER BY seq`
	qSnapIncluded = `SELECT ` + executionCols + ` FROM executions
WHERE +pipeline_name = ? AND id IN (SELECT value FROM json_each(?))`
	qSnapStageRuns = `SELECT ` + stageRunCols + ` FROM stage_runs
WHERE execution_id IN (SELECT value FROM json_each(?)) ORDER BY start_time, rowid`
	qSnapActionRuns = `SELECT ` + actionRunCols + ` FROM action_runs
WHERE execution_id IN (SELECT value FROM json_each(?)) ORDER BY start_time, rowid`
	qSnapRuleRuns = `SELECT ` + ruleRunCols + ` FROM rule_runs
WHERE execution_id IN (SELECT value FROM json_each(?)) ORDER BY start_time, rowid`
	qSnapJobs = `SELECT ` + jobCols + ` FROM jobs
WHERE execution_id IN (SELECT value FROM json_each(?))
  AND status IN ('Queued', 'Dispatched', 'InProgress') ORDER BY created_at, rowid`
	qSnapVersions = `SELECT version, declaration FROM pipeline_versions
WHERE pipeline_name = ? AND version IN (SELECT value FROM json_each(?))`
	qStages = `SELECT stage_name, enabled, disabled_reason, last_changed_by, last_changed_at,
latest_execution_id FROM stage_state WHERE pipeline_name = ?`
)

// Snapshot reads the pipeline, its active executions plus those named by include and those
// a rollback needs (snapshot_rollback.go), their stage runs, action runs and rule runs
// (every attempt) and open jobs, the declarations they run, and the pipeline's stage state.
// Now is left zero for the engine to set.
func (t *tx) Snapshot(ctx context.Context, include ...string) (*sluice.Snapshot, error) {
	p, err := getPipeline(ctx, t.c, t.name)
	if err != nil {
		return nil, err
	}
	s := &sluice.Snapshot{
		Pipeline:     p,
		Declarations: map[int]*sluice.PipelineDeclaration{p.Declaration.Version: &p.Declaration},
	}
	if s.Stages, err = loadStages(ctx, t.c, t.name); err != nil {
		return nil, err
	}
	if s.Executions, err = t.snapExecutions(ctx, include); err != nil {
		return nil, err
	}
	if err := t.loadRollbacks(ctx, s); err != nil {
		return nil, err
	}
	if len(s.Executions) == 0 {
		return s, nil
	}
	if err := t.loadRuns(ctx, s); err != nil {
		return nil, err
	}
	return s, nil
}

// snapExecutions reads the active executions (a walk of a small partial index, already in
// Seq order) and then the included ones by primary key; two plain queries cost less than
// one UNION that sorts whole rows to remove duplicates.
func (t *tx) snapExecutions(ctx context.Context, include []string) ([]*sluice.Execution, error) {
	active, err := queryAll(ctx, t.c, scanOneExecution, qSnapActive, t.name)
	if err != nil || len(include) == 0 {
		return active, err
	}
	more, err := t.executionsByID(ctx, include)
	if err != nil {
		return nil, err
	}
	loaded := make(map[string]bool, len(active))
	for _, e := range active {
		loaded[e.ID] = true
	}
	for _, e := range more {
		if !loaded[e.ID] {
			active = append(active, e)
		}
	}
	sort.SliceStable(active, func(i, j int) bool { return active[i].Seq < active[j].Seq })
	return active, nil
}

// executionsByID reads the pipeline's executions of ids, in no particular order.
func (t *tx) executionsByID(ctx context.Context, ids []string) ([]*sluice.Execution, error) {
	idj, err := toJSON(ids)
	if err != nil {
		return nil, err
	}
	return queryAll(ctx, t.c, scanOneExecution, qSnapIncluded, t.name, idj)
}

// loadRuns fills the rows that hang off the snapshot's executions.
func (t *tx) loadRuns(ctx context.Context, s *sluice.Snapshot) error {
	ids := make([]string, len(s.Executions))
	var versions []int
	for i, e := range s.Executions {
		ids[i] = e.ID
		if _, ok := s.Declarations[e.PipelineVersion]; !ok {
			s.Declarations[e.PipelineVersion] = nil // loaded below
			versions = append(versions, e.PipelineVersion)
		}
	}
	idj, err := toJSON(ids)
	if err != nil {
		return err
	}
	if s.StageRuns, err = queryAll(ctx, t.c, scanStageRun, qSnapStageRuns, idj); err != nil {
		return err
	}
	if s.ActionRuns, err = queryAll(ctx, t.c, scanOneActionRun, qSnapActionRuns, idj); err != nil {
		return err
	}
	if s.RuleRuns, err = queryAll(ctx, t.c, scanOneRuleRun, qSnapRuleRuns, idj); err != nil {
		return err
	}
	if s.Jobs, err = queryAll(ctx, t.c, scanOneJob, qSnapJobs, idj); err != nil {
		return err
	}
	return t.loadVersions(ctx, s, versions)
}

func (t *tx) loadVersions(ctx context.Context, s *sluice.Snapshot, versions []int) error {
	if len(versions) == 0 {
		return nil
	}
	vj, err := toJSON(versions)
	if err != nil {
		return err
	}
	rows, err := t.c.query(ctx, qSnapVersions, t.name, vj)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var (
			v    int
			body string
		)
		if err := rows.Scan(&v, &body); err != nil {
			return err
		}
		d, err := decls.decode(body)
		if err != nil {
			return err
		}
		d.Version = v
		s.Declarations[v] = &d
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for v, d := range s.Declarations {
		if d == nil { // an execution names a version that was never stored
			delete(s.Declarations, v)
		}
	}
	return nil
}

// loadStages reads every stage_state row of the pipeline, by stage name.
func loadStages(ctx context.Context, c conn, pipeline string) (map[string]*sluice.StageState, error) {
	rows, err := c.query(ctx, qStages, pipeline)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]*sluice.StageState{}
	for rows.Next() {
		var (
			name    string
			s       sluice.StageState
			changed int64
		)
		tr := &s.Transition
		if err := rows.Scan(&name, &tr.Enabled, &tr.DisabledReason, &tr.LastChangedBy, &changed,
			&s.LatestExecutionID); err != nil {
			return nil, err
		}
		tr.LastChangedAt = tm(changed)
		out[name] = &s
	}
	return out, rows.Err()
}

// scanOneExecution and scanOneActionRun fit collect, which passes no extra columns.
func scanOneExecution(sc scanner) (*sluice.Execution, error) { return scanExecution(sc) }
func scanOneActionRun(sc scanner) (*sluice.ActionRun, error) { return scanActionRun(sc) }
