package sqlstore

import (
	"context"

	"sluice"
)

const (
	// The latest run of each named stage (names as a JSON array), one index probe per stage.
	qLatestStageRuns = `SELECT ` + stageRunCols + ` FROM stage_runs WHERE rowid IN (
  SELECT (SELECT s.rowid FROM stage_runs s WHERE s.pipeline_name = ?1 AND s.stage_name = j.value
          ORDER BY s.start_time DESC, s.rowid DESC LIMIT 1)
  FROM json_each(?2) j)`
	// The latest attempt of each named action (["stage","action"] pairs as a JSON array).
	qLatestActionRuns = `SELECT ` + actionRunCols + ` FROM action_runs WHERE rowid IN (
  SELECT (SELECT a.rowid FROM action_runs a WHERE a.pipeline_name = ?1
            AND a.stage_name = j.value ->> 0 AND a.action_name = j.value ->> 1
          ORDER BY a.start_time DESC, a.rowid DESC LIMIT 1)
  FROM json_each(?2) j)`
	// The latest evaluation of every rule that has run in each named stage (names as a JSON
	// array). keys walks the distinct (condition, rule) pairs of each stage with one index
	// seek per pair, so the cost follows the number of rules, not the length of history
	// (the unary + strips the CTE columns' affinity, which would keep the seek to one column).
	qLatestRuleRuns = `WITH RECURSIVE keys (stage, cond, rule) AS (
  SELECT value, '', '' FROM json_each(?2)
  UNION ALL
  SELECT r.stage_name, r.condition_type, r.rule_name FROM keys k JOIN rule_runs r ON r.rowid = (
    SELECT x.rowid FROM rule_runs x WHERE x.pipeline_name = ?1 AND x.stage_name = k.stage
      AND (x.condition_type, x.rule_name) > (+k.cond, +k.rule)
    ORDER BY x.condition_type, x.rule_name LIMIT 1))
SELECT ` + ruleRunCols + ` FROM rule_runs WHERE rowid IN (
  SELECT (SELECT r.rowid FROM rule_runs r WHERE r.pipeline_name = ?1 AND r.stage_name = k.stage
            AND r.condition_type = k.cond AND r.rule_name = k.rule
          ORDER BY r.start_time DESC, r.rowid DESC LIMIT 1)
  FROM keys k WHERE k.cond <> '')`
	// The executions of the latest stage runs (ids as a JSON array).
	qLatestExecutions = `SELECT ` + executionCols + ` FROM executions
WHERE +pipeline_name = ? AND id IN (SELECT value FROM json_each(?))`
	qWaiting = `SELECT ` + executionCols + ` FROM executions
WHERE pipeline_name = ? AND status IN ('InProgress', 'Stopping') AND waiting_at <> ''
ORDER BY seq, id`
	qActivePipelines = `SELECT DISTINCT pipeline_name FROM executions
WHERE status IN ('InProgress', 'Stopping') ORDER BY pipeline_name`
)

// PipelineState reads, in one read transaction, the pipeline, its stage state, the latest
// run of each stage with its execution, the latest attempt of each action and the latest evaluation of each
// rule of the current declaration, and the active executions waiting in front of a stage.
func (db *DB) PipelineState(ctx context.Context, pipeline string) (*sluice.PipelineState, error) {
	var st sluice.PipelineState
	err := db.read(ctx, func(c conn) error {
		var err error
		if st.Pipeline, err = getPipeline(ctx, c, pipeline); err != nil {
			return err
		}
		if st.Stages, err = loadStages(ctx, c, pipeline); err != nil {
			return err
		}
		if err := latestRuns(ctx, c, &st); err != nil {
			return err
		}
		if err := latestRuleRuns(ctx, c, &st); err != nil {
			return err
		}
		st.Waiting, err = queryAll(ctx, c, scanOneExecution, qWaiting, pipeline)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &st, nil
}

func latestRuns(ctx context.Context, c conn, st *sluice.PipelineState) error {
	var stages []string
	var actions [][2]string
	for _, s := range st.Pipeline.Declaration.Stages {
		stages = append(stages, s.Name)
		for _, a := range s.Actions {
			actions = append(actions, [2]string{s.Name, a.Name})
		}
	}
	sj, err := toJSON(stages)
	if err != nil {
		return err
	}
	aj, err := toJSON(actions)
	if err != nil {
		return err
	}
	name := st.Pipeline.Declaration.Name
	srs, err := queryAll(ctx, c, scanStageRun, qLatestStageRuns, name, sj)
	if err != nil {
		return err
	}
	ars, err := queryAll(ctx, c, scanOneActionRun, qLatestActionRuns, name, aj)
	if err != nil {
		return err
	}
	st.LatestStageRuns = make(map[string]*sluice.StageRun, len(srs))
	ids := make([]string, 0, len(srs))
	for _, r := range srs {
		st.LatestStageRuns[r.StageName] = r
		ids = append(ids, r.ExecutionID)
	}
	ij, err := toJSON(ids)
	if err != nil {
		return err
	}
	execs, err := queryAll(ctx, c, scanOneExecution, qLatestExecutions, name, ij)
	if err != nil {
		return err
	}
	st.LatestExecutions = make(map[string]*sluice.Execution, len(execs))
	for _, e := range execs {
		st.LatestExecutions[e.ID] = e
	}
	st.LatestActionRuns = make(map[string]*sluice.ActionRun, len(ars))
	for _, r := range ars {
		st.LatestActionRuns[r.StageName+"/"+r.ActionName] = r
	}
	return nil
}

// latestRuleRuns keys the latest evaluation of each rule that has run in a stage of the
// current declaration (declared now or in an earlier version) by "stage/CONDITION_TYPE/rule".
func latestRuleRuns(ctx context.Context, c conn, st *sluice.PipelineState) error {
	var stages []string
	for _, s := range st.Pipeline.Declaration.Stages {
		stages = append(stages, s.Name)
	}
	sj, err := toJSON(stages)
	if err != nil {
		return err
	}
	rrs, err := queryAll(ctx, c, scanOneRuleRun, qLatestRuleRuns, st.Pipeline.Declaration.Name, sj)
	if err != nil {
		return err
	}
	st.LatestRuleRuns = make(map[string]*sluice.RuleRun, len(rrs))
	for _, r := range rrs {
		st.LatestRuleRuns[r.StageName+"/"+string(r.Condition)+"/"+r.RuleName] = r
	}
	return nil
}

// ActivePipelines names every pipeline with an InProgress or Stopping execution.
func (db *DB) ActivePipelines(ctx context.Context) ([]string, error) {
	rows, err := db.reader().query(ctx, qActivePipelines)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		names = append(names, n)
	}
	return names, rows.Err()
}
