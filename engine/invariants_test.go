package engine

import (
	"sluice"
)

// checkInvariants fails the test when a decision left a state that breaks a stage lock or
// that no later command could move forward (SCENARIOS 31: an execution never stays InProgress
// with nothing running). The harness checks it after every accepted command.
func (h *harness) checkInvariants() {
	h.t.Helper()
	for _, e := range h.s.Executions {
		if e.Status.Active() {
			h.checkActive(e)
		} else {
			h.checkEnded(e)
		}
	}
	h.checkLocks()
	h.checkJobs()
}

// checkActive: an active execution either holds one stage with something running in it, or
// waits in front of a stage for a reason that still holds.
func (h *harness) checkActive(e *sluice.Execution) {
	h.t.Helper()
	held := h.held(e.ID)
	switch {
	case len(held) > 1:
		h.t.Fatalf("execution %s holds %d stages", e.ID, len(held))
	case len(held) == 1:
		r := held[0]
		if e.WaitingAt != "" {
			h.t.Fatalf("execution %s is in stage %s and waits at %s", e.ID, r.StageName, e.WaitingAt)
		}
		if !h.anyRunning(e.ID, r.StageName, false) {
			h.t.Fatalf("execution %s (%s) holds stage %s with nothing running", e.ID, e.Status, r.StageName)
		}
		if (e.Status == sluice.ExecutionStopping || h.obsolete(e)) && h.anyRunning(e.ID, r.StageName, true) {
			h.t.Fatalf("execution %s (%s) keeps an approval open in stage %s that can change nothing", e.ID, e.Status, r.StageName)
		}
	case e.WaitingAt == "":
		h.t.Fatalf("execution %s is %s but neither in a stage nor waiting", e.ID, e.Status)
	case !h.blocked(e):
		h.t.Fatalf("execution %s waits at %s although nothing blocks it", e.ID, e.WaitingAt)
	}
}

func (h *harness) checkEnded(e *sluice.Execution) {
	h.t.Helper()
	if e.WaitingAt != "" || len(h.held(e.ID)) > 0 {
		h.t.Fatalf("execution %s is %s but still waits or holds a stage", e.ID, e.Status)
	}
	for _, a := range h.s.ActionRuns {
		if a.ExecutionID == e.ID && a.Status == sluice.ActionInProgress {
			h.t.Fatalf("execution %s is %s but action %s/%s runs", e.ID, e.Status, a.StageName, a.ActionName)
		}
	}
}

// checkLocks: in SUPERSEDED and QUEUED mode a stage holds one execution and, in SUPERSEDED
// mode, one more waits in front of it.
func (h *harness) checkLocks() {
	h.t.Helper()
	holders, waiters := map[string]string{}, map[string]string{}
	for _, e := range h.s.Executions {
		if !e.Status.Active() || e.Mode == sluice.ModeParallel {
			continue
		}
		for _, r := range h.held(e.ID) {
			if o := holders[r.StageName]; o != "" {
				h.t.Fatalf("stage %s is held by %s and %s", r.StageName, o, e.ID)
			}
			holders[r.StageName] = e.ID
		}
		if e.WaitingAt != "" && e.Mode == sluice.ModeSuperseded {
			if o := waiters[e.WaitingAt]; o != "" {
				h.t.Fatalf("%s and %s both wait at %s in SUPERSEDED mode", o, e.ID, e.WaitingAt)
			}
			waiters[e.WaitingAt] = e.ID
		}
	}
}

// checkJobs: a running action that needs a worker has an open job, and an open job belongs
// to a running action.
func (h *harness) checkJobs() {
	h.t.Helper()
	open := map[string]bool{}
	for _, j := range h.s.Jobs {
		if !j.Status.Open() {
			continue
		}
		open[j.ActionRunID] = true
		if j.Data.Condition != "" {
			if r := h.ruleRunByID(j.ActionRunID); r == nil || r.Status != sluice.RuleInProgress {
				h.t.Fatalf("job %s is %s but its rule is not being evaluated", j.ID, j.Status)
			}
			continue
		}
		if run := h.actionRun(j.ActionRunID); run == nil || run.Status != sluice.ActionInProgress {
			h.t.Fatalf("job %s is %s but its action is not running", j.ID, j.Status)
		}
	}
	for _, a := range h.s.ActionRuns {
		if a.Status == sluice.ActionInProgress && a.Token == "" && !open[a.ID] {
			h.t.Fatalf("action %s/%s of %s runs without an open job", a.StageName, a.ActionName, a.ExecutionID)
		}
	}
	for _, r := range h.s.RuleRuns {
		if r.Status == sluice.RuleInProgress && !open[r.ID] {
			h.t.Fatalf("rule %s/%s of %s is being evaluated without an open job", r.StageName, r.RuleName, r.ExecutionID)
		}
	}
}

func (h *harness) ruleRunByID(id string) *sluice.RuleRun {
	for _, r := range h.s.RuleRuns {
		if r.ID == id {
			return r
		}
	}
	return nil
}

func (h *harness) held(id string) []*sluice.StageRun {
	var out []*sluice.StageRun
	for _, r := range h.s.StageRuns {
		if r.ExecutionID == id && r.Status.Holds() {
			out = append(out, r)
		}
	}
	return out
}

// anyRunning reports whether an action or a rule of the stage runs in the execution;
// approvals limits it to open approvals.
func (h *harness) anyRunning(id, stage string, approvals bool) bool {
	for _, a := range h.s.ActionRuns {
		if a.ExecutionID == id && a.StageName == stage && a.Status == sluice.ActionInProgress && (!approvals || a.Token != "") {
			return true
		}
	}
	for _, r := range h.s.RuleRuns {
		if r.ExecutionID == id && r.StageName == stage && r.Status == sluice.RuleInProgress && !approvals {
			return true
		}
	}
	return false
}

func (h *harness) actionRun(id string) *sluice.ActionRun {
	for _, a := range h.s.ActionRuns {
		if a.ID == id {
			return a
		}
	}
	return nil
}

// obsolete reports whether a locking execution runs a version the pipeline no longer has.
func (h *harness) obsolete(e *sluice.Execution) bool {
	return e.Mode != sluice.ModeParallel && e.PipelineVersion != h.s.Pipeline.Declaration.Version
}

// blocked reports whether something keeps a waiting execution out of its stage: a disabled
// transition, another locking execution in the stage, or an earlier QUEUED waiter.
func (h *harness) blocked(e *sluice.Execution) bool {
	decl := h.s.Declarations[e.PipelineVersion]
	if _, idx := decl.Stage(e.WaitingAt); idx > 0 {
		if st := h.s.Stages[e.WaitingAt]; st != nil && !st.Transition.Enabled {
			return true
		}
	}
	if e.Mode == sluice.ModeParallel {
		return false
	}
	for _, o := range h.s.Executions {
		if o == e || !o.Status.Active() {
			continue
		}
		for _, r := range h.held(o.ID) {
			if r.StageName == e.WaitingAt && o.Mode != sluice.ModeParallel {
				return true
			}
		}
		if e.Mode == sluice.ModeQueued && o.WaitingAt == e.WaitingAt && o.Seq < e.Seq {
			return true
		}
	}
	return false
}
