package engine

import (
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
)

func TestInterleavingsApproval(t *testing.T) {
	t.Parallel()
	// S2 holds an approval OK and a command B (runOrder 1), then C (runOrder 2).
	decl := func() sluice.PipelineDeclaration {
		return sluice.PipelineDeclaration{Stages: []sluice.StageDeclaration{source(),
			stage("S2", approval("OK", 1), cmdAction("B", 1, "Code", ""), cmdAction("C", 2, "Code", ""))}}
	}

	t.Run("S6S28_RejectedWhileSiblingRuns", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, decl())
		e := h.start()
		h.pass(e, "Source")
		old := h.run(e, "S2", "OK").Token
		require.NoError(t, h.answer(e, "S2", "OK", false))
		require.Equal(t, sluice.StageInProgress, h.stage(e, "S2"), "B still runs")
		h.must(Retry{ExecutionID: e, Stage: "S2", Mode: sluice.RetryFailedActions})
		fresh := h.run(e, "S2", "OK").Token
		require.NotEqual(t, old, fresh)
		err := h.do(Approve{Stage: "S2", Action: "OK", Token: old, Approved: true})
		require.Equal(t, sluice.EAlreadyCompleted, sluice.ErrorCode(err))
		require.NoError(t, h.answer(e, "S2", "OK", true))
		require.Nil(t, h.run(e, "S2", "C"), "runOrder 2 waits for B")
		h.succeed(e, "S2", "B")
		h.succeed(e, "S2", "C")
		require.Equal(t, sluice.ExecutionSucceeded, h.status(e))
	})

	t.Run("S20S28_StopAndWaitAbandonsOpenApproval", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, decl())
		e := h.start()
		h.pass(e, "Source")
		h.must(Stop{ExecutionID: e})
		require.Equal(t, sluice.ActionAbandoned, h.run(e, "S2", "OK").Status, "stopping abandons the approval (SEMANTICS §5.11)")
		require.Equal(t, sluice.ExecutionStopping, h.status(e), "B still runs")
		require.Equal(t, sluice.EAlreadyCompleted, sluice.ErrorCode(h.answer(e, "S2", "OK", true)))
		h.succeed(e, "S2", "B")
		require.Equal(t, sluice.ExecutionStopped, h.status(e))
		h.must(Retry{ExecutionID: e, Stage: "S2", Mode: sluice.RetryFailedActions})
		require.Equal(t, sluice.ActionInProgress, h.run(e, "S2", "OK").Status, "a retry asks again")
	})

	t.Run("S9S20_StopAndWaitOnApprovalFreesStage", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, sluice.PipelineDeclaration{Stages: []sluice.StageDeclaration{source(), stage("S2", approval("OK", 1))}})
		e1, e2 := h.start(), h.start()
		h.pass(e1, "Source")
		h.pass(e2, "Source")
		h.must(Stop{ExecutionID: e1})
		require.Equal(t, sluice.ExecutionStopped, h.status(e1))
		require.Equal(t, sluice.StageInProgress, h.stage(e2, "S2"))
	})

	t.Run("S27S28_UpdateWhileApprovalWaits", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, sluice.PipelineDeclaration{Stages: []sluice.StageDeclaration{source(), stage("S2", approval("OK", 1))}})
		e1, e2 := h.start(), h.start()
		h.pass(e1, "Source")
		h.pass(e2, "Source")
		h.update(nil)
		require.Equal(t, sluice.ExecutionCancelled, h.status(e2), "a waiting execution is cancelled")
		require.Equal(t, sluice.ActionAbandoned, h.run(e1, "S2", "OK").Status, "answering it could change nothing")
		require.Equal(t, sluice.ExecutionCancelled, h.status(e1))
		require.Equal(t, sluice.StageCancelled, h.stage(e1, "S2"))
		e3 := h.start()
		h.pass(e3, "Source")
		require.Equal(t, sluice.ActionInProgress, h.run(e3, "S2", "OK").Status, "the new version is not held up")
	})
}

func TestInterleavingsApprovalTargets(t *testing.T) {
	t.Parallel()
	one := func(mode sluice.ExecutionMode) sluice.PipelineDeclaration {
		return sluice.PipelineDeclaration{ExecutionMode: mode, Stages: []sluice.StageDeclaration{source(), stage("S2", approval("OK", 1))}}
	}

	t.Run("S28_UnknownStageOrActionNotFound", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, one(""))
		e := h.start()
		h.pass(e, "Source")
		tok := h.run(e, "S2", "OK").Token
		err := h.do(Approve{Stage: "Nope", Action: "OK", Token: tok, Approved: true})
		require.Equal(t, sluice.ENotFound, sluice.ErrorCode(err))
		require.Contains(t, err.Error(), "Stage Nope")
		err = h.do(Approve{Stage: "S2", Action: "Nope", Token: tok, Approved: true})
		require.Equal(t, sluice.ENotFound, sluice.ErrorCode(err))
		require.Contains(t, err.Error(), "Action Nope")
	})

	t.Run("S9S28_SecondAnswerAfterNewerApprovalOpened", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, one(""))
		e1, e2 := h.start(), h.start()
		h.pass(e1, "Source")
		h.pass(e2, "Source")
		tok := h.run(e1, "S2", "OK").Token
		require.NoError(t, h.answer(e1, "S2", "OK", true))
		require.Equal(t, sluice.ActionInProgress, h.run(e2, "S2", "OK").Status)
		err := h.do(Approve{Stage: "S2", Action: "OK", Token: tok, Approved: true})
		require.Equal(t, sluice.EAlreadyCompleted, sluice.ErrorCode(err), "%v", err)
	})

	t.Run("S14S28_ParallelApprovalSurvivesUpdate", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, one(sluice.ModeParallel))
		e := h.start()
		h.pass(e, "Source")
		h.update(func(d *sluice.PipelineDeclaration) { d.Stages[1].Actions[0].Name = "Renamed" })
		require.Equal(t, sluice.ActionInProgress, h.run(e, "S2", "OK").Status)
		require.NoError(t, h.answer(e, "S2", "OK", true), "the action the update removed is still answered")
		require.Equal(t, sluice.ExecutionSucceeded, h.status(e))
	})
}

func TestInterleavingsModeSwitch(t *testing.T) { // SEMANTICS §5.4, switching modes
	t.Parallel()
	mode := func(m sluice.ExecutionMode) func(*sluice.PipelineDeclaration) {
		return func(d *sluice.PipelineDeclaration) { d.ExecutionMode = m }
	}
	// running: e1 in S2, e2 waiting at S2 (or beside e1 in PARALLEL).
	running := func(t *testing.T, from sluice.ExecutionMode) (*harness, string, string) {
		h := newHarness(t, threeStages(from))
		e1, e2 := h.start(), h.start()
		h.pass(e1, "Source")
		h.pass(e2, "Source")
		return h, e1, e2
	}

	t.Run("S12S27_SupersededToQueued", func(t *testing.T) {
		t.Parallel()
		h, e1, e2 := running(t, "")
		h.update(mode(sluice.ModeQueued))
		require.Equal(t, sluice.ExecutionCancelled, h.status(e2))
		e3, e4 := h.start(), h.start()
		h.pass(e3, "Source")
		h.pass(e4, "Source")
		require.Equal(t, "S2", h.exec(e3).WaitingAt)
		require.Equal(t, "S2", h.exec(e4).WaitingAt, "QUEUED arrivals supersede nobody")
		h.succeed(e1, "S2", "A")
		require.Equal(t, sluice.ExecutionCancelled, h.status(e1))
		require.Equal(t, sluice.StageInProgress, h.stage(e3, "S2"))
		require.Equal(t, "S2", h.exec(e4).WaitingAt)
	})

	t.Run("S8S27_QueuedToSuperseded", func(t *testing.T) {
		t.Parallel()
		h, e1, e2 := running(t, sluice.ModeQueued)
		h.update(mode(sluice.ModeSuperseded))
		require.Equal(t, sluice.ExecutionCancelled, h.status(e2))
		e3, e4 := h.start(), h.start()
		h.pass(e3, "Source")
		h.pass(e4, "Source")
		require.Equal(t, sluice.ExecutionSuperseded, h.status(e3))
		h.succeed(e1, "S2", "A")
		require.Equal(t, sluice.ExecutionCancelled, h.status(e1))
		require.Equal(t, sluice.StageInProgress, h.stage(e4, "S2"))
	})

	t.Run("S14S27_SupersededToParallel", func(t *testing.T) {
		t.Parallel()
		h, e1, e2 := running(t, "")
		h.update(mode(sluice.ModeParallel))
		require.Equal(t, sluice.ExecutionCancelled, h.status(e2))
		e3 := h.start()
		h.pass(e3, "Source")
		require.Equal(t, sluice.StageInProgress, h.stage(e3, "S2"), "PARALLEL ignores the old execution's lock")
		h.succeed(e1, "S2", "A")
		require.Equal(t, sluice.ExecutionCancelled, h.status(e1))
	})

	t.Run("S12S14_ParallelToQueued", func(t *testing.T) {
		t.Parallel()
		h, p1, p2 := running(t, sluice.ModeParallel)
		h.update(mode(sluice.ModeQueued))
		q3, q4 := h.start(), h.start()
		h.pass(q3, "Source")
		h.pass(q4, "Source")
		require.Equal(t, sluice.StageInProgress, h.stage(q3, "S2"), "PARALLEL executions hold no lock")
		require.Equal(t, "S2", h.exec(q4).WaitingAt)
		for _, p := range []string{p1, p2} {
			h.pass(p, "S2")
			h.pass(p, "S3")
			require.Equal(t, sluice.ExecutionSucceeded, h.status(p), "PARALLEL executions keep running")
		}
		h.pass(q3, "S2")
		require.Equal(t, sluice.StageInProgress, h.stage(q4, "S2"))
	})

	t.Run("S14S16_ParallelWaiterAtStageTheUpdateRemoved", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, threeStages(sluice.ModeParallel))
		h.must(SetTransition{Stage: "S3", Enabled: false, Reason: "freeze"})
		p1 := h.start()
		h.pass(p1, "Source")
		h.pass(p1, "S2")
		h.update(func(d *sluice.PipelineDeclaration) { d.Stages = d.Stages[:2] })
		require.Equal(t, "S3", h.exec(p1).WaitingAt, "the freeze still holds it")
		h.must(SetTransition{Stage: "S3", Enabled: true, By: "alice"})
		h.pass(p1, "S3")
		require.Equal(t, sluice.ExecutionSucceeded, h.status(p1))
		require.Equal(t, sluice.ENotFound, sluice.ErrorCode(h.do(SetTransition{Stage: "S3"})), "no execution runs S3 any more")
	})

	t.Run("S14_ParallelVersionsWalkTheirOwnStages", func(t *testing.T) {
		t.Parallel()
		h, p1, _ := running(t, sluice.ModeParallel)
		h.update(func(d *sluice.PipelineDeclaration) {
			d.Stages[1].Actions[0].Name = "A2"
			d.Stages[2] = stage("S4", cmdAction("X", 1, "Code", ""))
		})
		p3 := h.start()
		h.pass(p3, "Source")
		require.NotNil(t, h.openJob(p3, "S2", "A2"))
		h.pass(p1, "S2")
		require.NotNil(t, h.openJob(p1, "S3", "D"), "p1 walks version 1")
		h.pass(p3, "S2")
		require.NotNil(t, h.openJob(p3, "S4", "X"))
		h.pass(p1, "S3")
		require.Equal(t, sluice.ExecutionSucceeded, h.status(p1))
	})
}
