package sqlstore

import (
	"context"
	"database/sql"
	"sort"

	"sluice"
)

// The newest execution of the current version, not itself a rollback, whose run of each
// named stage (names as a JSON array) succeeded: a walk of the version's executions down
// from the newest, which stops at the first one that qualifies.
const qRollbackTargets = `SELECT j.value, (SELECT e.id FROM executions e
  WHERE e.pipeline_name = ?1 AND e.pipeline_version = ?2
    AND e.body ->> '$.type' IS NOT 'ROLLBACK'
    AND EXISTS (SELECT 1 FROM stage_runs s
                WHERE s.execution_id = e.id AND s.stage_name = j.value AND s.status = 'Succeeded')
  ORDER BY e.seq DESC LIMIT 1)
FROM json_each(?3) j`

// loadRollbacks fills s.RollbackTargets and adds to s.Executions every execution a rollback
// needs: the target of each loaded rollback and each stage's target. A pipeline that neither
// declares a rollback nor has a rollback loaded runs no query here.
func (t *tx) loadRollbacks(ctx context.Context, s *sluice.Snapshot) error {
	stages := rollbackStages(&s.Pipeline.Declaration)
	if len(stages) > 0 {
		var err error
		if s.RollbackTargets, err = t.rollbackTargets(ctx, s.Pipeline.Declaration.Version, stages); err != nil {
			return err
		}
	}
	loaded := make(map[string]bool, len(s.Executions))
	for _, e := range s.Executions {
		loaded[e.ID] = true
	}
	var missing []string
	need := func(id string) {
		if id != "" && !loaded[id] {
			loaded[id] = true
			missing = append(missing, id)
		}
	}
	for _, e := range s.Executions {
		need(e.RollbackTarget)
	}
	for _, stage := range stages {
		need(s.RollbackTargets[stage])
	}
	if len(missing) == 0 {
		return nil
	}
	more, err := t.executionsByID(ctx, missing)
	if err != nil {
		return err
	}
	s.Executions = append(s.Executions, more...)
	sort.SliceStable(s.Executions, func(i, j int) bool { return s.Executions[i].Seq < s.Executions[j].Seq })
	return nil
}

// rollbackTargets maps each of stages to its rollback target; a stage without one is left
// out.
func (t *tx) rollbackTargets(ctx context.Context, version int, stages []string) (map[string]string, error) {
	sj, err := toJSON(stages)
	if err != nil {
		return nil, err
	}
	rows, err := t.c.query(ctx, qRollbackTargets, t.name, version, sj)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var (
			stage string
			id    sql.NullString
		)
		if err := rows.Scan(&stage, &id); err != nil {
			return nil, err
		}
		if id.Valid {
			out[stage] = id.String
		}
	}
	return out, rows.Err()
}

// rollbackStages names the stages of d that can roll back: onFailure's result, or a result
// of any of the stage's conditions, is ROLLBACK.
func rollbackStages(d *sluice.PipelineDeclaration) []string {
	var out []string
	for i := range d.Stages {
		if canRollBack(&d.Stages[i]) {
			out = append(out, d.Stages[i].Name)
		}
	}
	return out
}

func canRollBack(st *sluice.StageDeclaration) bool {
	var conds []sluice.Condition
	if f := st.OnFailure; f != nil {
		if f.Result == sluice.ResultRollback {
			return true
		}
		conds = append(conds, f.Conditions...)
	}
	if st.OnSuccess != nil {
		conds = append(conds, st.OnSuccess.Conditions...)
	}
	if st.BeforeEntry != nil {
		conds = append(conds, st.BeforeEntry.Conditions...)
	}
	for _, c := range conds {
		if c.Result == sluice.ResultRollback {
			return true
		}
	}
	return false
}
