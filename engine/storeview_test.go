package engine

import (
	"sluice"
)

// view returns the snapshot the store would read for cmd (sqlite Snapshot): the active
// executions plus those the engine's use case names, their stage and action runs, and their
// open jobs. Rows are shared with the harness's full state, so the decision's updates land
// there; merge adds the rows it inserted.
func (h *harness) view(cmd Command) *sluice.Snapshot {
	ids := map[string]bool{}
	for _, id := range h.include(cmd) {
		ids[id] = true
	}
	v := &sluice.Snapshot{Pipeline: h.s.Pipeline, Declarations: h.s.Declarations, Stages: h.s.Stages, Now: h.s.Now}
	v.RollbackTargets = h.rollbackTargets()
	for _, id := range v.RollbackTargets {
		ids[id] = true
	}
	for _, e := range h.s.Executions {
		if e.Status.Active() || ids[e.ID] {
			ids[e.ID] = true
			if e.RollbackTarget != "" {
				ids[e.RollbackTarget] = true
			}
		}
	}
	for _, e := range h.s.Executions {
		if ids[e.ID] {
			v.Executions = append(v.Executions, e)
		}
	}
	for _, r := range h.s.StageRuns {
		if ids[r.ExecutionID] {
			v.StageRuns = append(v.StageRuns, r)
		}
	}
	for _, a := range h.s.ActionRuns {
		if ids[a.ExecutionID] {
			v.ActionRuns = append(v.ActionRuns, a)
		}
	}
	for _, r := range h.s.RuleRuns {
		if ids[r.ExecutionID] {
			v.RuleRuns = append(v.RuleRuns, r)
		}
	}
	for _, j := range h.s.Jobs {
		if ids[j.ExecutionID] && j.Status.Open() {
			v.Jobs = append(v.Jobs, j)
		}
	}
	return v
}

// include names the executions the Engine method for cmd asks the store to load besides the
// active ones (engine.go).
func (h *harness) include(cmd Command) []string {
	switch cmd := cmd.(type) {
	case Stop:
		return []string{cmd.ExecutionID}
	case Retry:
		return []string{cmd.ExecutionID}
	case JobResult:
		for _, j := range h.s.Jobs {
			if j.ID == cmd.JobID {
				return []string{j.ExecutionID}
			}
		}
	case Approve:
		return h.latestApprovalRun(cmd)
	case OverrideCondition:
		return []string{cmd.ExecutionID}
	case Rollback:
		return []string{cmd.Target}
	}
	return nil
}

// latestApprovalRun is the execution whose run holds the approval token, as
// Tx.ExecutionByApprovalToken finds it.
func (h *harness) latestApprovalRun(cmd Approve) []string {
	for _, a := range h.s.ActionRuns {
		if a.Token != "" && a.Token == cmd.Token {
			return []string{a.ExecutionID}
		}
	}
	return nil
}

// merge adds the rows a decision inserted to the harness's full state.
func (h *harness) merge(plan *sluice.Plan) {
	for _, c := range plan.Executions {
		if c.Insert {
			h.s.Executions = append(h.s.Executions, c.Row)
		}
	}
	for _, c := range plan.StageRuns {
		if c.Insert {
			h.s.StageRuns = append(h.s.StageRuns, c.Row)
		}
	}
	for _, c := range plan.ActionRuns {
		if c.Insert {
			h.s.ActionRuns = append(h.s.ActionRuns, c.Row)
		}
	}
	for _, c := range plan.RuleRuns {
		if c.Insert {
			h.s.RuleRuns = append(h.s.RuleRuns, c.Row)
		}
	}
	for _, c := range plan.Jobs {
		if c.Insert {
			h.s.Jobs = append(h.s.Jobs, c.Row)
		}
	}
}

// rollbackTargets is Snapshot.RollbackTargets as the store fills it: for each stage of the
// current declaration with a ROLLBACK result, the newest STANDARD execution of the current
// version that succeeded in it.
func (h *harness) rollbackTargets() map[string]string {
	decl := &h.s.Pipeline.Declaration
	out := map[string]string{}
	for _, st := range decl.Stages {
		if !canRollBack(&st) {
			continue
		}
		var best *sluice.Execution
		for _, e := range h.s.Executions {
			if e.PipelineVersion != decl.Version || e.ExecutionType() == sluice.ExecutionRollback {
				continue
			}
			if r := h.stageRun(e.ID, st.Name); r != nil && r.Status == sluice.StageSucceeded && (best == nil || best.Seq < e.Seq) {
				best = e
			}
		}
		if best != nil {
			out[st.Name] = best.ID
		}
	}
	return out
}

func canRollBack(st *sluice.StageDeclaration) bool {
	if st.OnFailure != nil && st.OnFailure.Result == sluice.ResultRollback {
		return true
	}
	var conds []sluice.Condition
	if st.OnFailure != nil {
		conds = append(conds, st.OnFailure.Conditions...)
	}
	if st.OnSuccess != nil {
		conds = append(conds, st.OnSuccess.Conditions...)
	}
	for _, c := range conds {
		if c.Result == sluice.ResultRollback {
			return true
		}
	}
	return false
}
