package engine

import (
	"time"

	"sluice"
)

// Command is an input to the engine: something asked of a pipeline (start, stop, retry,
// approve, a job's result, a timer). Decide turns it into a Plan; the plan's outbox records
// are sluice.Events.
type Command interface {
	apply(d *decider) error
}

// Env is what a decision may consult besides the snapshot.
type Env struct {
	IDs sluice.IDs
	// Runnable reports whether some worker can run jobs of an action type; an action of a
	// type nobody runs fails when it starts instead of waiting for its timeout. Nil means
	// every type is runnable. Custom types are always waited for: job workers poll for them.
	Runnable func(sluice.ActionTypeID) bool
}

// Decide is the engine's pure step: given a snapshot read in the transaction that will apply
// the result and a command, it returns every row to write. It changes the snapshot in memory.
// A returned error means the command is refused and nothing may be written.
func Decide(s *sluice.Snapshot, cmd Command, env Env) (*sluice.Plan, error) {
	d := newDecider(s, env)
	if err := cmd.apply(d); err != nil {
		return nil, err
	}
	if err := d.progress(); err != nil {
		return nil, err
	}
	return d.plan, nil
}

// Reconcile changes nothing by itself: deciding on it re-derives every pending step from the
// stored state (after a restart, an update, or a transition change).
type Reconcile struct{}

func (Reconcile) apply(*decider) error { return nil }

// Start begins a new execution of the current pipeline version.
type Start struct {
	ExecutionID string
	Trigger     sluice.Trigger
	Variables   map[string]string
	ClientToken string
	Revisions   map[string]sluice.Revision
	// MaxConcurrent bounds active executions in QUEUED and PARALLEL mode (default 50).
	MaxConcurrent int
}

func (cmd Start) apply(d *decider) error {
	decl := &d.s.Pipeline.Declaration
	mode := decl.Mode()
	limit := cmd.MaxConcurrent
	if limit <= 0 {
		limit = 50
	}
	if mode != sluice.ModeSuperseded && len(d.activeBySeq()) >= limit {
		return sluice.Errorf(sluice.ELimit, "ConcurrentPipelineExecutions",
			"Pipeline %s already has %d executions in progress, the most its %s mode allows.", decl.Name, limit, mode)
	}
	now := d.now()
	d.insertExec(&sluice.Execution{ID: cmd.ExecutionID, PipelineName: decl.Name, PipelineVersion: decl.Version,
		Status: sluice.ExecutionInProgress, Mode: mode, Trigger: cmd.Trigger, Attempt: 1,
		Variables: cmd.Variables, Revisions: cmd.Revisions, ClientToken: cmd.ClientToken,
		StartTime: now, LastUpdateTime: now})
	d.event(sluice.DetailExecution, "STARTED", d.execs[cmd.ExecutionID], "", nil)
	return nil
}

// Timeout fires an action run's or a rule run's deadline.
type Timeout struct{ ActionRunID string }

func (cmd Timeout) apply(d *decider) error {
	if rr := d.ruleRuns[cmd.ActionRunID]; rr != nil {
		d.ruleTimedOut(rr)
		return nil
	}
	run := d.actionRun(cmd.ActionRunID)
	if run == nil || run.Status != sluice.ActionInProgress || run.Deadline.IsZero() || run.Deadline.After(d.now()) {
		return nil // answered or finished meanwhile: nothing to do
	}
	e := d.execs[run.ExecutionID]
	if e == nil {
		return nil
	}
	msg := "The action did not finish before its timeout and was stopped."
	if run.Token != "" {
		msg = "The approval request expired before anyone approved or rejected it."
	}
	for _, j := range d.openJobs(run.ID) {
		d.touchJob(j)
		j.Status = sluice.JobTimedOut
		j.UpdatedAt = d.now()
	}
	d.finishAction(e, run, sluice.ActionFailed, sluice.FailureJobFailed, msg)
	return nil
}

func (d *decider) actionRun(id string) *sluice.ActionRun {
	for _, a := range d.s.ActionRuns {
		if a.ID == id {
			return a
		}
	}
	return nil
}

// finishAction ends a running action run with a final status.
func (d *decider) finishAction(e *sluice.Execution, run *sluice.ActionRun, st sluice.ActionStatus, code, msg string) {
	d.touchAction(run)
	run.Status = st
	run.LastUpdateTime = d.now()
	if st == sluice.ActionFailed || st == sluice.ActionAbandoned {
		run.ErrorCode, run.ErrorMessage = code, msg
		if run.Summary == "" {
			run.Summary = msg
		}
	}
	d.event(sluice.DetailAction, actionState(st), e, run.StageName, run)
}

var timeZero time.Time
