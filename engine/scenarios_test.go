package engine

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"sluice"
)

// The cases of ENGINE-SCENARIOS.md that decide_test.go does not already assert. Where a
// scenario is decided outside Decide (2, 3: Engine.Start and the store), usecases_test.go
// asserts it against SQLite; 19's Outbound mapping lives in the API (node's full-server tests).
// Every harness command is also checked against invariants_test.go (31: nothing stays
// InProgress with nothing running) and plancheck_test.go (33: the plan holds every change).
//
// Where each scenario is asserted (D = decide_test.go, S = this file, U = usecases_test.go,
// I = interleavings*_test.go, which cross scenarios):
//
//	1 S,U  2 S,U  3 U  4 S  5-7 D TestDecideInsideStage, TestDecideVariables
//	8-11 D TestDecideSuperseded  12-13 D TestDecideQueued  14 D,S,I  15 S
//	16-19 D TestDecideTransitions, S; 18 also I (QUEUED)  20-22 D TestDecideStop
//	23-25 D TestDecideRetry  26 S  27 D,S,I  28-29 D TestDecideApproval, S  30-33 S

func TestScenariosStart(t *testing.T) {
	t.Parallel()

	t.Run("S1_CreatePipelineStartsAtOnceUpdateStartsNothing", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, threeStages(""))
		h.must(Start{ExecutionID: "E1", Trigger: sluice.Trigger{Type: sluice.TriggerCreatePipeline, Detail: "alice"}})
		e := h.exec("E1")
		require.Equal(t, sluice.ExecutionInProgress, e.Status)
		require.Equal(t, sluice.Trigger{Type: sluice.TriggerCreatePipeline, Detail: "alice"}, e.Trigger)
		require.NotNil(t, h.openJob("E1", "Source", "Src"))
		h.update(nil)
		require.Len(t, h.s.Executions, 1)
		for _, c := range h.last.Executions {
			require.False(t, c.Insert, "an update inserts no execution")
		}
	})

	t.Run("S2_ClientTokenKeptOnExecution", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, threeStages(""))
		h.must(Start{ExecutionID: "E1", ClientToken: "tok-1"})
		require.Equal(t, "tok-1", h.exec("E1").ClientToken, "the store finds the execution by it")
	})

	t.Run("S4_EverySourceRunsPinnedForTheWholeRun", func(t *testing.T) {
		t.Parallel()
		src2 := source().Actions[0]
		src2.Name, src2.OutputArtifacts = "Src2", []sluice.OutputArtifact{{Name: "Other"}}
		decl := threeStages("")
		decl.Stages[0].Actions = append(decl.Stages[0].Actions, src2)
		h := newHarness(t, decl)
		r1 := sluice.Revision{RevisionID: "r1"}
		h.must(Start{ExecutionID: "E1", Revisions: map[string]sluice.Revision{"Src": r1}})
		require.Equal(t, &r1, h.openJob("E1", "Source", "Src").Data.Revision)
		j2 := h.openJob("E1", "Source", "Src2")
		require.NotNil(t, j2, "every source action runs, changed or not")
		require.Nil(t, j2.Data.Revision, "an unpinned source takes its branch head")
		h.must(JobResult{sluice.JobResult{JobID: j2.ID, Success: true, Revision: &sluice.Revision{RevisionID: "r2"}}})
		h.fail("E1", "Source", "Src")
		h.must(Retry{ExecutionID: "E1", Stage: "Source", Mode: sluice.RetryAllActions})
		require.Equal(t, "r1", h.openJob("E1", "Source", "Src").Data.Revision.RevisionID)
		require.Equal(t, "r2", h.openJob("E1", "Source", "Src2").Data.Revision.RevisionID, "a retry keeps what the first run took")
	})
}

func TestScenariosModes(t *testing.T) {
	t.Parallel()

	t.Run("S14_ParallelKeepsVersionItStartedWith", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, threeStages(sluice.ModeParallel))
		e1 := h.start()
		h.pass(e1, "Source")
		h.update(func(d *sluice.PipelineDeclaration) { d.Stages[2].Actions[0].Commands = []string{"echo v2"} })
		e2 := h.start()
		h.pass(e2, "Source")
		require.Equal(t, sluice.StageInProgress, h.stage(e1, "S2"))
		require.Equal(t, sluice.StageInProgress, h.stage(e2, "S2"), "no stage lock")
		h.pass(e1, "S2")
		h.pass(e2, "S2")
		require.Equal(t, []string{"true"}, h.openJob(e1, "S3", "D").Data.Commands)
		require.Equal(t, 1, h.openJob(e1, "S3", "D").Data.PipelineVersion)
		require.Equal(t, []string{"echo v2"}, h.openJob(e2, "S3", "D").Data.Commands)
		h.pass(e1, "S3")
		require.Equal(t, sluice.ExecutionSucceeded, h.status(e1), "an update does not cancel PARALLEL executions")
	})

	t.Run("S15_ParallelApprovalAnsweredWithExternalExecutionID", func(t *testing.T) {
		t.Parallel()
		decl := sluice.PipelineDeclaration{ExecutionMode: sluice.ModeParallel,
			Stages: []sluice.StageDeclaration{source(), stage("S2", approval("OK", 1))}}
		h := newHarness(t, decl)
		e1, e2 := h.start(), h.start()
		h.pass(e1, "Source")
		h.pass(e2, "Source")
		r1, r2 := h.run(e1, "S2", "OK"), h.run(e2, "S2", "OK")
		require.NotEqual(t, r1.ExternalExecutionID, r2.ExternalExecutionID)
		h.must(Approve{Stage: "S2", Action: "OK", Token: r2.ExternalExecutionID, Approved: true, By: "alice"})
		require.Equal(t, sluice.ExecutionSucceeded, h.status(e2))
		require.Equal(t, sluice.ActionInProgress, r1.Status, "only the execution the token names moves")
	})
}

func TestScenariosTransitions(t *testing.T) {
	t.Parallel()

	t.Run("S16_DisabledTransitionHoldsAndIsDescribed", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, threeStages(""))
		h.must(SetTransition{Stage: "S3", Enabled: false, Reason: "freeze", By: "alice"})
		at := h.s.Now
		e1 := h.start()
		h.pass(e1, "Source")
		h.pass(e1, "S2")
		require.Equal(t, sluice.TransitionState{Enabled: false, DisabledReason: "freeze", LastChangedBy: "alice", LastChangedAt: at},
			h.s.Stages["S3"].Transition)
		require.Equal(t, sluice.ExecutionInProgress, h.status(e1))
		require.Equal(t, "S3", h.exec(e1).WaitingAt)
		require.Equal(t, sluice.StageSucceeded, h.stage(e1, "S2"), "it holds no stage while it waits")
		require.Nil(t, h.stageRun(e1, "S3"))
	})

	t.Run("S17_QueuedWaitersEnterInOrderOnEnable", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, threeStages(sluice.ModeQueued))
		h.must(SetTransition{Stage: "S3", Enabled: false, Reason: "freeze"})
		e1, e2 := h.start(), h.start()
		h.pass(e1, "Source")
		h.pass(e1, "S2")
		h.pass(e2, "Source")
		h.pass(e2, "S2")
		require.Equal(t, "S3", h.exec(e1).WaitingAt)
		require.Equal(t, "S3", h.exec(e2).WaitingAt)
		require.Equal(t, sluice.ExecutionInProgress, h.status(e1), "nobody is superseded")
		h.must(SetTransition{Stage: "S3", Enabled: true})
		require.Equal(t, sluice.StageInProgress, h.stage(e1, "S3"))
		require.Equal(t, "S3", h.exec(e2).WaitingAt)
		h.pass(e1, "S3")
		require.Equal(t, sluice.StageInProgress, h.stage(e2, "S3"))
	})
}

func TestScenariosRetry(t *testing.T) {
	t.Parallel()
	decl := func() sluice.PipelineDeclaration {
		return sluice.PipelineDeclaration{Stages: []sluice.StageDeclaration{source(),
			stage("S2", cmdAction("A", 1, "Code", "Built"), cmdAction("B", 1, "Code", ""), cmdAction("C", 2, "Built", ""))}}
	}

	t.Run("S26_RetryReplacesArtifactsAndKeepsAttempts", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, decl())
		e := h.start()
		h.pass(e, "Source")
		first := h.run(e, "S2", "A").OutputArtifacts[0].Key
		h.succeed(e, "S2", "A")
		h.fail(e, "S2", "B")
		h.must(Retry{ExecutionID: e, Stage: "S2", Mode: sluice.RetryAllActions})
		second := h.run(e, "S2", "A").OutputArtifacts[0].Key
		require.NotEqual(t, first, second)
		h.succeed(e, "S2", "A")
		h.succeed(e, "S2", "B")
		require.Equal(t, second, h.openJob(e, "S2", "C").Data.InputArtifacts[0].Key, "later actions read the new attempt's output")
		require.Equal(t, 2, h.runs(e, "S2", "A"))
		require.Equal(t, 2, h.runs(e, "S2", "B"))
	})
}

func TestScenariosUpdate(t *testing.T) {
	t.Parallel()

	t.Run("S27_NewStartsUseNewVersionAfterCancelled", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, threeStages(""))
		e1 := h.start()
		h.pass(e1, "Source")
		h.update(nil)
		e2 := h.start()
		require.Equal(t, 2, h.exec(e2).PipelineVersion)
		h.pass(e2, "Source")
		require.Equal(t, "S2", h.exec(e2).WaitingAt, "the cancelled-to-be execution still holds S2")
		h.succeed(e1, "S2", "A")
		require.Equal(t, sluice.ExecutionCancelled, h.status(e1))
		require.Equal(t, sluice.StageInProgress, h.stage(e2, "S2"))
	})
}

func TestScenariosTimeouts(t *testing.T) {
	t.Parallel()

	t.Run("S29_ApprovalTimeoutInMinutesExpires", func(t *testing.T) {
		t.Parallel()
		ok := approval("OK", 1)
		ok.TimeoutInMinutes = 10
		h := newHarness(t, sluice.PipelineDeclaration{Stages: []sluice.StageDeclaration{source(), stage("S2", ok)}})
		e := h.start()
		h.pass(e, "Source")
		run := h.run(e, "S2", "OK")
		require.Equal(t, run.StartTime.Add(10*time.Minute), run.Deadline)
		h.s.Now = run.Deadline
		h.must(Timeout{ActionRunID: run.ID})
		require.Equal(t, sluice.ActionFailed, run.Status)
		require.Contains(t, run.Summary, "expired")
		require.Equal(t, sluice.StageFailed, h.stage(e, "S2"))
	})

	t.Run("S30_ActionPastItsTimeoutFails", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, threeStages(""))
		e := h.start()
		h.pass(e, "Source")
		run, job := h.run(e, "S2", "A"), h.openJob(e, "S2", "A")
		require.Equal(t, run.StartTime.Add(55*time.Minute), run.Deadline, "Commands default")
		h.s.Now = run.Deadline
		h.must(Timeout{ActionRunID: run.ID})
		require.Equal(t, sluice.ActionFailed, run.Status)
		require.Contains(t, run.Summary, "timeout")
		require.Equal(t, sluice.JobTimedOut, job.Status, "closing the job kills its process")
		require.Equal(t, sluice.ExecutionFailed, h.status(e))
		err := h.do(JobResult{sluice.JobResult{JobID: job.ID, Success: true}})
		require.Equal(t, sluice.EInvalidJobState, sluice.ErrorCode(err))
	})
}

func TestScenariosRestart(t *testing.T) {
	t.Parallel()

	t.Run("S31_InterruptedActionFailsExecution", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, threeStages(""))
		e := h.start()
		h.pass(e, "Source")
		h.must(Reconcile{}) // the restart
		require.True(t, h.last.Empty())
		msg := "The Sluice server restarted while this action was running; the action was interrupted."
		h.must(JobResult{sluice.JobResult{JobID: h.openJob(e, "S2", "A").ID, ErrorMessage: msg}})
		require.Equal(t, msg, h.run(e, "S2", "A").ErrorMessage)
		require.Equal(t, sluice.ExecutionFailed, h.status(e))
	})

	t.Run("S31_WorkerReportsAfterRestart", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, threeStages(""))
		e := h.start()
		h.pass(e, "Source")
		h.must(Reconcile{})
		h.succeed(e, "S2", "A")
		require.Equal(t, sluice.StageInProgress, h.stage(e, "S3"))
	})

	t.Run("S32_ApprovalTokenSurvivesRestart", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, sluice.PipelineDeclaration{Stages: []sluice.StageDeclaration{source(), stage("S2", approval("OK", 1))}})
		e := h.start()
		h.pass(e, "Source")
		tok := h.run(e, "S2", "OK").Token
		h.must(Reconcile{})
		require.True(t, h.last.Empty())
		h.must(Approve{Stage: "S2", Action: "OK", Token: tok, Approved: true})
		require.Equal(t, sluice.ExecutionSucceeded, h.status(e))
	})

	t.Run("S33_NextGroupStartsFromStoredStateOnce", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, sluice.PipelineDeclaration{Stages: []sluice.StageDeclaration{source(),
			stage("S2", cmdAction("A", 1, "Code", ""), cmdAction("C", 2, "Code", ""))}})
		e := h.start()
		h.pass(e, "Source")
		// Stored state as a crash could leave it: A succeeded, C not queued yet.
		h.openJob(e, "S2", "A").Status = sluice.JobSucceeded
		h.run(e, "S2", "A").Status = sluice.ActionSucceeded
		h.must(Reconcile{})
		require.NotNil(t, h.openJob(e, "S2", "C"))
		h.must(Reconcile{})
		require.True(t, h.last.Empty())
		require.Equal(t, 1, h.runs(e, "S2", "A"))
		require.Equal(t, 1, h.runs(e, "S2", "C"))
	})
}
