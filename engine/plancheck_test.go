package engine

import (
	"reflect"

	"sluice"
)

// rowsBefore holds copies of every row of the snapshot, taken before a decision, so the
// harness can check that the plan records exactly what the decision changed: a row changed
// in memory but missing from the plan would be lost by the store, and an update whose guard
// is not the row's stored status would be refused as a conflict.
type rowsBefore struct {
	execs  map[string]sluice.Execution
	stages map[string]sluice.StageRun
	runs   map[string]sluice.ActionRun
	rules  map[string]sluice.RuleRun
	jobs   map[string]sluice.Job
	states map[string]sluice.StageState
}

func (h *harness) copyRows() *rowsBefore {
	b := &rowsBefore{execs: map[string]sluice.Execution{}, stages: map[string]sluice.StageRun{},
		runs: map[string]sluice.ActionRun{}, rules: map[string]sluice.RuleRun{}, jobs: map[string]sluice.Job{}, states: map[string]sluice.StageState{}}
	for _, e := range h.s.Executions {
		b.execs[e.ID] = *e
	}
	for _, r := range h.s.StageRuns {
		c := *r
		c.Conditions = append([]sluice.ConditionRun(nil), r.Conditions...) // changed in place
		b.stages[r.ExecutionID+"/"+r.StageName] = c
	}
	for _, r := range h.s.RuleRuns {
		b.rules[r.ID] = *r
	}
	for _, a := range h.s.ActionRuns {
		b.runs[a.ID] = *a
	}
	for _, j := range h.s.Jobs {
		b.jobs[j.ID] = *j
	}
	for name, st := range h.s.Stages {
		b.states[name] = *st
	}
	return b
}

// checkPlan fails the test when plan misses a changed row or guards one with a status it
// did not have.
func (h *harness) checkPlan(b *rowsBefore, plan *sluice.Plan) {
	h.t.Helper()
	execs := map[string]bool{}
	for _, c := range plan.Executions {
		execs[c.Row.ID] = true
		h.guard(c.Insert, c.From, b.execs[c.Row.ID].Status, "execution "+c.Row.ID)
	}
	for _, e := range h.s.Executions {
		h.unrecorded(execs[e.ID], b.execs[e.ID], *e, "execution "+e.ID)
	}
	stages := map[string]bool{}
	for _, c := range plan.StageRuns {
		k := c.Row.ExecutionID + "/" + c.Row.StageName
		stages[k] = true
		h.guard(c.Insert, c.From, b.stages[k].Status, "stage run "+k)
	}
	for _, r := range h.s.StageRuns {
		k := r.ExecutionID + "/" + r.StageName
		h.unrecorded(stages[k], b.stages[k], *r, "stage run "+k)
	}
	h.checkRunsAndJobs(b, plan)
	for name, st := range h.s.Stages {
		prev, ok := b.states[name]
		if !ok { // a stage without a row has the defaults
			prev = sluice.StageState{Transition: sluice.TransitionState{Enabled: true}}
		}
		h.unrecorded(plan.Stages[name] != nil, prev, *st, "stage state "+name)
	}
}

func (h *harness) checkRunsAndJobs(b *rowsBefore, plan *sluice.Plan) {
	h.t.Helper()
	runs := map[string]bool{}
	for _, c := range plan.ActionRuns {
		runs[c.Row.ID] = true
		h.guard(c.Insert, c.From, b.runs[c.Row.ID].Status, "action run "+c.Row.ID)
	}
	for _, a := range h.s.ActionRuns {
		h.unrecorded(runs[a.ID], b.runs[a.ID], *a, "action run "+a.ID)
	}
	rules := map[string]bool{}
	for _, c := range plan.RuleRuns {
		rules[c.Row.ID] = true
		h.guard(c.Insert, c.From, b.rules[c.Row.ID].Status, "rule run "+c.Row.ID)
	}
	for _, r := range h.s.RuleRuns {
		h.unrecorded(rules[r.ID], b.rules[r.ID], *r, "rule run "+r.ID)
	}
	jobs := map[string]bool{}
	for _, c := range plan.Jobs {
		jobs[c.Row.ID] = true
		h.guard(c.Insert, c.From, b.jobs[c.Row.ID].Status, "job "+c.Row.ID)
	}
	for _, j := range h.s.Jobs {
		h.unrecorded(jobs[j.ID], b.jobs[j.ID], *j, "job "+j.ID)
	}
}

func (h *harness) guard(insert bool, from, before any, what string) {
	h.t.Helper()
	if !insert && reflect.ValueOf(from).String() != reflect.ValueOf(before).String() {
		h.t.Fatalf("%s is guarded by status %v but had %v", what, from, before)
	}
}

// unrecorded fails when a row not in the plan differs from its copy taken before (a new
// row has a zero copy and must be in the plan).
func (h *harness) unrecorded(inPlan bool, before, after any, what string) {
	h.t.Helper()
	if !inPlan && !reflect.DeepEqual(before, after) {
		h.t.Fatalf("%s changed but the plan does not record it", what)
	}
}
