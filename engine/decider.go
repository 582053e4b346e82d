package engine

import (
	"sort"
	"time"

	"sluice"
)

// decider holds one decision in the making: the snapshot it mutates in memory and the plan
// that records every row it touched, with the status each row had when first touched (the
// guard the store checks when it applies the plan).
type decider struct {
	s        *sluice.Snapshot
	ids      sluice.IDs
	runnable func(sluice.ActionTypeID) bool
	plan     *sluice.Plan

	execs      map[string]*sluice.Execution
	stageRuns  map[string]*sluice.StageRun    // execution id + "/" + stage name
	actionRuns map[string][]*sluice.ActionRun // execution id + "/" + stage + "/" + action, oldest first
	ruleRuns   map[string]*sluice.RuleRun     // by id
	execIdx    map[string]int
	stageIdx   map[string]int
	actionIdx  map[string]int
	ruleIdx    map[string]int
	jobIdx     map[string]int
	waitMoves  int // changes of WaitingAt, which emit no event
	condMoves  int // changes of conditions and rule runs, which emit no event
}

func newDecider(s *sluice.Snapshot, env Env) *decider {
	d := &decider{
		s: s, ids: env.IDs, runnable: env.Runnable, plan: &sluice.Plan{},
		execs: map[string]*sluice.Execution{}, stageRuns: map[string]*sluice.StageRun{},
		execIdx: map[string]int{}, stageIdx: map[string]int{}, actionIdx: map[string]int{},
		jobIdx: map[string]int{}, ruleIdx: map[string]int{}, ruleRuns: map[string]*sluice.RuleRun{},
	}
	for _, r := range s.RuleRuns {
		d.ruleRuns[r.ID] = r
	}
	if s.Stages == nil {
		s.Stages = map[string]*sluice.StageState{}
	}
	for _, e := range s.Executions {
		d.execs[e.ID] = e
	}
	for _, r := range s.StageRuns {
		d.stageRuns[r.ExecutionID+"/"+r.StageName] = r
	}
	d.actionRuns = make(map[string][]*sluice.ActionRun, len(s.ActionRuns))
	for _, a := range s.ActionRuns {
		k := runKey(a.ExecutionID, a.StageName, a.ActionName)
		d.actionRuns[k] = append(d.actionRuns[k], a)
	}
	return d
}

func runKey(execID, stage, action string) string { return execID + "/" + stage + "/" + action }

func (d *decider) now() time.Time { return d.s.Now }

// record adds row to a plan's changes once: the first call fixes the guard (the status the
// row had then), later calls find it already recorded. insert records a new row.
func record[T any, S ~string](idx map[string]int, changes *[]sluice.Change[T, S], key string, row *T, from S, insert bool) {
	if _, ok := idx[key]; ok && !insert {
		return
	}
	idx[key] = len(*changes)
	*changes = append(*changes, sluice.Change[T, S]{Row: row, From: from, Insert: insert})
}

// touchExec records that e will be written; call it before changing e's status.
func (d *decider) touchExec(e *sluice.Execution) {
	record(d.execIdx, &d.plan.Executions, e.ID, e, e.Status, false)
}

func (d *decider) insertExec(e *sluice.Execution) {
	record(d.execIdx, &d.plan.Executions, e.ID, e, "", true)
	d.s.Executions = append(d.s.Executions, e)
	d.execs[e.ID] = e
}

func (d *decider) setExecStatus(e *sluice.Execution, st sluice.ExecutionStatus, summary string) {
	d.touchExec(e)
	e.Status = st
	e.StatusSummary = summary
	e.LastUpdateTime = d.now()
	if !st.Active() {
		e.WaitingAt = ""
	}
	d.event(sluice.DetailExecution, executionState(st), e, "", nil)
}

func (d *decider) touchStage(r *sluice.StageRun) {
	record(d.stageIdx, &d.plan.StageRuns, r.ExecutionID+"/"+r.StageName, r, r.Status, false)
}

func (d *decider) setStageStatus(e *sluice.Execution, r *sluice.StageRun, st sluice.StageStatus) {
	d.touchStage(r)
	r.Status = st
	r.LastUpdateTime = d.now()
	d.event(sluice.DetailStage, stageState(st), e, r.StageName, nil)
}

func (d *decider) insertStage(r *sluice.StageRun) {
	key := r.ExecutionID + "/" + r.StageName
	record(d.stageIdx, &d.plan.StageRuns, key, r, "", true)
	d.s.StageRuns = append(d.s.StageRuns, r)
	d.stageRuns[key] = r
}

func (d *decider) touchAction(a *sluice.ActionRun) {
	record(d.actionIdx, &d.plan.ActionRuns, a.ID, a, a.Status, false)
}

func (d *decider) insertAction(a *sluice.ActionRun) {
	record(d.actionIdx, &d.plan.ActionRuns, a.ID, a, "", true)
	d.s.ActionRuns = append(d.s.ActionRuns, a)
	k := runKey(a.ExecutionID, a.StageName, a.ActionName)
	d.actionRuns[k] = append(d.actionRuns[k], a)
}

func (d *decider) touchRule(r *sluice.RuleRun) {
	record(d.ruleIdx, &d.plan.RuleRuns, r.ID, r, r.Status, false)
	d.condMoves++
}

func (d *decider) insertRule(r *sluice.RuleRun) {
	record(d.ruleIdx, &d.plan.RuleRuns, r.ID, r, "", true)
	d.s.RuleRuns = append(d.s.RuleRuns, r)
	d.ruleRuns[r.ID] = r
	d.condMoves++
}

func (d *decider) touchJob(j *sluice.Job) {
	record(d.jobIdx, &d.plan.Jobs, j.ID, j, j.Status, false)
}

func (d *decider) insertJob(j *sluice.Job) {
	record(d.jobIdx, &d.plan.Jobs, j.ID, j, "", true)
	d.s.Jobs = append(d.s.Jobs, j)
}

// stageState returns the stage's durable state, creating the default (transition enabled).
func (d *decider) stageState(name string) *sluice.StageState {
	st := d.s.Stages[name]
	if st == nil {
		st = &sluice.StageState{Transition: sluice.TransitionState{Enabled: true}}
		d.s.Stages[name] = st
	}
	return st
}

// saveStageState records that a stage's durable state changed.
func (d *decider) saveStageState(name string) {
	if d.plan.Stages == nil {
		d.plan.Stages = map[string]*sluice.StageState{}
	}
	d.plan.Stages[name] = d.stageState(name)
}

func (d *decider) decl(e *sluice.Execution) *sluice.PipelineDeclaration {
	if p := d.s.Declarations[e.PipelineVersion]; p != nil {
		return p
	}
	return &d.s.Pipeline.Declaration
}

// execution returns the execution id names, or ENotFound.
func (d *decider) execution(id string) (*sluice.Execution, error) {
	if e := d.execs[id]; e != nil {
		return e, nil
	}
	return nil, sluice.Errorf(sluice.ENotFound, "PipelineExecution", "Pipeline execution %s was not found.", id)
}

// executionStage returns execution id and the declaration of its stage in the pipeline
// version it runs, or ENotFound.
func (d *decider) executionStage(id, stage string) (*sluice.Execution, *sluice.StageDeclaration, error) {
	e, err := d.execution(id)
	if err != nil {
		return nil, nil, err
	}
	st, _ := d.decl(e).Stage(stage)
	if st == nil {
		return nil, nil, sluice.Errorf(sluice.ENotFound, "Stage", "Stage %s was not found in pipeline %s.", stage, e.PipelineName)
	}
	return e, st, nil
}

func (d *decider) stageRun(execID, stage string) *sluice.StageRun {
	return d.stageRuns[execID+"/"+stage]
}

// currentStage returns the stage run an execution is inside (InProgress or Stopping), or nil.
func (d *decider) currentStage(e *sluice.Execution) *sluice.StageRun {
	for _, st := range d.decl(e).Stages {
		if r := d.stageRun(e.ID, st.Name); r != nil && r.Status.Holds() {
			return r
		}
	}
	return nil
}

// latestRun returns the newest action run of an action in an execution that counts for the
// stage run (attempt at or above its BaseAttempt), or nil.
func (d *decider) latestRun(r *sluice.StageRun, action string) *sluice.ActionRun {
	runs := d.actionRuns[runKey(r.ExecutionID, r.StageName, action)]
	if n := len(runs); n > 0 && runs[n-1].StageAttempt >= r.BaseAttempt {
		return runs[n-1]
	}
	return nil
}

// latestSucceeded returns the newest succeeded run of an action in an execution, any stage attempt.
func (d *decider) latestSucceeded(execID, stage, action string) *sluice.ActionRun {
	runs := d.actionRuns[runKey(execID, stage, action)]
	for i := len(runs) - 1; i >= 0; i-- {
		if runs[i].Status == sluice.ActionSucceeded {
			return runs[i]
		}
	}
	return nil
}

func (d *decider) openJobs(actionRunID string) []*sluice.Job {
	var out []*sluice.Job
	for _, j := range d.s.Jobs {
		if j.ActionRunID == actionRunID && j.Status.Open() {
			out = append(out, j)
		}
	}
	return out
}

// activeBySeq returns active executions in arrival order.
func (d *decider) activeBySeq() []*sluice.Execution {
	var out []*sluice.Execution
	for _, e := range d.s.Executions {
		if e.Status.Active() {
			out = append(out, e)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return seqLess(out[i], out[j]) })
	return out
}

// seqLess orders executions by arrival; an execution not yet stored (Seq 0) is the newest.
func seqLess(a, b *sluice.Execution) bool {
	switch {
	case a.Seq == 0:
		return false
	case b.Seq == 0:
		return true
	}
	return a.Seq < b.Seq
}
