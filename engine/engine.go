package engine

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"sluice"
)

// Engine runs the use cases: each reads a snapshot, decides, and applies the plan in one
// transaction of the store, which serialises the changes of one pipeline.
type Engine struct {
	Store   sluice.Store
	Clock   sluice.Clock
	IDs     sluice.IDs
	Account string
	Region  string
	// Lookup finds an action type (built-in or custom) for validation.
	Lookup func(sluice.ActionTypeID) (*sluice.ActionType, bool)
	// Applied, when set, is called after every committed plan: wake workers, cancel jobs
	// that were closed, update metrics. It must not block.
	Applied func(*sluice.Plan)
	Log     *slog.Logger
	// MaxConcurrent bounds active executions of QUEUED and PARALLEL pipelines (default 50).
	MaxConcurrent int
	// Dispatcher, when set, hands new jobs straight to idle in-process workers.
	Dispatcher Dispatcher
	// Runnable reports whether any worker runs an action type (see Env.Runnable).
	Runnable func(sluice.ActionTypeID) bool
}

// Dispatcher gives new jobs to in-process workers without a round trip through the queue:
// Reserve claims an idle worker for a job before its plan commits (setting the job's status,
// worker, nonce and lease as a claim would), Release gives the worker back when the plan did
// not commit, Deliver hands the job over once it has. A crash between commit and delivery
// leaves an in-progress job of a dead worker, which start-up recovery fails as interrupted.
type Dispatcher interface {
	Reserve(job *sluice.Job, now time.Time) bool
	Release(job *sluice.Job)
	Deliver(job *sluice.Job)
}

// decide runs one command against pipeline's state in a transaction and commits the plan.
func (e *Engine) decide(ctx context.Context, pipeline string, cmd Command, include ...string) error {
	var plan *sluice.Plan
	err := e.Store.Update(ctx, pipeline, func(tx sluice.Tx) error {
		var err error
		plan, err = e.decideTx(ctx, tx, cmd, include...)
		return err
	})
	e.finish(plan, err)
	return err
}

func (e *Engine) decideTx(ctx context.Context, tx sluice.Tx, cmd Command, include ...string) (*sluice.Plan, error) {
	snap, err := tx.Snapshot(ctx, include...)
	if err != nil {
		return nil, err
	}
	snap.Now = e.Clock.Now()
	plan, err := Decide(snap, cmd, Env{IDs: e.IDs, Runnable: e.Runnable})
	if err != nil {
		return nil, err
	}
	if plan.Empty() {
		return plan, nil
	}
	e.reserve(plan, snap.Now)
	return plan, tx.Apply(ctx, plan)
}

// reserve lets the dispatcher take the plan's new jobs for idle in-process workers.
func (e *Engine) reserve(plan *sluice.Plan, now time.Time) {
	if e.Dispatcher == nil {
		return
	}
	for _, c := range plan.Jobs {
		if c.Insert && c.Row.Status == sluice.JobQueued {
			e.Dispatcher.Reserve(c.Row, now)
		}
	}
}

// finish delivers a committed plan's reserved jobs and reports the plan, or gives the
// reservations back when it did not commit.
func (e *Engine) finish(plan *sluice.Plan, err error) {
	if plan == nil || plan.Empty() {
		return
	}
	if e.Dispatcher != nil {
		for _, c := range plan.Jobs {
			if !c.Insert || c.Row.Status != sluice.JobInProgress {
				continue
			}
			if err != nil {
				e.Dispatcher.Release(c.Row)
			} else {
				e.Dispatcher.Deliver(c.Row)
			}
		}
	}
	if err == nil && e.Applied != nil {
		e.Applied(plan)
	}
}

// Scope is the region and account the engine mints ARNs in.
func (e *Engine) Scope() sluice.ARNScope {
	return sluice.ARNScope{Region: e.Region, Account: e.Account}
}

// PipelineARN is the ARN of a pipeline in this server's region and account.
func (e *Engine) PipelineARN(name string) string {
	return e.Scope().ARN(sluice.PipelineARN, name)
}

// StartParams describes a new execution.
type StartParams struct {
	Pipeline    string
	Trigger     sluice.Trigger
	Variables   map[string]string // overrides of the pipeline's variables
	ClientToken string
	Revisions   map[string]sluice.Revision
	// SourceRevisions pin source actions (StartPipelineExecution's sourceRevisions); they
	// win over Revisions.
	SourceRevisions []sluice.SourceRevisionOverride
}

// Start starts an execution and returns its id; a repeated ClientToken returns the id of
// the execution it started before.
func (e *Engine) Start(ctx context.Context, p StartParams) (string, error) {
	id := e.IDs.NewID()
	var plan *sluice.Plan
	err := e.Store.Update(ctx, p.Pipeline, func(tx sluice.Tx) error {
		if p.ClientToken != "" {
			prev, err := tx.ExecutionByClientToken(ctx, p.ClientToken)
			if err != nil || prev != "" {
				id = prev
				return err
			}
		}
		pl, err := tx.Pipeline(ctx)
		if err != nil {
			return err
		}
		vars, err := startVariables(&pl.Declaration, p.Variables)
		if err != nil {
			return err
		}
		revs, err := overrideRevisions(&pl.Declaration, p.SourceRevisions, p.Revisions)
		if err != nil {
			return err
		}
		plan, err = e.decideTx(ctx, tx, Start{ExecutionID: id, Trigger: p.Trigger, Variables: vars,
			ClientToken: p.ClientToken, Revisions: revs, MaxConcurrent: e.MaxConcurrent})
		return err
	})
	e.finish(plan, err)
	if err != nil {
		return "", err
	}
	return id, nil
}

// Stop stops an execution (SEMANTICS §5.7).
func (e *Engine) Stop(ctx context.Context, pipeline, executionID string, abandon bool, reason string) error {
	return e.decide(ctx, pipeline, Stop{ExecutionID: executionID, Abandon: abandon, Reason: reason}, executionID)
}

// Retry retries a stage of an execution (SEMANTICS §5.8).
func (e *Engine) Retry(ctx context.Context, pipeline, stage, executionID string, mode sluice.RetryMode) error {
	return e.decide(ctx, pipeline, Retry{ExecutionID: executionID, Stage: stage, Mode: mode}, executionID)
}

// SetTransition enables or disables the inbound transition of a stage (SEMANTICS §5.6).
func (e *Engine) SetTransition(ctx context.Context, pipeline string, t SetTransition) error {
	return e.decide(ctx, pipeline, t)
}

// Approve answers a manual approval. The execution holding the token is loaded even when it
// has ended, so answering a closed approval reports it as closed.
func (e *Engine) Approve(ctx context.Context, pipeline string, a Approve) error {
	var plan *sluice.Plan
	err := e.Store.Update(ctx, pipeline, func(tx sluice.Tx) error {
		holder, err := tx.ExecutionByApprovalToken(ctx, a.Token)
		if err != nil {
			return err
		}
		var include []string
		if holder != "" {
			include = append(include, holder)
		}
		plan, err = e.decideTx(ctx, tx, a, include...)
		return err
	})
	e.finish(plan, err)
	return err
}

// JobResult applies a worker's result for a job.
func (e *Engine) JobResult(ctx context.Context, res sluice.JobResult) error {
	job, err := e.Store.GetJob(ctx, res.JobID)
	if err != nil {
		return err
	}
	return e.ReportJob(ctx, job, res)
}

// ReportJob applies the result of a job the caller already holds (an in-process worker),
// saving the read that finds its pipeline.
func (e *Engine) ReportJob(ctx context.Context, job *sluice.Job, res sluice.JobResult) error {
	return e.decide(ctx, job.PipelineName, JobResult{res}, job.ExecutionID)
}

// Timeout fires the deadline of an action run.
func (e *Engine) Timeout(ctx context.Context, ref sluice.ActionRef) error {
	return e.decide(ctx, ref.PipelineName, Timeout{ActionRunID: ref.ActionRunID})
}

// Reconcile re-derives and applies every pending step of a pipeline's executions.
func (e *Engine) Reconcile(ctx context.Context, pipeline string) error {
	return e.decide(ctx, pipeline, Reconcile{})
}

// Recover reconciles every pipeline with executions in progress; run it at start-up so a
// crash never leaves an execution waiting for a step that was never taken.
func (e *Engine) Recover(ctx context.Context) error {
	names, err := e.Store.ActivePipelines(ctx)
	if err != nil {
		return err
	}
	for _, n := range names {
		if err := e.Reconcile(ctx, n); err != nil && !sluice.IsCode(err, sluice.ENotFound) {
			return fmt.Errorf("recover pipeline %s: %w", n, err)
		}
	}
	return nil
}

// RollbackStage starts a ROLLBACK execution that runs stage again with target's revisions
// (SEMANTICS §5.9) and returns its id.
func (e *Engine) RollbackStage(ctx context.Context, pipeline, stage, target, by string) (string, error) {
	id := e.IDs.NewID()
	if err := e.decide(ctx, pipeline, Rollback{ExecutionID: id, Stage: stage, Target: target, By: by}, target); err != nil {
		return "", err
	}
	return id, nil
}

// OverrideCondition lets a stage past a condition still being evaluated (SEMANTICS §5.10).
func (e *Engine) OverrideCondition(ctx context.Context, pipeline string, cmd OverrideCondition) error {
	return e.decide(ctx, pipeline, cmd, cmd.ExecutionID)
}
