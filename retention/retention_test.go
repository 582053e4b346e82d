package retention_test

import (
	"bytes"
	"context"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/actionlog"
	"sluice/artifact/diskstore"
	"sluice/retention"
	"sluice/store/sqlite"
)

var (
	day       = 24 * time.Hour
	now       = time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	buildType = sluice.ActionTypeID{Category: sluice.CategoryBuild, Owner: sluice.OwnerAWS, Provider: "CodeBuild", Version: "1"}
)

type clock struct{ t time.Time }

func (c clock) Now() time.Time { return c.t }

// bundle is a pruner on a real store, artifact store and log sink.
type bundle struct {
	ctx    context.Context
	db     *sqlite.DB
	arts   *diskstore.Store
	logs   *actionlog.FileSink
	pruner *retention.Pruner
	seq    int
}

func setup(t *testing.T) *bundle {
	t.Helper()
	dir := t.TempDir()
	db, err := sqlite.Open(filepath.Join(dir, "sluice.db"))
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, db.Close()) })
	arts, err := diskstore.New(filepath.Join(dir, "artifacts"))
	require.NoError(t, err)
	logs, err := actionlog.NewFileSink(filepath.Join(dir, "logs"), 0)
	require.NoError(t, err)
	b := &bundle{ctx: t.Context(), db: db, arts: arts, logs: logs}
	b.pruner = &retention.Pruner{Store: db, Artifacts: arts, Logs: logs, Clock: clock{now}, Batch: 2,
		Log: slog.New(slog.DiscardHandler)}
	return b
}

// pipeline creates a pipeline whose Deploy stage rolls back when it fails.
func (b *bundle) pipeline(t *testing.T, name string) {
	t.Helper()
	p := &sluice.Pipeline{ARN: "arn:aws:codepipeline:us-east-1:000000000000:" + name, Created: now, Updated: now,
		Declaration: sluice.PipelineDeclaration{Name: name, Version: 1, PipelineType: "V2", ExecutionMode: sluice.ModeQueued,
			RoleArn: "arn:aws:iam::000000000000:role/sluice", ArtifactStore: &sluice.ArtifactStoreDecl{Type: "S3", Location: "a"},
			Stages: []sluice.StageDeclaration{
				{Name: "Build", Actions: []sluice.ActionDeclaration{{Name: "Compile", ActionTypeID: buildType}}},
				{Name: "Deploy", Actions: []sluice.ActionDeclaration{{Name: "Ship", ActionTypeID: buildType}},
					OnFailure: &sluice.FailureConditions{Result: sluice.ResultRollback}},
			}}}
	require.NoError(t, b.db.Update(b.ctx, name, func(tx sluice.Tx) error { return tx.CreatePipeline(b.ctx, p, nil) }))
}

// execution stores an execution that started age ago and ran stages (each succeeding
// as status says), with an artifact and a log for each stage's action run.
func (b *bundle) execution(t *testing.T, name string, age time.Duration, status sluice.ExecutionStatus, stages ...string) (*sluice.Execution, []*sluice.ActionRun) {
	t.Helper()
	b.seq++
	start := now.Add(-age)
	e := &sluice.Execution{ID: name + "-exec-" + string(rune('a'+b.seq)), PipelineName: name, PipelineVersion: 1, Status: status,
		Mode: sluice.ModeQueued, Attempt: 1, Seq: int64(b.seq), StartTime: start, LastUpdateTime: start,
		Trigger: sluice.Trigger{Type: sluice.TriggerStartPipelineExecution}}
	plan := &sluice.Plan{Executions: []sluice.Change[sluice.Execution, sluice.ExecutionStatus]{{Row: e, Insert: true}}}
	stageStatus := sluice.StageSucceeded
	if status == sluice.ExecutionFailed {
		stageStatus = sluice.StageFailed
	}
	var runs []*sluice.ActionRun
	for _, st := range stages {
		id := e.ID + "-" + st
		key := name + "/out/" + id
		_, err := b.arts.Put(b.ctx, key, bytes.NewReader([]byte("zip")))
		require.NoError(t, err)
		require.NoError(t, b.logs.Append(b.ctx, id, []byte("log of "+id+"\n")))
		r := &sluice.ActionRun{ID: id, ExecutionID: e.ID, StageName: st, ActionName: "Act", StageAttempt: 1, PipelineVersion: 1,
			Status: sluice.ActionSucceeded, StartTime: start, LastUpdateTime: start,
			OutputArtifacts: []sluice.ArtifactRef{{Name: "out", Key: key}}}
		runs = append(runs, r)
		plan.StageRuns = append(plan.StageRuns, sluice.Change[sluice.StageRun, sluice.StageStatus]{Insert: true,
			Row: &sluice.StageRun{ExecutionID: e.ID, StageName: st, Status: stageStatus, Attempt: 1, BaseAttempt: 1, StartTime: start, LastUpdateTime: start}})
		plan.ActionRuns = append(plan.ActionRuns, sluice.Change[sluice.ActionRun, sluice.ActionStatus]{Row: r, Insert: true})
	}
	require.NoError(t, b.db.Update(b.ctx, name, func(tx sluice.Tx) error { return tx.Apply(b.ctx, plan) }))
	return e, runs
}

func (b *bundle) requireFiles(t *testing.T, runs []*sluice.ActionRun, present bool) {
	t.Helper()
	for _, r := range runs {
		_, err := b.arts.Open(b.ctx, r.OutputArtifacts[0].Key)
		p := make([]byte, 64)
		n, _, logErr := b.logs.ReadLog(b.ctx, r.ID, 0, p)
		if present {
			require.NoError(t, err)
			require.NoError(t, logErr)
			require.Positive(t, n, "the log of %s", r.ID)
			continue
		}
		require.Equal(t, sluice.ENotFound, sluice.ErrorCode(err), "artifact of %s: %v", r.ID, err)
		require.Zero(t, n, "the log of %s", r.ID)
	}
}

func TestPruneByAgeKeepsRollbackTargets(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.pipeline(t, "app")
	b.pipeline(t, "quiet")
	deployed, deployedRuns := b.execution(t, "app", 200*day, sluice.ExecutionSucceeded, "Build", "Deploy")
	var oldRuns []*sluice.ActionRun
	for range 3 {
		_, runs := b.execution(t, "app", 100*day, sluice.ExecutionFailed, "Build")
		oldRuns = append(oldRuns, runs...)
	}
	running, runningRuns := b.execution(t, "app", 120*day, sluice.ExecutionInProgress, "Build")
	recent, recentRuns := b.execution(t, "app", day, sluice.ExecutionFailed, "Build", "Deploy")
	quiet, quietRuns := b.execution(t, "quiet", 10*day, sluice.ExecutionSucceeded, "Build")
	counted := 0
	b.pruner.MaxAge = 90 * day
	b.pruner.Pruned = func(executions, _ int) { counted += executions }

	r, err := b.pruner.Prune(b.ctx)
	require.NoError(t, err)
	require.Equal(t, retention.Round{Pipelines: 1, Executions: 3, Logs: 3, Artifacts: 3}, r)
	require.Equal(t, 3, counted, "the metrics hook sees every batch")
	b.requireFiles(t, oldRuns, false)
	for _, e := range []*sluice.Execution{deployed, running, recent, quiet} {
		_, err := b.db.GetExecution(b.ctx, e.PipelineName, e.ID)
		require.NoError(t, err, "%s is kept", e.ID)
	}
	b.requireFiles(t, append(append(append(deployedRuns, runningRuns...), recentRuns...), quietRuns...), true)

	r, err = b.pruner.Prune(b.ctx)
	require.NoError(t, err)
	require.Zero(t, r.Executions, "a second round finds nothing more")
}

func TestPruneByCount(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.pipeline(t, "app")
	var runs [][]*sluice.ActionRun
	for i := range 5 {
		_, r := b.execution(t, "app", time.Duration(10-i)*day, sluice.ExecutionFailed, "Build")
		runs = append(runs, r)
	}
	b.pruner.MaxCount = 2
	r, err := b.pruner.Prune(b.ctx)
	require.NoError(t, err)
	require.Equal(t, 3, r.Executions, "three batches of two at most")
	for i, rs := range runs {
		b.requireFiles(t, rs, i >= 3)
	}
	es, _, err := b.db.ListExecutions(b.ctx, "app", sluice.ExecutionFilter{})
	require.NoError(t, err)
	require.Len(t, es, 2)
}

func TestDisabledKeepsEverything(t *testing.T) {
	t.Parallel()
	b := setup(t)
	require.False(t, b.pruner.Enabled())
	done := make(chan struct{})
	go func() { b.pruner.Run(b.ctx); close(done) }()
	<-done // Run returns at once without a limit
}
