package engine

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
)

func TestDecideInsideStage(t *testing.T) {
	t.Parallel()
	decl := func() sluice.PipelineDeclaration {
		return sluice.PipelineDeclaration{Stages: []sluice.StageDeclaration{source(),
			stage("S2", cmdAction("A", 1, "Code", ""), cmdAction("B", 1, "Code", ""), cmdAction("C", 2, "Code", ""))}}
	}

	t.Run("SameRunOrderStartsTogetherNextWaits", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, decl())
		e := h.start()
		require.NotNil(t, h.openJob(e, "Source", "Src"))
		h.pass(e, "Source")
		require.NotNil(t, h.openJob(e, "S2", "A"))
		require.NotNil(t, h.openJob(e, "S2", "B"))
		require.Nil(t, h.run(e, "S2", "C"))
		h.succeed(e, "S2", "A")
		require.Nil(t, h.run(e, "S2", "C"), "C waits for B")
		h.succeed(e, "S2", "B")
		require.NotNil(t, h.openJob(e, "S2", "C"))
		h.succeed(e, "S2", "C")
		require.Equal(t, sluice.ExecutionSucceeded, h.status(e))
	})

	t.Run("FailureLetsSiblingFinishThenFails", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, decl())
		e := h.start()
		h.pass(e, "Source")
		h.fail(e, "S2", "A")
		require.Equal(t, sluice.StageInProgress, h.stage(e, "S2"), "B still runs")
		require.Equal(t, sluice.ExecutionInProgress, h.status(e))
		h.succeed(e, "S2", "B")
		require.Nil(t, h.run(e, "S2", "C"), "runOrder 2 never starts")
		require.Equal(t, sluice.StageFailed, h.stage(e, "S2"))
		require.Equal(t, sluice.ExecutionFailed, h.status(e))
		require.Contains(t, h.exec(e).StatusSummary, "Action A in stage S2 failed")
	})

	t.Run("InputArtifactsComeFromProducer", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, decl())
		e := h.start()
		src := h.openJob(e, "Source", "Src")
		require.Len(t, src.Data.OutputArtifacts, 1)
		key := src.Data.OutputArtifacts[0].Key
		require.Contains(t, key, "P/Code/")
		h.pass(e, "Source")
		require.Equal(t, key, h.openJob(e, "S2", "A").Data.InputArtifacts[0].Key)
	})
}

func TestDecideVariables(t *testing.T) {
	t.Parallel()
	decl := func(ref string) sluice.PipelineDeclaration {
		a := cmdAction("A", 1, "Code", "")
		a.Namespace = "NA"
		a.OutputVariables = []string{"X"}
		b := cmdAction("B", 2, "Code", "")
		b.Commands = []string{"echo " + ref}
		b.Configuration = map[string]string{"Key": "v-#{codepipeline.PipelineExecutionId}"}
		return sluice.PipelineDeclaration{Stages: []sluice.StageDeclaration{source(), stage("S2", a, b)}}
	}

	t.Run("ResolvesEarlierOutputJustBeforeStart", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, decl("#{NA.X}"))
		e := h.start()
		h.pass(e, "Source")
		h.report(e, "S2", "A", true, map[string]string{"X": "hello"})
		j := h.openJob(e, "S2", "B")
		require.Equal(t, []string{"echo hello"}, j.Data.Commands)
		require.Equal(t, "v-"+e, j.Data.Configuration["Key"])
		require.Equal(t, "v-"+e, h.run(e, "S2", "B").ResolvedConfiguration["Key"])
	})

	t.Run("UnresolvedFailsTheActionNamingIt", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, decl("#{NA.Missing}"))
		e := h.start()
		h.pass(e, "Source")
		h.report(e, "S2", "A", true, map[string]string{"X": "hello"})
		run := h.run(e, "S2", "B")
		require.Equal(t, sluice.ActionFailed, run.Status)
		require.Contains(t, run.ErrorMessage, "#{NA.Missing}")
		require.Contains(t, run.ErrorMessage, "Action name=B")
		require.Equal(t, sluice.ExecutionFailed, h.status(e))
	})
}

func TestDecideSuperseded(t *testing.T) {
	t.Parallel()

	t.Run("NewerWaiterReplacesOlder", func(t *testing.T) { // scenario 8
		t.Parallel()
		h := newHarness(t, threeStages(""))
		e1 := h.start()
		h.pass(e1, "Source")
		require.Equal(t, sluice.StageInProgress, h.stage(e1, "S2"))
		e2 := h.start()
		h.pass(e2, "Source")
		require.Equal(t, "S2", h.exec(e2).WaitingAt)
		e3 := h.start()
		h.pass(e3, "Source")
		require.Equal(t, sluice.ExecutionSuperseded, h.status(e2))
		require.Equal(t, "S2", h.exec(e3).WaitingAt)
		h.succeed(e1, "S2", "A")
		require.Equal(t, sluice.StageInProgress, h.stage(e3, "S2"))
		require.Equal(t, sluice.StageInProgress, h.stage(e1, "S3"))
		require.Empty(t, h.stage(e2, "S2"), "a superseded execution never resumes")
	})

	t.Run("ApprovalIsNeverSuperseded", func(t *testing.T) { // scenario 9
		t.Parallel()
		decl := sluice.PipelineDeclaration{Stages: []sluice.StageDeclaration{source(), stage("S2", approval("OK", 1))}}
		h := newHarness(t, decl)
		e1 := h.start()
		h.pass(e1, "Source")
		tok := h.run(e1, "S2", "OK").Token
		require.NotEmpty(t, tok)
		e2 := h.start()
		h.pass(e2, "Source")
		require.Equal(t, "S2", h.exec(e2).WaitingAt)
		h.must(Approve{Stage: "S2", Action: "OK", Token: tok, Approved: true, By: "me"})
		require.Equal(t, sluice.ExecutionSucceeded, h.status(e1))
		require.Equal(t, sluice.StageInProgress, h.stage(e2, "S2"))
	})

	t.Run("FailedRetryRefusedOnceNewerEntered", func(t *testing.T) { // scenario 11
		t.Parallel()
		h := newHarness(t, threeStages(""))
		e1 := h.start()
		h.pass(e1, "Source")
		e2 := h.start()
		h.pass(e2, "Source")
		h.fail(e1, "S2", "A")
		require.Equal(t, sluice.StageInProgress, h.stage(e2, "S2"))
		err := h.do(Retry{ExecutionID: e1, Stage: "S2", Mode: sluice.RetryFailedActions})
		require.Equal(t, sluice.ENotLatest, sluice.ErrorCode(err))
	})

	t.Run("FreedStageAdmitsWaiter", func(t *testing.T) { // scenario 10
		t.Parallel()
		h := newHarness(t, threeStages(""))
		e0 := h.start()
		h.pass(e0, "Source")
		h.pass(e0, "S2")
		require.Equal(t, sluice.StageInProgress, h.stage(e0, "S3"))
		e1 := h.start()
		h.pass(e1, "Source")
		e2 := h.start()
		h.pass(e2, "Source")
		require.Equal(t, "S2", h.exec(e2).WaitingAt)
		h.succeed(e1, "S2", "A")
		require.Equal(t, "S3", h.exec(e1).WaitingAt)
		require.Equal(t, sluice.StageInProgress, h.stage(e2, "S2"))
	})
}

func TestDecideQueued(t *testing.T) {
	t.Parallel()

	t.Run("WaitersEnterInArrivalOrder", func(t *testing.T) { // scenario 12
		t.Parallel()
		h := newHarness(t, threeStages(sluice.ModeQueued))
		e1 := h.start()
		h.pass(e1, "Source")
		e2 := h.start()
		h.pass(e2, "Source")
		e3 := h.start()
		h.pass(e3, "Source")
		require.Equal(t, "S2", h.exec(e2).WaitingAt)
		require.Equal(t, "S2", h.exec(e3).WaitingAt)
		require.Equal(t, sluice.ExecutionInProgress, h.status(e2))
		h.succeed(e1, "S2", "A")
		require.Equal(t, sluice.StageInProgress, h.stage(e2, "S2"))
		require.Equal(t, "S2", h.exec(e3).WaitingAt)
		h.succeed(e2, "S2", "A")
		require.Equal(t, sluice.StageInProgress, h.stage(e3, "S2"))
	})

	t.Run("LimitRefusesStart", func(t *testing.T) { // scenario 13
		t.Parallel()
		h := newHarness(t, threeStages(sluice.ModeQueued))
		h.start()
		h.start()
		err := h.do(Start{ExecutionID: "X", MaxConcurrent: 2})
		require.Equal(t, sluice.ELimit, sluice.ErrorCode(err))
	})
}

func TestDecideParallel(t *testing.T) {
	t.Parallel()
	h := newHarness(t, threeStages(sluice.ModeParallel)) // scenario 14
	e1 := h.start()
	e2 := h.start()
	h.pass(e1, "Source")
	h.pass(e2, "Source")
	require.Equal(t, sluice.StageInProgress, h.stage(e1, "S2"))
	require.Equal(t, sluice.StageInProgress, h.stage(e2, "S2"))
}

func TestDecideTransitions(t *testing.T) {
	t.Parallel()

	t.Run("DisabledHoldsThenLatestEnters", func(t *testing.T) { // scenarios 16, 17
		t.Parallel()
		h := newHarness(t, threeStages(""))
		h.must(SetTransition{Stage: "S3", Enabled: false, Reason: "freeze", By: "me"})
		e1 := h.start()
		h.pass(e1, "Source")
		h.pass(e1, "S2")
		require.Equal(t, "S3", h.exec(e1).WaitingAt)
		require.Equal(t, sluice.ExecutionInProgress, h.status(e1))
		require.Equal(t, "freeze", h.s.Stages["S3"].Transition.DisabledReason)
		e2 := h.start()
		h.pass(e2, "Source")
		h.pass(e2, "S2")
		require.Equal(t, sluice.ExecutionSuperseded, h.status(e1))
		h.must(SetTransition{Stage: "S3", Enabled: true, By: "me"})
		require.Equal(t, sluice.StageInProgress, h.stage(e2, "S3"))
	})

	t.Run("QueuedEnterInOrderOnEnable", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, threeStages(sluice.ModeQueued))
		h.must(SetTransition{Stage: "S2", Enabled: false, Reason: "freeze"})
		e1 := h.start()
		h.pass(e1, "Source")
		e2 := h.start()
		h.pass(e2, "Source")
		h.must(SetTransition{Stage: "S2", Enabled: true})
		require.Equal(t, sluice.StageInProgress, h.stage(e1, "S2"))
		require.Equal(t, "S2", h.exec(e2).WaitingAt)
	})

	t.Run("StoppedWaiterNeverEnters", func(t *testing.T) { // scenario 18
		t.Parallel()
		h := newHarness(t, threeStages(""))
		h.must(SetTransition{Stage: "S2", Enabled: false, Reason: "freeze"})
		e1 := h.start()
		h.pass(e1, "Source")
		h.must(Stop{ExecutionID: e1, Reason: "no"})
		require.Equal(t, sluice.ExecutionStopped, h.status(e1))
		h.must(SetTransition{Stage: "S2", Enabled: true})
		require.Equal(t, sluice.StageStatus(""), h.stage(e1, "S2"))
		err := h.do(Retry{ExecutionID: e1, Stage: "S2", Mode: sluice.RetryFailedActions})
		require.Equal(t, sluice.ENotRetryable, sluice.ErrorCode(err))
	})

	t.Run("FirstStageRefused", func(t *testing.T) { // scenario 19
		t.Parallel()
		h := newHarness(t, threeStages(""))
		require.Equal(t, sluice.EInvalid, sluice.ErrorCode(h.do(SetTransition{Stage: "Source"})))
		require.Equal(t, sluice.ENotFound, sluice.ErrorCode(h.do(SetTransition{Stage: "Nope"})))
	})
}

func TestDecideStop(t *testing.T) {
	t.Parallel()
	twoActions := func() sluice.PipelineDeclaration {
		return sluice.PipelineDeclaration{Stages: []sluice.StageDeclaration{source(),
			stage("S2", cmdAction("A", 1, "Code", ""), cmdAction("B", 1, "Code", ""), cmdAction("C", 2, "Code", ""))}}
	}

	t.Run("StopAndWaitLetsActionsFinish", func(t *testing.T) { // scenario 20
		t.Parallel()
		h := newHarness(t, twoActions())
		e := h.start()
		h.pass(e, "Source")
		h.must(Stop{ExecutionID: e, Reason: "enough"})
		require.Equal(t, sluice.ExecutionStopping, h.status(e))
		h.succeed(e, "S2", "A")
		h.fail(e, "S2", "B")
		require.Nil(t, h.run(e, "S2", "C"))
		require.Equal(t, sluice.ExecutionStopped, h.status(e))
		require.Equal(t, sluice.StageStopped, h.stage(e, "S2"))
		require.Equal(t, "enough", h.exec(e).StopReason)
	})

	t.Run("AbandonEndsActionsNow", func(t *testing.T) { // scenario 21
		t.Parallel()
		h := newHarness(t, twoActions())
		e := h.start()
		h.pass(e, "Source")
		jobA := h.openJob(e, "S2", "A")
		h.must(Stop{ExecutionID: e})
		h.must(Stop{ExecutionID: e, Abandon: true})
		require.Equal(t, sluice.ActionAbandoned, h.run(e, "S2", "A").Status)
		require.Equal(t, sluice.ExecutionStopped, h.status(e))
		require.Equal(t, sluice.ErrorCode(h.do(Stop{ExecutionID: e, Abandon: true})), sluice.ENotStoppable)
		err := h.do(JobResult{sluice.JobResult{JobID: jobA.ID, Success: true}})
		require.Equal(t, sluice.EInvalidJobState, sluice.ErrorCode(err), "a late worker result is refused")
	})

	t.Run("DuplicateStopRefused", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, twoActions())
		e := h.start()
		h.pass(e, "Source")
		h.must(Stop{ExecutionID: e})
		require.Equal(t, sluice.EDuplicateStop, sluice.ErrorCode(h.do(Stop{ExecutionID: e})))
	})

	t.Run("StoppedStageRetryResumes", func(t *testing.T) { // scenario 22
		t.Parallel()
		h := newHarness(t, twoActions())
		e := h.start()
		h.pass(e, "Source")
		h.must(Stop{ExecutionID: e, Abandon: true})
		h.must(Retry{ExecutionID: e, Stage: "S2", Mode: sluice.RetryFailedActions})
		require.Equal(t, sluice.ExecutionInProgress, h.status(e))
		h.pass(e, "S2")
		require.Equal(t, sluice.ExecutionSucceeded, h.status(e))
	})
}

func TestDecideRetry(t *testing.T) {
	t.Parallel()
	decl := func() sluice.PipelineDeclaration {
		return sluice.PipelineDeclaration{Stages: []sluice.StageDeclaration{source(),
			stage("S2", cmdAction("A", 1, "Code", ""), cmdAction("B", 1, "Code", ""), cmdAction("C", 2, "Code", "")),
			stage("S3", cmdAction("D", 1, "Code", ""))}}
	}
	failB := func(t *testing.T) (*harness, string) {
		h := newHarness(t, decl())
		e := h.start()
		h.pass(e, "Source")
		h.succeed(e, "S2", "A")
		h.fail(e, "S2", "B")
		require.Equal(t, sluice.ExecutionFailed, h.status(e))
		return h, e
	}

	t.Run("FailedActionsRerunsOnlyFailed", func(t *testing.T) { // scenario 23
		t.Parallel()
		h, e := failB(t)
		h.must(Retry{ExecutionID: e, Stage: "S2", Mode: sluice.RetryFailedActions})
		require.Equal(t, sluice.ExecutionInProgress, h.status(e))
		require.Equal(t, 2, h.exec(e).Attempt)
		require.Nil(t, h.openJob(e, "S2", "A"))
		h.succeed(e, "S2", "B")
		h.succeed(e, "S2", "C")
		require.Equal(t, sluice.StageInProgress, h.stage(e, "S3"))
		require.Equal(t, 1, h.runs(e, "S2", "A"))
		require.Equal(t, 2, h.runs(e, "S2", "B"), "every attempt is kept")
	})

	t.Run("AllActionsRerunsFromFirstGroup", func(t *testing.T) {
		t.Parallel()
		h, e := failB(t)
		h.must(Retry{ExecutionID: e, Stage: "S2", Mode: sluice.RetryAllActions})
		require.NotNil(t, h.openJob(e, "S2", "A"))
		require.NotNil(t, h.openJob(e, "S2", "B"))
		h.pass(e, "S2")
		require.Equal(t, 2, h.runs(e, "S2", "A"))
		require.Equal(t, 1, h.runs(e, "S2", "C"))
	})

	t.Run("FailedActionsWhileSiblingRuns", func(t *testing.T) { // scenario 24
		t.Parallel()
		h := newHarness(t, decl())
		e := h.start()
		h.pass(e, "Source")
		h.fail(e, "S2", "A")
		require.Equal(t, sluice.ENotRetryable, sluice.ErrorCode(h.do(Retry{ExecutionID: e, Stage: "S2", Mode: sluice.RetryAllActions})))
		h.must(Retry{ExecutionID: e, Stage: "S2", Mode: sluice.RetryFailedActions})
		require.NotNil(t, h.openJob(e, "S2", "A"))
		require.NotNil(t, h.openJob(e, "S2", "B"))
	})

	t.Run("RefusedAfterStructureChange", func(t *testing.T) { // scenario 25
		t.Parallel()
		h, e := failB(t)
		next := h.s.Pipeline.Declaration
		next.Version = 2
		h.s.Pipeline.Declaration = next
		h.s.Declarations[2] = &next
		require.Equal(t, sluice.ENotRetryable, sluice.ErrorCode(h.do(Retry{ExecutionID: e, Stage: "S2", Mode: sluice.RetryFailedActions})))
	})

	t.Run("SucceededStageNotRetryable", func(t *testing.T) {
		t.Parallel()
		h, e := failB(t)
		require.Equal(t, sluice.ENotRetryable, sluice.ErrorCode(h.do(Retry{ExecutionID: e, Stage: "Source", Mode: sluice.RetryFailedActions})))
	})
}

func TestDecideUpdateWhileRunning(t *testing.T) { // scenario 27
	t.Parallel()
	h := newHarness(t, threeStages(""))
	e1 := h.start()
	h.pass(e1, "Source")
	e2 := h.start()
	h.pass(e2, "Source")
	next := h.s.Pipeline.Declaration
	next.Version = 2
	h.s.Pipeline.Declaration = next
	h.s.Declarations[2] = &next
	h.must(Reconcile{})
	require.Equal(t, sluice.ExecutionCancelled, h.status(e2), "a waiting execution is cancelled")
	require.Equal(t, sluice.ExecutionInProgress, h.status(e1), "running actions finish first")
	h.succeed(e1, "S2", "A")
	require.Equal(t, sluice.ExecutionCancelled, h.status(e1))
	require.Equal(t, sluice.StageCancelled, h.stage(e1, "S2"))
	require.Empty(t, h.stage(e1, "S3"))
}

func TestDecideApproval(t *testing.T) { // scenarios 28, 29
	t.Parallel()
	decl := func() sluice.PipelineDeclaration {
		return sluice.PipelineDeclaration{Stages: []sluice.StageDeclaration{source(), stage("S2", approval("OK", 1))}}
	}
	open := func(t *testing.T) (*harness, string, string) {
		h := newHarness(t, decl())
		e := h.start()
		h.pass(e, "Source")
		run := h.run(e, "S2", "OK")
		require.Equal(t, sluice.ActionInProgress, run.Status)
		require.Nil(t, h.openJob(e, "S2", "OK"), "approvals need no worker")
		return h, e, run.Token
	}

	t.Run("ReviewDetailsShownWhileWaiting", func(t *testing.T) {
		t.Parallel()
		d := decl()
		d.Stages[1].Actions[0].Configuration = map[string]string{"CustomData": "Ship #{codepipeline.PipelineExecutionId}?", "ExternalEntityLink": "https://example.com/review"}
		h := newHarness(t, d)
		e := h.start()
		h.pass(e, "Source")
		run := h.run(e, "S2", "OK")
		require.Equal(t, "Ship "+e+"?", run.Summary)
		require.Equal(t, "https://example.com/review", run.ExternalExecutionURL)
	})

	t.Run("WrongTokenRefused", func(t *testing.T) {
		t.Parallel()
		h, _, _ := open(t)
		require.Equal(t, sluice.EInvalidToken, sluice.ErrorCode(h.do(Approve{Stage: "S2", Action: "OK", Token: "nope", Approved: true})))
	})

	t.Run("RejectFailsStageAndSecondAnswerRefused", func(t *testing.T) {
		t.Parallel()
		h, e, tok := open(t)
		h.must(Approve{Stage: "S2", Action: "OK", Token: tok, Approved: false, Summary: "not today", By: "bob"})
		require.Equal(t, sluice.StageFailed, h.stage(e, "S2"))
		require.Equal(t, "not today", h.run(e, "S2", "OK").Summary)
		require.Equal(t, sluice.EAlreadyCompleted, sluice.ErrorCode(h.do(Approve{Stage: "S2", Action: "OK", Token: tok, Approved: true})))
	})

	t.Run("ExpiryFailsAction", func(t *testing.T) {
		t.Parallel()
		h, e, _ := open(t)
		run := h.run(e, "S2", "OK")
		require.Equal(t, h.s.Now.Add(7*24*3600e9-1e9).Unix(), run.Deadline.Add(-1e9).Unix())
		h.must(Timeout{ActionRunID: run.ID})
		require.Equal(t, sluice.ActionInProgress, run.Status, "not yet due")
		h.s.Now = run.Deadline
		h.must(Timeout{ActionRunID: run.ID})
		require.Equal(t, sluice.ActionFailed, run.Status)
		require.Contains(t, run.ErrorMessage, "expired")
		require.Equal(t, sluice.ExecutionFailed, h.status(e))
	})
}

func TestDecideContinuation(t *testing.T) {
	t.Parallel()
	h := newHarness(t, threeStages(""))
	e := h.start()
	j := h.openJob(e, "Source", "Src")
	h.must(JobResult{sluice.JobResult{JobID: j.ID, Success: true, ContinuationToken: "step2", PercentComplete: 50}})
	require.Equal(t, sluice.ActionInProgress, h.run(e, "Source", "Src").Status)
	next := h.openJob(e, "Source", "Src")
	require.NotEqual(t, j.ID, next.ID)
	require.Equal(t, "step2", next.Data.ContinuationToken)
	h.succeed(e, "Source", "Src")
	require.Equal(t, sluice.StageInProgress, h.stage(e, "S2"))
}

func TestDecideReconcileIsIdempotent(t *testing.T) { // scenario 33
	t.Parallel()
	h := newHarness(t, threeStages(""))
	e := h.start()
	h.pass(e, "Source")
	h.must(Reconcile{})
	require.True(t, h.last.Empty(), "nothing to do twice")
	require.Equal(t, 1, h.runs(e, "S2", "A"))
}

func TestDecideUnrunnableTypeFailsAtStart(t *testing.T) {
	t.Parallel()
	h := newHarness(t, threeStages(""))
	h.runnable = func(id sluice.ActionTypeID) bool { return id.Provider == "CodeCommit" }
	e := h.start()
	h.pass(e, "Source")
	run := h.run(e, "S2", "A")
	require.Equal(t, sluice.ActionFailed, run.Status)
	require.Contains(t, run.ErrorMessage, "Compute/AWS/Commands/1")
	require.Nil(t, h.openJob(e, "S2", "A"))
	require.Equal(t, sluice.ExecutionFailed, h.status(e))
}

func TestDecideArtifactKeysStayInsideThePipelinePrefix(t *testing.T) {
	t.Parallel()
	for _, name := range []string{".", "..", "...x"} {
		h := newHarness(t, threeStages(""))
		h.s.Pipeline.Declaration.Name = name
		e := h.start()
		key := h.openJob(e, "Source", "Src").Data.OutputArtifacts[0].Key
		for _, seg := range strings.Split(key, "/") {
			require.NotContains(t, []string{".", ".."}, seg, "key %q of pipeline %q", key, name)
		}
	}
}
