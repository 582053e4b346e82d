package sqlite

import "sluice"

// The store reads a declaration's conditions for two answers the port defines: the rules
// PipelineState reports on, and the stages Snapshot looks up rollback targets for.

// typedConditions are the conditions a stage declares under one condition type.
type typedConditions struct {
	typ   sluice.ConditionType
	conds []sluice.Condition
}

// stageConditions lists st's declared conditions by type.
func stageConditions(st *sluice.StageDeclaration) []typedConditions {
	var out []typedConditions
	if st.BeforeEntry != nil {
		out = append(out, typedConditions{sluice.ConditionBeforeEntry, st.BeforeEntry.Conditions})
	}
	if st.OnSuccess != nil {
		out = append(out, typedConditions{sluice.ConditionOnSuccess, st.OnSuccess.Conditions})
	}
	if st.OnFailure != nil {
		out = append(out, typedConditions{sluice.ConditionOnFailure, st.OnFailure.Conditions})
	}
	return out
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
	if st.OnFailure != nil && st.OnFailure.Result == sluice.ResultRollback {
		return true
	}
	for _, ct := range stageConditions(st) {
		for _, c := range ct.conds {
			if c.Result == sluice.ResultRollback {
				return true
			}
		}
	}
	return false
}
