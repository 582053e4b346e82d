package engine

import (
	"fmt"

	"sluice"
)

// Stop stops an execution: stop-and-wait lets running actions finish, abandon ends them now.
type Stop struct {
	ExecutionID string
	Abandon     bool
	Reason      string
}

func (cmd Stop) apply(d *decider) error {
	e, err := d.execution(cmd.ExecutionID)
	if err != nil {
		return err
	}
	switch {
	case e.Status == sluice.ExecutionStopping && (!cmd.Abandon || e.StopAbandon):
		return sluice.Errorf(sluice.EDuplicateStop, "", "Execution %s is already being stopped%s.", e.ID, abandonWord(e.StopAbandon))
	case !e.Status.Active():
		return sluice.Errorf(sluice.ENotStoppable, "", "Execution %s is %s and cannot be stopped.", e.ID, e.Status)
	}
	if e.Status != sluice.ExecutionStopping {
		d.setExecStatus(e, sluice.ExecutionStopping, cmd.Reason)
	}
	d.touchExec(e)
	// An abandon after a stop-and-wait keeps the first stop's reason unless it gives its own.
	e.StopReason, e.StopAbandon = firstNonEmpty(cmd.Reason, e.StopReason), cmd.Abandon
	r := d.currentStage(e)
	if r == nil {
		return nil
	}
	if r.Status == sluice.StageInProgress {
		d.setStageStatus(e, r, sluice.StageStopping)
	}
	if cmd.Abandon {
		d.abandonRunning(e, r, false, "The action was abandoned because the execution was stopped.")
	}
	return nil
}

func abandonWord(abandon bool) string {
	if abandon {
		return " (abandon)"
	}
	return ""
}

// abandonRunning ends the running actions of the stage run (only the open approvals when
// approvals is set) as Abandoned and closes their jobs, so a late result from their workers
// is refused.
func (d *decider) abandonRunning(e *sluice.Execution, r *sluice.StageRun, approvals bool, msg string) {
	stage, _ := d.decl(e).Stage(r.StageName)
	for _, a := range stage.Actions {
		run := d.latestRun(r, a.Name)
		if run == nil || run.Status != sluice.ActionInProgress || (approvals && run.Token == "") {
			continue
		}
		for _, j := range d.openJobs(run.ID) {
			d.touchJob(j)
			j.Status = sluice.JobFailed
			j.UpdatedAt = d.now()
		}
		d.finishAction(e, run, sluice.ActionAbandoned, sluice.FailureJobFailed, msg)
	}
}

// Retry re-runs a failed or stopped stage of an execution, keeping its id.
type Retry struct {
	ExecutionID string
	Stage       string
	Mode        sluice.RetryMode
}

func (cmd Retry) apply(d *decider) error {
	e, stage, err := d.executionStage(cmd.ExecutionID, cmd.Stage)
	if err != nil {
		return err
	}
	r, err := d.retryable(e, cmd)
	if err != nil {
		return err
	}
	d.retryStage(e, r, stage, cmd.Mode, sluice.RetryTriggerManual)
	return nil
}

// retryable checks SEMANTICS §5.8's preconditions and returns the stage run to retry.
func (d *decider) retryable(e *sluice.Execution, cmd Retry) (*sluice.StageRun, error) {
	if e.PipelineVersion != d.s.Pipeline.Declaration.Version {
		return nil, sluice.Errorf(sluice.ENotRetryable, "", "Stage %s of execution %s cannot be retried: the pipeline's structure changed since it ran (version %d, now %d).", cmd.Stage, e.ID, e.PipelineVersion, d.s.Pipeline.Declaration.Version)
	}
	r := d.stageRun(e.ID, cmd.Stage)
	if r == nil {
		return nil, sluice.Errorf(sluice.ENotRetryable, "", "Stage %s has not run in execution %s.", cmd.Stage, e.ID)
	}
	// Only a locking mode has a latest execution per stage; PARALLEL executions each own theirs.
	if latest := d.stageState(cmd.Stage).LatestExecutionID; latest != e.ID && e.Mode != sluice.ModeParallel {
		return nil, sluice.Errorf(sluice.ENotLatest, "", "Execution %s is not the latest execution in stage %s (%s is).", e.ID, cmd.Stage, latest)
	}
	stage, _ := d.decl(e).Stage(cmd.Stage)
	running, failed := d.stageActivity(r, stage)
	switch {
	case r.Status == sluice.StageFailed || r.Status == sluice.StageStopped:
	case r.Status == sluice.StageInProgress && failed != nil && cmd.Mode == sluice.RetryFailedActions:
	default:
		return nil, sluice.Errorf(sluice.ENotRetryable, "", "Stage %s of execution %s is %s and has no failed actions to retry.", cmd.Stage, e.ID, r.Status)
	}
	if running && cmd.Mode == sluice.RetryAllActions {
		return nil, sluice.Errorf(sluice.ENotRetryable, "", "Stage %s still has running actions; retry with FAILED_ACTIONS or wait for them to finish.", cmd.Stage)
	}
	return r, nil
}

// SetTransition enables or disables a stage's inbound transition.
type SetTransition struct {
	Stage   string
	Enabled bool
	Reason  string
	By      string
}

func (cmd SetTransition) apply(d *decider) error {
	idx := d.stageIndex(cmd.Stage)
	switch {
	case idx < 0:
		return sluice.Errorf(sluice.ENotFound, "Stage", "Stage %s was not found in pipeline %s.", cmd.Stage, d.s.Pipeline.Declaration.Name)
	case idx == 0:
		return sluice.Errorf(sluice.EInvalid, "", "Stage %s is the first stage: it has no inbound transition to enable or disable.", cmd.Stage)
	}
	st := d.stageState(cmd.Stage)
	st.Transition = sluice.TransitionState{Enabled: cmd.Enabled, LastChangedBy: cmd.By, LastChangedAt: d.now()}
	if !cmd.Enabled {
		st.Transition.DisabledReason = cmd.Reason
	}
	d.saveStageState(cmd.Stage)
	return nil
}

// stageIndex finds a stage in the current version or else in the version an active execution
// runs (a PARALLEL execution keeps its own), so a transition the update removed can still
// release the executions waiting at it; -1 when no version in use has the stage.
func (d *decider) stageIndex(name string) int {
	if _, idx := d.s.Pipeline.Declaration.Stage(name); idx >= 0 {
		return idx
	}
	for _, e := range d.activeBySeq() {
		if _, idx := d.decl(e).Stage(name); idx >= 0 {
			return idx
		}
	}
	return -1
}

// Approve answers a manual approval.
type Approve struct {
	Stage, Action string
	Token         string
	Approved      bool
	Summary       string
	By            string
}

func (cmd Approve) apply(d *decider) error {
	var open, answered *sluice.ActionRun
	for _, a := range d.s.ActionRuns {
		if a.StageName != cmd.Stage || a.ActionName != cmd.Action || a.Token == "" {
			continue
		}
		switch {
		case a.Status == sluice.ActionInProgress && a.Token == cmd.Token:
			open = a
		case a.Token == cmd.Token:
			answered = a
		}
	}
	switch {
	case open == nil && answered != nil:
		return sluice.Errorf(sluice.EAlreadyCompleted, "", "The approval for action %s in stage %s was already %s.", cmd.Action, cmd.Stage, approvalWord(answered))
	case open == nil:
		return d.approvalNotFound(cmd)
	}
	e := d.execs[open.ExecutionID]
	open.UpdatedBy = cmd.By
	open.Summary = cmd.Summary
	if cmd.Approved {
		d.finishAction(e, open, sluice.ActionSucceeded, "", "")
		return nil
	}
	d.finishAction(e, open, sluice.ActionFailed, sluice.FailureJobFailed, fmt.Sprintf("Rejected by %s: %s", cmd.By, cmd.Summary))
	return nil
}

// approvalNotFound explains why no approval matched: the current version has no such stage
// or action, or the token is wrong.
func (d *decider) approvalNotFound(cmd Approve) error {
	decl := &d.s.Pipeline.Declaration
	if decl.Action(cmd.Stage, cmd.Action) != nil {
		return sluice.Errorf(sluice.EInvalidToken, "Approval", "The token does not match an open approval of action %s in stage %s.", cmd.Action, cmd.Stage)
	}
	return actionNotFound(decl, cmd.Stage, cmd.Action)
}

func approvalWord(a *sluice.ActionRun) string {
	switch a.Status {
	case sluice.ActionSucceeded:
		return "approved"
	case sluice.ActionFailed:
		if a.ErrorMessage != "" && a.UpdatedBy == "" {
			return "closed: " + a.ErrorMessage
		}
		return "rejected"
	}
	return "closed (" + string(a.Status) + ")"
}
