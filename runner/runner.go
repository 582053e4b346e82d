// Package runner runs one job on a worker: it makes a workspace, unpacks the input
// artifacts, hands the job to the provider of its action type with a log that masks
// secrets, enforces the job's deadline, zips and stores the output artifacts and turns
// what happened into a sluice.JobResult.
//
// A workspace is <WorkRoot>/<job id> (mode 0711), taken away when the job ends (renamed
// to <WorkRoot>/.removing-<job id> at once, then deleted in the background; Wait waits for
// that). Its fixed directories are ready before the job, as spares
// (<WorkRoot>/.spare-<random>) that a job's workspace is renamed from: made while earlier
// jobs run, or, where the sandbox allows it (Sandbox.ReusableWorkspaces), an earlier job's
// workspace emptied down to the directories only the worker can change (the workspace,
// in/, scratch/) with new home/ and tmp/. With ReadyShells, a job may instead get a
// workspace <WorkRoot>/ws-<random> whose sandbox and shell were started before it came
// (RunContext.Shell); it keeps that name through the job. The layout:
//
//	in/<artifact name>/  one directory per input artifact; the first is RunContext.WorkDir
//	work/                RunContext.WorkDir when the job has no input artifact
//	home/                HOME
//	tmp/                 TMPDIR
//	scratch/             RunContext.ScratchDir, the provider's own (the action's code may
//	                     read files the provider puts there by name, not write)
//
// The directories the action's code writes to (the inputs, work, home, tmp) are 0700 and
// handed to the sandbox's user (Sandbox.Own); the others stay the worker's.
//
// RunContext.Env is built from a list, never from the worker's environment: PATH
// (DefaultPath), HOME, TMPDIR, LANG and LC_ALL (C.UTF-8), then these variables, then the
// operator's (Runner.Env), which may replace any of the others:
//
//	CODEPIPELINE_PIPELINE_NAME          the pipeline's name
//	CODEPIPELINE_EXECUTION_ID           the pipeline execution id
//	CODEPIPELINE_STAGE_NAME             the stage's name
//	CODEPIPELINE_ACTION_NAME            the action's name
//	CODEPIPELINE_ACTION_EXECUTION_ID    the action execution (action run) id
//	CODEPIPELINE_JOB_ID                 the job id
//	CODEPIPELINE_INPUT_<name>           the directory of input artifact <name>; characters
//	                                    other than letters, digits and '_' become '_'
//	                                    (CODEPIPELINE_INPUT_my_app for "my-app")
package runner

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"sluice"
)

// Runner runs jobs. Artifacts, Providers and WorkRoot are required; Logs and Clock are
// optional. A Runner is safe for concurrent use: each Run has its own workspace.
type Runner struct {
	Artifacts sluice.ArtifactStore
	// Providers maps ActionTypeID.String() to the provider running that type (see
	// ProviderMap).
	Providers map[string]sluice.Provider
	WorkRoot  string
	Logs      LogSink      // nil discards logs; failure summaries still quote their end
	Clock     sluice.Clock // tells the time job deadlines are measured against; nil = system
	// Secrets resolves the secrets jobs refer to (nil: jobs that refer to one fail); every
	// value it returns is masked in the job's log and result.
	Secrets sluice.SecretResolver
	// Sandbox runs the action's code (RunContext.Sandbox); without one, providers that run
	// code fail their jobs.
	Sandbox sluice.Sandbox
	Env     []string // the operator's additions to every action's environment, KEY=VALUE
	// ReadyShells keeps, per work root, up to two workspaces whose sandbox is set up and
	// whose shell is started (Sandbox.StartShell), readied while jobs run, for the next jobs
	// that run commands; Close ends them.
	ReadyShells bool

	bg sync.WaitGroup // workspaces being deleted, and spares made, in the background
}

// Wait waits until the workspaces of the jobs that have ended are gone and the spares
// being made are ready.
func (r *Runner) Wait() { r.bg.Wait() }

// Close waits as Wait does, then ends the shells kept ready in the work root and deletes
// their workspaces. The Runner may run jobs after Close; it readies shells again.
func (r *Runner) Close() {
	r.bg.Wait()
	sparesFor(r.WorkRoot).dropReady()
}

// errTimedOut is the cancellation cause when a job's deadline passes.
var errTimedOut = errors.New("job deadline passed")

// Run runs job and reports how it ended, failures included, in the result. Canceling ctx
// abandons the job: the provider is stopped and the result is a failure. Logs go to Logs
// under the job's ActionRunID (its ID when that is empty).
func (r *Runner) Run(ctx context.Context, job *sluice.Job) sluice.JobResult {
	j := &jobRun{job: job, started: r.now()}
	p, secrets := r.provider(job)
	if p == nil {
		return j.result(ctx, nil,
			failf(sluice.FailureConfigurationError, "no provider for action type %s on this worker", actionType(job)))
	}
	log, err := r.openLog(ctx, job, secrets)
	if err != nil {
		return j.result(ctx, nil, failf(sluice.FailureSystemUnavailable, "cannot open the job's log: %v", err))
	}
	defer log.Close()
	j.log = log
	runCtx, cancel := r.withDeadline(ctx, job)
	defer cancel()
	out, err := r.runIn(runCtx, job, p, log)
	return j.result(runCtx, out, err)
}

// runIn runs the provider in a fresh workspace and stores the outputs of a final success.
func (r *Runner) runIn(ctx context.Context, job *sluice.Job, p sluice.Provider, log *jobLog) (*sluice.Outcome, error) {
	ws, err := r.newWorkspace(job)
	if ws != nil {
		defer ws.remove(r.Sandbox, &r.bg)
		if ws.ready != nil {
			defer ws.ready.shell.Close() // before the workspace goes, unless the provider ran it
		}
	}
	if err != nil {
		return nil, err
	}
	rc, err := ws.prepare(ctx, prepareParams{store: r.Artifacts, job: job, env: r.Env, sandbox: r.Sandbox})
	if err != nil {
		return nil, err
	}
	rc.Log = log
	if ws.ready != nil {
		rc.Shell = ws.ready.shell
	}
	if r.Secrets != nil {
		rc.Secrets = maskingResolver{inner: r.Secrets, log: log}
	}
	out, err := callProvider(ctx, p, rc)
	switch {
	case err != nil:
		return nil, providerFailure(err)
	case out == nil:
		return nil, failf(sluice.FailureSystemUnavailable, "the provider returned no outcome")
	case out.Success && out.ContinuationToken == "" && ctx.Err() == nil:
		return out, r.putOutputs(ctx, job, out)
	}
	return out, nil
}

// maskingResolver masks what it resolves in the job's log before the provider sees it.
type maskingResolver struct {
	inner sluice.SecretResolver
	log   *jobLog
}

func (m maskingResolver) ResolveSecrets(ctx context.Context, job *sluice.Job, refs []sluice.SecretRef) ([]string, error) {
	values, err := m.inner.ResolveSecrets(ctx, job, refs)
	if err != nil {
		return nil, err
	}
	m.log.addSecrets(values...)
	return values, nil
}

func (r *Runner) openLog(ctx context.Context, job *sluice.Job, secrets []string) (*jobLog, error) {
	if r.Logs == nil {
		return newJobLog(nil, secrets), nil
	}
	id := job.ActionRunID
	if id == "" {
		id = job.ID
	}
	f, err := r.Logs.Open(ctx, sluice.ActionRef{PipelineName: job.PipelineName, ActionRunID: id})
	if err != nil {
		return nil, err
	}
	return newJobLog(f, secrets), nil
}

// withDeadline stops the job at job.Deadline as the Clock tells it; a zero deadline means
// none.
func (r *Runner) withDeadline(ctx context.Context, job *sluice.Job) (context.Context, context.CancelFunc) {
	if job.Deadline.IsZero() {
		return context.WithCancel(ctx)
	}
	return context.WithTimeoutCause(ctx, job.Deadline.Sub(r.now()), errTimedOut)
}

func (r *Runner) now() time.Time {
	if r.Clock == nil {
		return time.Now()
	}
	return r.Clock.Now()
}

// callProvider turns a provider's panic into an error: one bad job must not take the
// worker, and every other job on it, down.
func callProvider(ctx context.Context, p sluice.Provider, rc *sluice.RunContext) (out *sluice.Outcome, err error) {
	defer func() {
		if v := recover(); v != nil {
			out, err = nil, fmt.Errorf("panic: %v", v)
		}
	}()
	return p.Run(ctx, rc)
}
