// Package worker is `sluice worker`: a process on any machine that runs built-in actions
// for a Sluice server over its API. It long-polls for jobs of the types it runs (and the
// labels it carries), acknowledges each, heartbeats by acknowledging again, runs it with the
// same runner as the server's own workers, fetching and storing artifacts through the
// server's S3 endpoint with the job's credentials, and reports with PutJobSuccessResult or
// PutJobFailureResult.
package worker

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"

	"sluice"
	"sluice/client"
	"sluice/jobqueue"
	"sluice/logclient"
	"sluice/runner"
)

// labelPattern is what a worker label may be (the server checks the same).
var labelPattern = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-zA-Z0-9_-]{1,50}$`) })

// Config is a worker's settings.
type Config struct {
	Server      string // the server's base URL
	Region      string // the signing region (any; the server accepts every region)
	Credentials aws.CredentialsProvider
	Name        string   // shown as the job's worker, unique per process
	Labels      []string // jobs whose WorkerLabel is one of these (or unset) come here
	Capacity    int      // jobs run at once
	WorkDir     string   // workspaces and spooled uploads
	Providers   []sluice.Provider
	// Sandbox runs the actions' code (package sandbox); ActionEnv adds to their environment
	// (KEY=VALUE), which holds nothing of the worker's own.
	Sandbox   sluice.Sandbox
	ActionEnv []string
	// ReadyShells keeps shells ready for the next Commands jobs (runner.Runner.ReadyShells).
	ReadyShells bool
	// Logs stores the jobs' logs; nil sends them to the server as they are written.
	Logs runner.LogSink
	Log  *slog.Logger
}

// Worker runs jobs until its context ends.
type Worker struct {
	cfg     Config
	http    *http.Client
	cp      *codepipeline.Client
	poller  *poller
	types   []sluice.ActionTypeID
	provMap map[string]sluice.Provider
	bg      sync.WaitGroup // the runners' background work: workspaces removed, spares made
}

// New checks cfg and builds a worker.
func New(cfg Config) (*Worker, error) {
	switch {
	case cfg.Server == "":
		return nil, errors.New("the server URL is required")
	case cfg.Credentials == nil:
		return nil, errors.New("credentials are required")
	case len(cfg.Providers) == 0:
		return nil, errors.New("no action types to run")
	}
	if len(cfg.Labels) > 20 {
		return nil, fmt.Errorf("--labels: at most 20 labels, not %d", len(cfg.Labels))
	}
	for _, l := range cfg.Labels {
		if !labelPattern().MatchString(l) {
			return nil, fmt.Errorf("--labels: %q is not a label: use 1 to 50 letters, digits, '-' or '_'", l)
		}
	}
	cfg.Capacity = max(cfg.Capacity, 1)
	if cfg.Region == "" {
		cfg.Region = "us-east-1"
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if err := os.MkdirAll(filepath.Join(cfg.WorkDir, "spool"), 0o700); err != nil {
		return nil, err
	}
	// The sandbox's user passes through the work root to its own workspace, lists nothing.
	if err := os.Chmod(cfg.WorkDir, 0o711); err != nil {
		return nil, err
	}
	if cfg.Logs == nil {
		cfg.Logs = logclient.New(cfg.Server, cfg.Credentials, cfg.Region)
	}
	pm, err := runner.ProviderMap(cfg.Providers...)
	if err != nil {
		return nil, err
	}
	// No overall timeout: long polls and artifact transfers take as long as they take.
	hc := &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
	w := &Worker{cfg: cfg, http: hc, provMap: pm,
		cp: codepipeline.New(codepipeline.Options{Region: cfg.Region, BaseEndpoint: aws.String(cfg.Server),
			Credentials: cfg.Credentials, HTTPClient: hc, Retryer: client.Retryer()}),
		poller: &poller{client.New(cfg.Server, cfg.Region, cfg.Credentials, hc)}}
	for _, p := range cfg.Providers {
		for _, t := range p.Types() {
			w.types = append(w.types, t.ID)
		}
	}
	return w, nil
}

// Types lists the action types the worker runs.
func (w *Worker) Types() []sluice.ActionTypeID { return w.types }

// Run polls and runs jobs until ctx ends, then waits for running jobs: a job's own context
// is stop, so a caller can let jobs finish (stop never ends) or abandon them. It returns an
// *AuthError when the server refuses the credentials; other failures to reach the server
// are retried with backoff.
func (w *Worker) Run(ctx, stop context.Context) error {
	defer func() {
		w.bg.Wait()
		// The jobs' Runners share the work root's ready shells; any Runner there ends them.
		(&runner.Runner{WorkRoot: w.cfg.WorkDir}).Close()
	}()
	backoff := time.Second
	return jobqueue.Serve(ctx, w.cfg.Capacity, func(ctx context.Context, limit int) ([]polledJob, error) {
		jobs, err := w.poller.poll(ctx, pollRequest{ActionTypeIDs: w.types, Labels: w.cfg.Labels,
			MaxBatchSize: limit, WaitSeconds: 20, Worker: w.cfg.Name})
		var auth *AuthError
		switch {
		case errors.As(err, &auth):
			return nil, err
		case err == nil:
			backoff = time.Second
			return jobs, nil
		case ctx.Err() != nil:
			return nil, nil
		}
		w.cfg.Log.Warn("poll for jobs failed; retrying", "err", err, "in", backoff)
		select {
		case <-time.After(backoff):
		case <-ctx.Done():
		}
		backoff = min(backoff*2, 30*time.Second)
		return nil, nil
	}, func(p polledJob) { w.runJob(stop, &p) })
}

// runJob acknowledges a job, runs it while heartbeating and reports its result.
func (w *Worker) runJob(ctx context.Context, p *polledJob) {
	job := p.job()
	log := w.cfg.Log.With("job", job.ID, "pipeline", job.PipelineName, "action", job.StageName+"/"+job.ActionName)
	if _, err := w.cp.AcknowledgeJob(ctx, &codepipeline.AcknowledgeJobInput{JobId: &job.ID, Nonce: &job.Nonce}); err != nil {
		log.Warn("acknowledge job failed; leaving it to be re-offered", "err", err)
		return
	}
	log.Info("job started", "type", job.ActionType.String())
	jobCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	stopBeat := w.heartbeat(jobCtx, cancel, job, time.Duration(p.Sluice.LeaseSeconds)*time.Second, log)
	r := &runner.Runner{Artifacts: newJobArtifacts(w.http, w.cfg.Server, w.cfg.Region, p, filepath.Join(w.cfg.WorkDir, "spool")),
		Providers: w.provMap, WorkRoot: w.cfg.WorkDir, Logs: w.cfg.Logs, Secrets: remoteSecrets{w.poller.c},
		Sandbox: w.cfg.Sandbox, Env: w.cfg.ActionEnv, ReadyShells: w.cfg.ReadyShells}
	res := r.Run(jobCtx, job)
	w.bg.Go(r.Wait)
	if ctx.Err() != nil {
		stopBeat()
		log.Warn("job abandoned: the worker is stopping; its lease will expire")
		return
	}
	// The heartbeat goes on until the result is in: a server that is away for a moment must
	// not let the lease of a finished job run out.
	err := w.reportUntilSettled(ctx, job, res, log)
	stopBeat()
	if err != nil {
		log.Error("report job result failed", "err", err)
		return
	}
	log.Info("job finished", "success", res.Success)
}

// reportUntilSettled reports res, retrying with backoff while the server cannot be reached
// or fails, until it takes the result, refuses it for good, or the worker stops.
func (w *Worker) reportUntilSettled(ctx context.Context, job *sluice.Job, res sluice.JobResult, log *slog.Logger) error {
	backoff := time.Second
	for {
		err := w.report(ctx, job, res)
		var nonce *types.InvalidNonceException
		var notFound *types.JobNotFoundException
		var validation *types.ValidationException
		switch {
		case err == nil, errors.As(err, &nonce), errors.As(err, &notFound), errors.As(err, &validation):
			return err
		}
		log.Warn("report job result failed; retrying", "err", err, "in", backoff)
		select {
		case <-ctx.Done():
			return err
		case <-time.After(backoff):
		}
		backoff = min(backoff*2, 30*time.Second)
	}
}

// heartbeat acknowledges the job again every third of its lease. When the server refuses
// (the action was stopped, timed out or handed to another worker), the job is cancelled.
func (w *Worker) heartbeat(ctx context.Context, cancel context.CancelFunc, job *sluice.Job, lease time.Duration, log *slog.Logger) (stop func()) {
	if lease <= 0 {
		lease = 30 * time.Second
	}
	ctx, stopCtx := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(lease / 3)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			_, err := w.cp.AcknowledgeJob(ctx, &codepipeline.AcknowledgeJobInput{JobId: &job.ID, Nonce: &job.Nonce})
			var nonce *types.InvalidNonceException
			var notFound *types.JobNotFoundException
			switch {
			case err == nil || ctx.Err() != nil:
			case errors.As(err, &nonce) || errors.As(err, &notFound) || isJobState(err):
				log.Warn("the server closed the job; stopping it", "err", err)
				cancel()
				return
			default:
				log.Warn("heartbeat failed", "err", err)
			}
		}
	}()
	return func() { stopCtx(); <-done }
}

func isJobState(err error) bool {
	var api interface{ ErrorCode() string }
	return errors.As(err, &api) && api.ErrorCode() == "InvalidJobStateException"
}

// report sends the job's result; a job the server already closed needs none.
func (w *Worker) report(ctx context.Context, job *sluice.Job, res sluice.JobResult) error {
	var err error
	if res.Success {
		in := &codepipeline.PutJobSuccessResultInput{JobId: &job.ID, OutputVariables: res.OutputVariables}
		if res.ContinuationToken != "" {
			in.ContinuationToken = aws.String(res.ContinuationToken)
		}
		if res.Summary != "" || res.ExternalID != "" {
			in.ExecutionDetails = &types.ExecutionDetails{Summary: nonEmpty(res.Summary), ExternalExecutionId: nonEmpty(res.ExternalID)}
		}
		if r := res.Revision; r != nil && r.RevisionID != "" {
			in.CurrentRevision = &types.CurrentRevision{Revision: aws.String(r.RevisionID),
				ChangeIdentifier: aws.String(firstOf(r.ChangeIdentifier, r.RevisionID)), RevisionSummary: nonEmpty(r.Summary)}
		}
		_, err = w.cp.PutJobSuccessResult(ctx, in)
	} else {
		msg := firstOf(res.ErrorMessage, "The action failed.")
		_, err = w.cp.PutJobFailureResult(ctx, &codepipeline.PutJobFailureResultInput{JobId: &job.ID,
			FailureDetails: &types.FailureDetails{Type: types.FailureType(firstOf(res.ErrorType, sluice.FailureJobFailed)),
				Message: aws.String(msg), ExternalExecutionId: nonEmpty(res.ExternalID)}})
	}
	if isJobState(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("report job %s: %w", job.ID, err)
	}
	return nil
}

func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return aws.String(s)
}

func firstOf(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
