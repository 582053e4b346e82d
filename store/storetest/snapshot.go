package storetest

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"sluice"
)

// testSnapshot checks sluice.Tx.Snapshot.
func testSnapshot(t *testing.T, open func(*testing.T) sluice.Store) {
	t.Run("Contents", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		v1 := f.createPipeline("app")
		v2 := pipeline("app")
		v2.Declaration.Version, v2.Declaration.ExecutionMode = 2, sluice.ModeParallel
		f.update("app", func(tx sluice.Tx) error { return tx.SavePipeline(f.ctx, v2) })
		f.createPipeline("other")
		foreign := f.execution("other", sluice.ExecutionInProgress)
		f.apply("other", insert(foreign))

		// Seq, not insertion, orders executions: want [failed(1), stopping(3), running(5)].
		running := f.execution("app", sluice.ExecutionInProgress)
		stopping := f.execution("app", sluice.ExecutionStopping)
		done := f.execution("app", sluice.ExecutionSucceeded)
		failed := f.execution("app", sluice.ExecutionFailed)
		running.Seq, stopping.Seq, done.Seq, failed.Seq = 5, 3, 4, 1
		for _, e := range []*sluice.Execution{stopping, done, failed} {
			e.PipelineVersion = 2
		}
		srSource := f.stageRun(running, "Source", sluice.StageSucceeded)
		srBuild := f.stageRun(running, "Build", sluice.StageInProgress)
		srDone := f.stageRun(done, "Build", sluice.StageSucceeded)
		srFailed := f.stageRun(failed, "Build", sluice.StageFailed)

		// Action runs: StartTime orders them, insertion breaks ties.
		checkout := f.actionRun(running, "Source", "Checkout", sluice.ActionSucceeded)
		compile1 := f.actionRun(running, "Build", "Compile", sluice.ActionFailed)
		compile2 := f.actionRun(running, "Build", "Compile", sluice.ActionInProgress)
		stopRun := f.actionRun(stopping, "Build", "Compile", sluice.ActionInProgress)
		doneRun := f.actionRun(done, "Build", "Compile", sluice.ActionSucceeded)
		failedRun := f.actionRun(failed, "Build", "Test", sluice.ActionFailed)
		checkout.StartTime = at(-10)
		compile1.StartTime, compile2.StartTime = at(-5), at(-5)

		open1 := f.job(compile2, "app", buildType)
		closed := f.job(compile1, "app", buildType)
		closed.Status = sluice.JobFailed
		open2 := f.job(stopRun, "app", buildType)
		open2.Status = sluice.JobDispatched
		doneJob := f.job(doneRun, "app", buildType)

		plan := insert(running, stopping, done, failed, srSource, srBuild, srDone, srFailed,
			compile1, compile2, checkout, stopRun, doneRun, failedRun, open1, closed, open2, doneJob)
		build := &sluice.StageState{Transition: sluice.TransitionState{Enabled: true}, LatestExecutionID: running.ID}
		source := &sluice.StageState{Transition: sluice.TransitionState{Enabled: false, DisabledReason: "x"}}
		plan.Stages = map[string]*sluice.StageState{"Build": build, "Source": source}
		f.apply("app", plan)

		s := f.snapshot("app", failed.ID, foreign.ID)
		require.Equal(t, v2, s.Pipeline)
		require.Equal(t, []string{failed.ID, stopping.ID, running.ID}, ids(s.Executions, execID))
		require.Equal(t, running, s.Executions[2])
		require.ElementsMatch(t, []*sluice.StageRun{srSource, srBuild, srFailed}, s.StageRuns)
		require.Equal(t, []string{checkout.ID, compile1.ID, compile2.ID, stopRun.ID, failedRun.ID}, ids(s.ActionRuns, runID))
		require.Equal(t, compile2, s.ActionRuns[2])
		require.ElementsMatch(t, []string{open1.ID, open2.ID}, ids(s.Jobs, jobID))
		require.Equal(t, map[int]*sluice.PipelineDeclaration{1: &v1.Declaration, 2: &v2.Declaration}, s.Declarations)
		require.Equal(t, map[string]*sluice.StageState{"Build": build, "Source": source}, s.Stages)
		require.Equal(t, time.Time{}, s.Now)
	})

	t.Run("NoExecutions", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		p := f.createPipeline("app")
		done := f.execution("app", sluice.ExecutionSucceeded)
		f.apply("app", insert(done, f.actionRun(done, "Build", "Compile", sluice.ActionSucceeded)))

		s := f.snapshot("app")
		require.Equal(t, p, s.Pipeline)
		require.Empty(t, s.Executions)
		require.Empty(t, s.StageRuns)
		require.Empty(t, s.ActionRuns)
		require.Empty(t, s.Jobs)
		require.Empty(t, s.Stages)
		require.Equal(t, map[int]*sluice.PipelineDeclaration{1: &p.Declaration}, s.Declarations)
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		err := f.s.Update(f.ctx, "nope", func(tx sluice.Tx) error {
			_, err := tx.Snapshot(f.ctx)
			return err
		})
		requireCode(t, err, sluice.ENotFound, "Pipeline")
	})
}
