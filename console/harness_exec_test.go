package console_test

import (
	"log/slog"
	"net/http/httptest"
	"time"

	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/console"
	"sluice/service"
)

// rootCaller is the account's root, for arranging state through the core.
var rootCaller = sluice.Caller{Principal: "arn:aws:iam::" + account + ":root", AccessKeyID: rootID}

// execPipeline is a V2 pipeline that runs executions side by side: an S3 source that
// produces Code (its job waits until the test finishes it) and a Manual approval.
func execPipeline(name string) sluice.PipelineDeclaration {
	def := "dev"
	return sluice.PipelineDeclaration{Name: name, RoleArn: "arn:aws:iam::" + account + ":role/p",
		PipelineType: "V2", ExecutionMode: sluice.ModeParallel,
		Variables:     []sluice.PipelineVariableDeclaration{{Name: "Env", DefaultValue: &def}},
		ArtifactStore: &sluice.ArtifactStoreDecl{Type: "S3", Location: "bucket"},
		Stages: []sluice.StageDeclaration{
			{Name: "Source", Actions: []sluice.ActionDeclaration{{Name: "Fetch",
				ActionTypeID:    sluice.ActionTypeID{Category: "Source", Owner: "AWS", Provider: "S3", Version: "1"},
				Configuration:   map[string]string{"S3Bucket": "b", "S3ObjectKey": "k.zip", "PollForSourceChanges": "false"},
				OutputArtifacts: []sluice.OutputArtifact{{Name: "Code"}}}}},
			{Name: "Gate", Actions: []sluice.ActionDeclaration{{Name: "Approve",
				ActionTypeID: sluice.ActionTypeID{Category: "Approval", Owner: "AWS", Provider: "Manual", Version: "1"}}}},
		}}
}

// createExec creates an execPipeline and returns the id of the execution its creation
// started (trigger CreatePipeline).
func (f *fixture) createExec(name string) string {
	_, err := f.core.CreatePipeline(f.ctx, rootCaller, execPipeline(name), nil)
	require.NoError(f.t, err)
	runs, _, err := f.core.ListExecutions(f.ctx, rootCaller, name, sluice.ExecutionFilter{})
	require.NoError(f.t, err)
	require.Len(f.t, runs, 1)
	return runs[0].ID
}

// start starts an execution by hand with variables and returns its id; the clock moves a
// second first, so executions start in order.
func (f *fixture) start(pipeline string, vars map[string]string) string {
	f.clock.add(time.Second)
	id, err := f.core.StartExecution(f.ctx, rootCaller, service.StartParams{Pipeline: pipeline, Variables: vars})
	require.NoError(f.t, err)
	return id
}

// revise starts an execution with a revision handed to the source (PutActionRevision).
func (f *fixture) revise(pipeline string, rev sluice.Revision) string {
	f.clock.add(time.Second)
	_, id, err := f.core.PutActionRevision(f.ctx, rootCaller, service.PutActionRevisionParams{Pipeline: pipeline, Stage: "Source", Action: "Fetch", Revision: rev})
	require.NoError(f.t, err)
	return id
}

// finishJobs claims every queued job and reports it done (or failed) after d, as a worker
// would; it returns how many it finished.
func (f *fixture) finishJobs(success bool, d time.Duration) int {
	jobs, err := f.db.ClaimJobs(f.ctx, sluice.ClaimParams{Worker: "test", Limit: 100, Now: f.clock.Now(), LeaseFor: time.Hour, Acknowledge: true})
	require.NoError(f.t, err)
	f.clock.add(d)
	for _, j := range jobs {
		res := sluice.JobResult{JobID: j.ID, Success: success, Summary: "done by the test", OutputVariables: map[string]string{"ETag": "abc123"}}
		if !success {
			res.ErrorType, res.ErrorMessage = sluice.FailureJobFailed, "the test failed it"
		}
		require.NoError(f.t, f.core.Engine.JobResult(f.ctx, res))
	}
	return len(jobs)
}

// stop stops an execution, abandoning what runs.
func (f *fixture) stop(pipeline, id string) {
	require.NoError(f.t, f.core.StopExecution(f.ctx, rootCaller, service.StopParams{Pipeline: pipeline, ExecutionID: id, Abandon: true, Reason: "test"}))
}

// serveConsole serves another console over the fixture's core, edited by edit (an artifact
// store, a log reader); browsers made after it use it.
func (f *fixture) serveConsole(edit func(*console.Console)) {
	c := &console.Console{Service: f.core, Log: slog.New(slog.NewTextHandler(testWriter{f.t}, nil)), Live: f.hub}
	edit(c)
	f.srv = httptest.NewServer(c.Handler())
	f.t.Cleanup(f.srv.Close)
}
