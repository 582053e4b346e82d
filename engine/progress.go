package engine

import (
	"fmt"

	"sluice"
)

// progress drives every active execution as far as the state allows, until nothing changes.
// It re-derives each next step from the rows alone, so running it after a crash resumes
// exactly where the last committed decision left off.
func (d *decider) progress() error {
	for range 10000 {
		before := d.changes()
		for _, e := range d.activeBySeq() {
			if r := d.currentStage(e); r != nil {
				d.stepStage(e, r)
			} else {
				d.stepBetween(e)
			}
		}
		if d.changes() == before {
			return nil
		}
	}
	// Only a bug in the state machine gets here; refuse the command rather than loop forever.
	return sluice.Errorf(sluice.EInternal, "", "engine: pipeline %s did not settle", d.s.Pipeline.Declaration.Name)
}

// changes counts what the plan records so far; status changes of touched rows count through
// the events they emit.
func (d *decider) changes() int {
	p := d.plan
	n := len(p.Executions) + len(p.StageRuns) + len(p.ActionRuns) + len(p.RuleRuns) + len(p.Jobs) + len(p.Stages) + len(p.Events)
	return n + d.waitMoves + d.condMoves
}

// cancelPending reports whether the pipeline was updated under a locking execution, which
// then must not start anything new and ends Cancelled (SEMANTICS §5.5).
func (d *decider) cancelPending(e *sluice.Execution) bool {
	return e.Mode != sluice.ModeParallel && e.PipelineVersion != d.s.Pipeline.Declaration.Version
}

// stepBetween moves an execution that is not inside a stage: into its next stage, to the
// waiting spot in front of it, or to its end.
func (d *decider) stepBetween(e *sluice.Execution) {
	next := d.nextStage(e)
	switch {
	case e.Status == sluice.ExecutionStopping:
		d.setExecStatus(e, sluice.ExecutionStopped, e.StopReason)
	case d.cancelPending(e):
		d.setExecStatus(e, sluice.ExecutionCancelled, "The pipeline was updated while this execution was in progress.")
	case next == "":
		d.setExecStatus(e, sluice.ExecutionSucceeded, "")
	case d.canEnter(e, next):
		d.enter(e, next)
	case e.WaitingAt != next:
		d.wait(e, next)
	}
}

// nextStage names the first stage of e's declaration that has not succeeded, or "".
func (d *decider) nextStage(e *sluice.Execution) string {
	if e.ExecutionType() == sluice.ExecutionRollback {
		if r := d.stageRun(e.ID, e.RollbackStage); r == nil || r.Status != sluice.StageSucceeded {
			return e.RollbackStage
		}
		return ""
	}
	for _, st := range d.decl(e).Stages {
		r := d.stageRun(e.ID, st.Name)
		if r == nil || (r.Status != sluice.StageSucceeded && r.Status != sluice.StageSkipped) {
			return st.Name
		}
	}
	return ""
}

func (d *decider) canEnter(e *sluice.Execution, stage string) bool {
	decl := d.decl(e)
	if _, idx := decl.Stage(stage); idx > 0 && !d.stageState(stage).Transition.Enabled {
		return false
	}
	if e.Mode == sluice.ModeParallel {
		return true
	}
	for _, o := range d.activeBySeq() {
		if o == e {
			continue
		}
		if r := d.stageRun(o.ID, stage); r != nil && r.Status.Holds() && o.Mode != sluice.ModeParallel {
			return false
		}
		// QUEUED is first come, first served.
		if e.Mode == sluice.ModeQueued && o.WaitingAt == stage && seqLess(o, e) {
			return false
		}
	}
	return true
}

// wait parks e in front of stage; in SUPERSEDED mode it replaces whoever waited there.
func (d *decider) wait(e *sluice.Execution, stage string) {
	d.touchExec(e)
	e.WaitingAt = stage
	e.LastUpdateTime = d.now()
	d.waitMoves++
	if e.Mode != sluice.ModeSuperseded {
		return
	}
	for _, o := range d.activeBySeq() {
		if o != e && o.WaitingAt == stage && o.Mode == sluice.ModeSuperseded {
			d.setExecStatus(o, sluice.ExecutionSuperseded, fmt.Sprintf("Superseded by execution %s.", e.ID))
		}
	}
}

func (d *decider) enter(e *sluice.Execution, stage string) {
	d.touchExec(e)
	e.WaitingAt = ""
	e.LastUpdateTime = d.now()
	r := d.stageRun(e.ID, stage)
	if r == nil {
		r = &sluice.StageRun{ExecutionID: e.ID, StageName: stage, Status: sluice.StageInProgress,
			Attempt: 1, BaseAttempt: 1, StartTime: d.now(), LastUpdateTime: d.now()}
		d.insertStage(r)
		d.event(sluice.DetailStage, "STARTED", e, stage, nil)
	} else {
		d.setStageStatus(e, r, sluice.StageInProgress)
	}
	d.stageState(stage).LatestExecutionID = e.ID
	d.saveStageState(stage)
}

// stepStage advances an execution inside stage run r: finishes a stop or cancel, evaluates
// the stage's conditions when they are due, fails the stage once nothing runs after a
// failure, starts the next runOrder group, or succeeds it.
func (d *decider) stepStage(e *sluice.Execution, r *sluice.StageRun) {
	stage, _ := d.decl(e).Stage(r.StageName)
	stopping := e.Status == sluice.ExecutionStopping || r.Status == sluice.StageStopping
	d.closeApprovals(e, r, stopping)
	if stopping || d.cancelPending(e) {
		d.closeConditions(r, sluice.ConditionCancelled, "The condition was cancelled because the execution stopped.")
	}
	d.settleConditions(r)
	running, failed := d.stageActivity(r, stage)
	switch {
	case stopping:
		if !running {
			d.setStageStatus(e, r, sluice.StageStopped)
			d.setExecStatus(e, sluice.ExecutionStopped, e.StopReason)
		}
	case d.cancelPending(e):
		if !running {
			d.setStageStatus(e, r, sluice.StageCancelled)
			d.setExecStatus(e, sluice.ExecutionCancelled, "The pipeline was updated while this execution was in progress.")
		}
	case d.stepEntry(e, r, stage):
	case failed != nil:
		if !running {
			d.stageFailed(e, r, stage, failed)
		}
	case d.startNextGroup(e, r, stage):
	default:
		d.stageActionsSucceeded(e, r, stage)
	}
}

// failStage ends the stage run and its execution Failed.
func (d *decider) failStage(e *sluice.Execution, r *sluice.StageRun, summary string) {
	d.setStageStatus(e, r, sluice.StageFailed)
	d.setExecStatus(e, sluice.ExecutionFailed, summary)
}

// closeApprovals abandons the open approvals of an execution being stopped or cancelled by
// an update: no answer could move it forward, and waiting for one would hold the stage for
// days (SEMANTICS §5.11: stopping abandons the approval).
func (d *decider) closeApprovals(e *sluice.Execution, r *sluice.StageRun, stopping bool) {
	switch {
	case stopping:
		d.abandonRunning(e, r, true, "The approval was abandoned because the execution was stopped.")
	case d.cancelPending(e):
		d.abandonRunning(e, r, true, "The approval was abandoned because the pipeline was updated while it waited.")
	}
}

// stageActivity reports whether any action of the stage run is running and which one
// failed (nil when none).
func (d *decider) stageActivity(r *sluice.StageRun, stage *sluice.StageDeclaration) (bool, *sluice.ActionRun) {
	running := false
	var failed *sluice.ActionRun
	for _, a := range stage.Actions {
		run := d.latestRun(r, a.Name)
		switch {
		case run == nil:
		case run.Status == sluice.ActionInProgress:
			running = true
		case run.Status == sluice.ActionFailed || run.Status == sluice.ActionAbandoned:
			if failed == nil {
				failed = run
			}
		}
	}
	return running, failed
}

// startNextGroup starts the actions of the first runOrder group that has not fully
// succeeded; it reports false when every group has succeeded.
func (d *decider) startNextGroup(e *sluice.Execution, r *sluice.StageRun, stage *sluice.StageDeclaration) bool {
	for _, group := range runOrderGroups(stage) {
		done := true
		for _, a := range group {
			run := d.latestRun(r, a.Name)
			if run == nil {
				d.startAction(e, r, a)
			}
			if run == nil || run.Status != sluice.ActionSucceeded {
				done = false
			}
		}
		if !done {
			return true
		}
	}
	return false
}

func failureSummary(a *sluice.ActionRun) string {
	msg := a.ErrorMessage
	if msg == "" {
		msg = a.Summary
	}
	if msg == "" {
		return fmt.Sprintf("Action %s in stage %s failed.", a.ActionName, a.StageName)
	}
	return fmt.Sprintf("Action %s in stage %s failed: %s", a.ActionName, a.StageName, msg)
}
