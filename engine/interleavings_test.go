package engine

import (
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
)

// Interleavings of commands the scenarios do not spell out; each name says which scenarios it
// crosses. The harness checks its invariants after every command (invariants_test.go).

// abc is P with S2 holding A and B (runOrder 1) and C (runOrder 2).
func abc(mode sluice.ExecutionMode) sluice.PipelineDeclaration {
	return sluice.PipelineDeclaration{ExecutionMode: mode, Stages: []sluice.StageDeclaration{source(),
		stage("S2", cmdAction("A", 1, "Code", ""), cmdAction("B", 1, "Code", ""), cmdAction("C", 2, "Code", "")),
		stage("S3", cmdAction("D", 1, "Code", ""))}}
}

func TestInterleavingsRetry(t *testing.T) {
	t.Parallel()

	t.Run("S8S24_RetryWhileAnotherWaitsAtStage", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, abc(""))
		e1, e2 := h.start(), h.start()
		h.pass(e1, "Source")
		h.fail(e1, "S2", "A")
		h.pass(e2, "Source")
		require.Equal(t, "S2", h.exec(e2).WaitingAt)
		h.must(Retry{ExecutionID: e1, Stage: "S2", Mode: sluice.RetryFailedActions})
		require.Equal(t, "S2", h.exec(e2).WaitingAt, "the retried execution keeps its stage")
		e3 := h.start()
		h.pass(e3, "Source")
		require.Equal(t, sluice.ExecutionSuperseded, h.status(e2))
		h.pass(e1, "S2")
		require.Equal(t, sluice.StageInProgress, h.stage(e1, "S3"))
		require.Equal(t, sluice.StageInProgress, h.stage(e3, "S2"))
	})

	t.Run("S12S22_RetryRegainsStageBehindDisabledTransition", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, threeStages(sluice.ModeQueued))
		e1, e2 := h.start(), h.start()
		h.pass(e1, "Source")
		h.must(SetTransition{Stage: "S2", Enabled: false, Reason: "hold"})
		h.must(Stop{ExecutionID: e1, Abandon: true})
		h.pass(e2, "Source")
		require.Equal(t, "S2", h.exec(e2).WaitingAt)
		h.must(Retry{ExecutionID: e1, Stage: "S2", Mode: sluice.RetryFailedActions})
		h.must(SetTransition{Stage: "S2", Enabled: true})
		require.Equal(t, "S2", h.exec(e2).WaitingAt, "the retried execution holds S2 again")
		h.pass(e1, "S2")
		require.Equal(t, sluice.StageInProgress, h.stage(e2, "S2"))
	})

	t.Run("S21S23_AbandonDuringFailedActionsRetry", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, abc(""))
		e := h.start()
		h.pass(e, "Source")
		h.fail(e, "S2", "A")
		h.must(Retry{ExecutionID: e, Stage: "S2", Mode: sluice.RetryFailedActions})
		jobA, jobB := h.openJob(e, "S2", "A"), h.openJob(e, "S2", "B")
		h.must(Stop{ExecutionID: e, Abandon: true})
		require.Equal(t, sluice.ActionAbandoned, h.run(e, "S2", "A").Status)
		require.Equal(t, sluice.ActionAbandoned, h.run(e, "S2", "B").Status)
		require.False(t, jobA.Status.Open())
		require.False(t, jobB.Status.Open())
		require.Equal(t, sluice.ExecutionStopped, h.status(e))
		h.must(Retry{ExecutionID: e, Stage: "S2", Mode: sluice.RetryFailedActions})
		require.Equal(t, 3, h.runs(e, "S2", "A"))
		require.Equal(t, 2, h.runs(e, "S2", "B"))
		h.pass(e, "S2")
		require.Equal(t, sluice.StageInProgress, h.stage(e, "S3"))
	})

	t.Run("S23_RetryWhileInProgressCountsAttempt", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, abc(""))
		e := h.start()
		h.pass(e, "Source")
		h.fail(e, "S2", "A")
		h.must(Retry{ExecutionID: e, Stage: "S2", Mode: sluice.RetryFailedActions})
		require.Equal(t, 2, h.exec(e).Attempt, "every retry is an attempt, siblings running or not")
		require.Equal(t, 2, h.stageRun(e, "S2").Attempt)
	})

	t.Run("S7S23_RetryOfUnresolvableActionFailsAgain", func(t *testing.T) {
		t.Parallel()
		d := threeStages("")
		d.Stages[1].Actions[0].Commands = []string{"echo #{NA.Missing}"}
		h := newHarness(t, d)
		e := h.start()
		h.pass(e, "Source")
		require.Equal(t, sluice.ExecutionFailed, h.status(e))
		h.must(Retry{ExecutionID: e, Stage: "S2", Mode: sluice.RetryFailedActions})
		require.Equal(t, sluice.ExecutionFailed, h.status(e))
		require.Equal(t, sluice.StageFailed, h.stage(e, "S2"))
		require.Equal(t, 2, h.runs(e, "S2", "A"))
	})

	t.Run("S11S14_ParallelRetryAfterAnotherPassedStage", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, threeStages(sluice.ModeParallel))
		e1, e2 := h.start(), h.start()
		h.pass(e1, "Source")
		h.fail(e1, "S2", "A")
		h.pass(e2, "Source")
		require.Equal(t, sluice.StageInProgress, h.stage(e2, "S2"))
		h.must(Retry{ExecutionID: e1, Stage: "S2", Mode: sluice.RetryFailedActions})
		require.Equal(t, sluice.StageInProgress, h.stage(e1, "S2"), "PARALLEL executions hold no stage: each retries its own")
	})
}

func TestInterleavingsStop(t *testing.T) {
	t.Parallel()

	t.Run("S17S18_StopQueuedWaiterAtDisabledTransition", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, threeStages(sluice.ModeQueued))
		h.must(SetTransition{Stage: "S3", Enabled: false, Reason: "freeze"})
		e1, e2 := h.start(), h.start()
		for _, e := range []string{e1, e2} {
			h.pass(e, "Source")
			h.pass(e, "S2")
		}
		h.must(Stop{ExecutionID: e1, Reason: "not this one"})
		require.Equal(t, sluice.ExecutionStopped, h.status(e1))
		require.Empty(t, h.exec(e1).WaitingAt)
		h.must(SetTransition{Stage: "S3", Enabled: true})
		require.Nil(t, h.stageRun(e1, "S3"))
		require.Equal(t, sluice.StageInProgress, h.stage(e2, "S3"), "the next in the queue enters")
		require.Equal(t, sluice.ENotRetryable, sluice.ErrorCode(h.do(Retry{ExecutionID: e1, Stage: "S3", Mode: sluice.RetryAllActions})))
	})

	t.Run("S8S20_SupersedeAroundStoppingExecution", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, threeStages(""))
		e1, e2 := h.start(), h.start()
		h.pass(e1, "Source")
		h.must(Stop{ExecutionID: e1})
		h.pass(e2, "Source")
		require.Equal(t, "S2", h.exec(e2).WaitingAt, "a Stopping execution still holds its stage")
		h.must(Stop{ExecutionID: e2})
		require.Equal(t, sluice.ExecutionStopped, h.status(e2))
		e3 := h.start()
		h.pass(e3, "Source")
		require.Equal(t, sluice.ExecutionStopped, h.status(e2), "a stopped waiter is not superseded")
		h.succeed(e1, "S2", "A")
		require.Equal(t, sluice.ExecutionStopped, h.status(e1))
		require.Equal(t, sluice.StageInProgress, h.stage(e3, "S2"))
	})

	t.Run("S20S24_StopAndWaitAfterSiblingFailed", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, abc(""))
		e := h.start()
		h.pass(e, "Source")
		h.fail(e, "S2", "A")
		h.must(Stop{ExecutionID: e})
		require.Equal(t, sluice.ENotRetryable, sluice.ErrorCode(h.do(Retry{ExecutionID: e, Stage: "S2", Mode: sluice.RetryFailedActions})))
		h.succeed(e, "S2", "B")
		require.Equal(t, sluice.ExecutionStopped, h.status(e))
		require.Equal(t, sluice.StageStopped, h.stage(e, "S2"))
		h.must(Retry{ExecutionID: e, Stage: "S2", Mode: sluice.RetryFailedActions})
		require.Equal(t, 2, h.runs(e, "S2", "A"))
		require.Equal(t, 1, h.runs(e, "S2", "B"))
	})

	t.Run("S20S30_TimeoutWhileStopping", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, threeStages(""))
		e := h.start()
		h.pass(e, "Source")
		h.must(Stop{ExecutionID: e})
		run := h.run(e, "S2", "A")
		h.s.Now = run.Deadline
		h.must(Timeout{ActionRunID: run.ID})
		require.Equal(t, sluice.ActionFailed, run.Status)
		require.Equal(t, sluice.ExecutionStopped, h.status(e))
	})

	t.Run("S20S21_AbandonAfterStopAndWaitKeepsReason", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, threeStages(""))
		e := h.start()
		h.pass(e, "Source")
		h.must(Stop{ExecutionID: e, Reason: "bad commit"})
		h.must(Stop{ExecutionID: e, Abandon: true})
		require.Equal(t, sluice.ExecutionStopped, h.status(e))
		require.Equal(t, "bad commit", h.exec(e).StopReason)
		require.Equal(t, "bad commit", h.exec(e).StatusSummary)
	})

	t.Run("S12S21_AbandonHolderAdmitsQueueHead", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, threeStages(sluice.ModeQueued))
		e1, e2, e3 := h.start(), h.start(), h.start()
		for _, e := range []string{e1, e2, e3} {
			h.pass(e, "Source")
		}
		h.must(Stop{ExecutionID: e1, Abandon: true})
		require.Equal(t, sluice.StageInProgress, h.stage(e2, "S2"))
		require.Equal(t, "S2", h.exec(e3).WaitingAt)
	})
}

func TestInterleavingsJobs(t *testing.T) {
	t.Parallel()
	continued := func(t *testing.T) (*harness, string, *sluice.Job) {
		h := newHarness(t, threeStages(""))
		e := h.start()
		first := h.openJob(e, "Source", "Src")
		h.must(JobResult{sluice.JobResult{JobID: first.ID, Success: true, ContinuationToken: "step2"}})
		return h, e, h.openJob(e, "Source", "Src")
	}

	t.Run("S21_AbandonClosesQueuedContinuation", func(t *testing.T) {
		t.Parallel()
		h, e, next := continued(t)
		h.must(Stop{ExecutionID: e, Abandon: true})
		require.False(t, next.Status.Open())
		require.Equal(t, sluice.ActionAbandoned, h.run(e, "Source", "Src").Status)
		err := h.do(JobResult{sluice.JobResult{JobID: next.ID, Success: true}})
		require.Equal(t, sluice.EInvalidJobState, sluice.ErrorCode(err))
	})

	t.Run("S20_StopAndWaitLetsContinuationFinish", func(t *testing.T) {
		t.Parallel()
		h, e, next := continued(t)
		h.must(Stop{ExecutionID: e})
		require.True(t, next.Status.Open())
		h.must(JobResult{sluice.JobResult{JobID: next.ID, Success: true}})
		require.Equal(t, sluice.ActionSucceeded, h.run(e, "Source", "Src").Status)
		require.Equal(t, sluice.ExecutionStopped, h.status(e))
		require.Nil(t, h.stageRun(e, "S2"), "no new stage starts")
	})

	t.Run("S30_TimeoutAfterJobReportedChangesNothing", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, threeStages(""))
		e := h.start()
		run := h.run(e, "Source", "Src")
		h.succeed(e, "Source", "Src")
		h.s.Now = run.Deadline
		h.must(Timeout{ActionRunID: run.ID})
		require.True(t, h.last.Empty())
		require.Equal(t, sluice.ActionSucceeded, run.Status)
	})

	t.Run("S30_TimeoutDuringContinuationFailsAction", func(t *testing.T) {
		t.Parallel()
		h, e, next := continued(t)
		run := h.run(e, "Source", "Src")
		h.s.Now = run.Deadline
		h.must(Timeout{ActionRunID: run.ID})
		require.Equal(t, sluice.JobTimedOut, next.Status)
		require.Equal(t, sluice.ExecutionFailed, h.status(e))
	})
}

func TestInterleavingsVariables(t *testing.T) {
	t.Parallel()
	decl := func() sluice.PipelineDeclaration {
		a := cmdAction("A", 1, "Code", "Built")
		a.Namespace = "NA"
		d := cmdAction("D", 1, "Code", "")
		d.Commands = []string{"echo #{NA.X}"}
		return sluice.PipelineDeclaration{Stages: []sluice.StageDeclaration{source(), stage("S2", a), stage("S3", d)}}
	}

	t.Run("S7_ReferenceIntoSkippedStageFailsNamingIt", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, decl())
		e := h.start()
		h.s.StageRuns = append(h.s.StageRuns, &sluice.StageRun{ExecutionID: e, StageName: "S2", Status: sluice.StageSkipped, Attempt: 1, BaseAttempt: 1})
		h.pass(e, "Source")
		run := h.run(e, "S3", "D")
		require.Equal(t, sluice.ActionFailed, run.Status)
		require.Contains(t, run.ErrorMessage, "#{NA.X}")
		require.Equal(t, sluice.ExecutionFailed, h.status(e))
	})

	t.Run("S7_InputFromSkippedStageFailsNamingIt", func(t *testing.T) {
		t.Parallel()
		d := decl()
		d.Stages[2].Actions[0] = cmdAction("D", 1, "Built", "")
		h := newHarness(t, d)
		e := h.start()
		h.s.StageRuns = append(h.s.StageRuns, &sluice.StageRun{ExecutionID: e, StageName: "S2", Status: sluice.StageSkipped, Attempt: 1, BaseAttempt: 1})
		h.pass(e, "Source")
		require.Contains(t, h.run(e, "S3", "D").ErrorMessage, "input artifact Built")
	})

	t.Run("S7_ReferenceToLaterGroupFailsNamingIt", func(t *testing.T) {
		t.Parallel()
		c := cmdAction("C", 2, "Code", "")
		c.Namespace = "NC"
		b := cmdAction("B", 1, "Code", "")
		b.Commands = []string{"echo #{NC.Y}"}
		h := newHarness(t, sluice.PipelineDeclaration{Stages: []sluice.StageDeclaration{source(), stage("S2", b, c)}})
		e := h.start()
		h.pass(e, "Source")
		require.Contains(t, h.run(e, "S2", "B").ErrorMessage, "#{NC.Y}")
		require.Nil(t, h.run(e, "S2", "C"))
	})
}
