package engine

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"sluice"
)

func rule(name, provider string, cfg map[string]string) sluice.RuleDeclaration {
	return sluice.RuleDeclaration{Name: name, Configuration: cfg,
		RuleTypeID: sluice.RuleTypeID{Category: "Rule", Owner: "AWS", Provider: provider, Version: "1"}}
}

func variableRule(value, want string) sluice.RuleDeclaration {
	return rule("Check", "VariableCheck", map[string]string{"Variable": value, "Operator": "EQ", "Value": want})
}

// gated is Source, Deploy (one Commands action), Verify (one Commands action), V2 in
// SUPERSEDED mode; edit sets Deploy's conditions.
func gated(edit func(deploy *sluice.StageDeclaration)) sluice.PipelineDeclaration {
	d := threeStages(sluice.ModeSuperseded)
	d.PipelineType = "V2"
	d.Stages[1].Name, d.Stages[2].Name = "Deploy", "Verify"
	edit(&d.Stages[1])
	return d
}

func beforeEntry(result string, rules ...sluice.RuleDeclaration) *sluice.BeforeEntryCondition {
	return &sluice.BeforeEntryCondition{Conditions: []sluice.Condition{{Result: result, Rules: rules}}}
}

func (h *harness) condition(id, stage string, t sluice.ConditionType) *sluice.ConditionRun {
	h.t.Helper()
	r := h.stageRun(id, stage)
	require.NotNil(h.t, r, "%s has not entered %s", id, stage)
	return r.Condition(t)
}

func (h *harness) ruleRun(id, stage, name string) *sluice.RuleRun {
	var out *sluice.RuleRun
	for _, r := range h.s.RuleRuns {
		if r.ExecutionID == id && r.StageName == stage && r.RuleName == name {
			out = r
		}
	}
	return out
}

func TestEntryConditionFailHoldsTheStageOut(t *testing.T) {
	t.Parallel()
	h := newHarness(t, gated(func(s *sluice.StageDeclaration) {
		s.BeforeEntry = beforeEntry(sluice.ResultFail, variableRule("#{variables.env}", "prod"))
	}))
	h.s.Pipeline.Declaration.Variables = nil
	id := "E1"
	h.must(Start{ExecutionID: id, Trigger: sluice.Trigger{Type: sluice.TriggerStartPipelineExecution}, Variables: map[string]string{"env": "staging"}})
	h.pass(id, "Source")

	require.Equal(t, sluice.StageFailed, h.stage(id, "Deploy"))
	require.Equal(t, sluice.ExecutionFailed, h.status(id))
	require.Zero(t, h.runs(id, "Deploy", "A"), "no action runs behind a failed entry condition")
	c := h.condition(id, "Deploy", sluice.ConditionBeforeEntry)
	require.Equal(t, sluice.ConditionFailed, c.Status)
	require.Contains(t, c.Summary, "Rule Check failed")
	rr := h.ruleRun(id, "Deploy", "Check")
	require.Equal(t, sluice.RuleFailed, rr.Status)
	require.Equal(t, "staging", rr.ResolvedConfiguration["Variable"])
	require.Contains(t, h.exec(id).StatusSummary, "entry condition")
}

func TestEntryConditionPassLetsTheStageIn(t *testing.T) {
	t.Parallel()
	h := newHarness(t, gated(func(s *sluice.StageDeclaration) {
		s.BeforeEntry = beforeEntry(sluice.ResultFail, variableRule("#{variables.env}", "prod"))
	}))
	id := "E1"
	h.must(Start{ExecutionID: id, Trigger: sluice.Trigger{Type: sluice.TriggerStartPipelineExecution}, Variables: map[string]string{"env": "prod"}})
	h.pass(id, "Source")
	require.Equal(t, sluice.ConditionSucceeded, h.condition(id, "Deploy", sluice.ConditionBeforeEntry).Status)
	h.pass(id, "Deploy")
	h.pass(id, "Verify")
	require.Equal(t, sluice.ExecutionSucceeded, h.status(id))
}

func TestEntryConditionSkipSkipsTheStage(t *testing.T) {
	t.Parallel()
	h := newHarness(t, gated(func(s *sluice.StageDeclaration) {
		s.BeforeEntry = beforeEntry(sluice.ResultSkip, rule("Window", "DeploymentWindow", map[string]string{"Cron": "0 0 0 1 1 ? 2099"}))
	}))
	id := h.start()
	h.pass(id, "Source")
	require.Equal(t, sluice.StageSkipped, h.stage(id, "Deploy"))
	require.Zero(t, h.runs(id, "Deploy", "A"))
	h.pass(id, "Verify")
	require.Equal(t, sluice.ExecutionSucceeded, h.status(id))
}

func TestEntryConditionRuleJobHoldsTheStageUntilItReports(t *testing.T) {
	t.Parallel()
	cmds := rule("Smoke", "Commands", nil)
	cmds.Commands = []string{"curl -f #{variables.url}"}
	h := newHarness(t, gated(func(s *sluice.StageDeclaration) { s.BeforeEntry = beforeEntry(sluice.ResultFail, cmds) }))
	id := "E1"
	h.must(Start{ExecutionID: id, Trigger: sluice.Trigger{Type: sluice.TriggerStartPipelineExecution}, Variables: map[string]string{"url": "http://x"}})
	h.pass(id, "Source")

	job := h.openJob(id, "Deploy", "Smoke")
	require.NotNil(t, job, "the Commands rule runs as a job")
	require.Equal(t, sluice.RuleJobCommands, job.ActionType)
	require.Equal(t, sluice.ConditionBeforeEntry, job.Data.Condition)
	require.Equal(t, []string{"curl -f http://x"}, job.Data.Commands)
	require.Equal(t, sluice.StageInProgress, h.stage(id, "Deploy"))
	require.Zero(t, h.runs(id, "Deploy", "A"))

	h.succeed(id, "Deploy", "Smoke")
	require.Equal(t, sluice.RuleSucceeded, h.ruleRun(id, "Deploy", "Smoke").Status)
	require.NotNil(t, h.openJob(id, "Deploy", "A"), "the actions start once the condition passed")
}

func TestOverrideLetsTheStagePastAWaitingCondition(t *testing.T) {
	t.Parallel()
	h := newHarness(t, gated(func(s *sluice.StageDeclaration) {
		s.BeforeEntry = beforeEntry(sluice.ResultFail, rule("Alarm", "CloudWatchAlarm", map[string]string{"AlarmName": "HighErrors", "WaitTime": "10"}))
	}))
	id := h.start()
	h.pass(id, "Source")
	job := h.openJob(id, "Deploy", "Alarm")
	require.NotNil(t, job)
	require.Equal(t, sluice.RuleJobAlarm, job.ActionType)

	err := h.do(OverrideCondition{ExecutionID: id, Stage: "Deploy", Type: sluice.ConditionOnSuccess, By: "alice"})
	require.Equal(t, sluice.ENotOverridable, sluice.ErrorCode(err), "no onSuccess condition is being evaluated")

	h.must(OverrideCondition{ExecutionID: id, Stage: "Deploy", Type: sluice.ConditionBeforeEntry, By: "alice"})
	c := h.condition(id, "Deploy", sluice.ConditionBeforeEntry)
	require.Equal(t, sluice.ConditionOverridden, c.Status)
	require.Equal(t, sluice.RuleAbandoned, h.ruleRun(id, "Deploy", "Alarm").Status)
	require.NotNil(t, h.openJob(id, "Deploy", "A"), "the actions start")

	late := h.do(JobResult{sluice.JobResult{JobID: job.ID, Success: true}})
	require.Equal(t, sluice.EInvalidJobState, sluice.ErrorCode(late), "a late result of an abandoned rule is refused")
	require.Equal(t, sluice.ENotOverridable, sluice.ErrorCode(h.do(OverrideCondition{ExecutionID: id, Stage: "Deploy", Type: sluice.ConditionBeforeEntry})))
}

func TestSkipConditionCannotBeOverridden(t *testing.T) {
	t.Parallel()
	h := newHarness(t, gated(func(s *sluice.StageDeclaration) {
		s.BeforeEntry = beforeEntry(sluice.ResultSkip, rule("Alarm", "CloudWatchAlarm", map[string]string{"AlarmName": "A"}))
	}))
	id := h.start()
	h.pass(id, "Source")
	err := h.do(OverrideCondition{ExecutionID: id, Stage: "Deploy", Type: sluice.ConditionBeforeEntry})
	require.Equal(t, sluice.ENotOverridable, sluice.ErrorCode(err))
}

func TestStopDuringAConditionCancelsIt(t *testing.T) {
	t.Parallel()
	h := newHarness(t, gated(func(s *sluice.StageDeclaration) {
		s.BeforeEntry = beforeEntry(sluice.ResultFail, rule("Alarm", "CloudWatchAlarm", map[string]string{"AlarmName": "A"}))
	}))
	id := h.start()
	h.pass(id, "Source")
	h.must(Stop{ExecutionID: id, Reason: "no"})
	require.Equal(t, sluice.ExecutionStopped, h.status(id))
	require.Equal(t, sluice.StageStopped, h.stage(id, "Deploy"))
	require.Equal(t, sluice.ConditionCancelled, h.condition(id, "Deploy", sluice.ConditionBeforeEntry).Status)
	require.Equal(t, sluice.RuleAbandoned, h.ruleRun(id, "Deploy", "Alarm").Status)
	require.Nil(t, h.openJob(id, "Deploy", "Alarm"))

	// A retry evaluates the entry condition again.
	h.must(Retry{ExecutionID: id, Stage: "Deploy", Mode: sluice.RetryFailedActions})
	c := h.condition(id, "Deploy", sluice.ConditionBeforeEntry)
	require.Equal(t, sluice.ConditionInProgress, c.Status)
	require.Equal(t, 2, c.Attempt)
}

func TestUnrunnableRuleFailsAtOnce(t *testing.T) {
	t.Parallel()
	h := newHarness(t, gated(func(s *sluice.StageDeclaration) {
		s.BeforeEntry = beforeEntry(sluice.ResultFail, rule("Alarm", "CloudWatchAlarm", map[string]string{"AlarmName": "A"}))
	}))
	h.runnable = func(t sluice.ActionTypeID) bool { return t != sluice.RuleJobAlarm }
	id := h.start()
	h.pass(id, "Source")
	require.Equal(t, sluice.StageFailed, h.stage(id, "Deploy"))
	require.Contains(t, h.ruleRun(id, "Deploy", "Alarm").ErrorMessage, "--prometheus-url")
}

func TestAutomaticRetryRetriesOncePerFailure(t *testing.T) {
	t.Parallel()
	h := newHarness(t, gated(func(s *sluice.StageDeclaration) {
		s.OnFailure = &sluice.FailureConditions{Result: sluice.ResultRetry,
			RetryConfiguration: &sluice.RetryConfiguration{RetryMode: sluice.RetryFailedActions}}
	}))
	id := h.start()
	h.pass(id, "Source")
	h.fail(id, "Deploy", "A")
	r := h.stageRun(id, "Deploy")
	require.Equal(t, sluice.StageInProgress, r.Status, "the failure is retried automatically")
	require.Equal(t, 2, r.Attempt)
	require.Equal(t, 1, r.AutoRetries)
	require.Equal(t, sluice.RetryTriggerAutomated, r.LatestRetryTrigger)
	require.Equal(t, 2, h.runs(id, "Deploy", "A"))

	h.fail(id, "Deploy", "A")
	require.Equal(t, sluice.StageFailed, h.stage(id, "Deploy"), "one automatic attempt per failure")
	require.Equal(t, sluice.ExecutionFailed, h.status(id))
	require.Equal(t, 1, h.stageRun(id, "Deploy").AutoRetries)

	h.must(Retry{ExecutionID: id, Stage: "Deploy", Mode: sluice.RetryFailedActions})
	r = h.stageRun(id, "Deploy")
	require.Equal(t, 1, r.ManualRetries)
	require.Equal(t, sluice.RetryTriggerManual, r.LatestRetryTrigger)
	h.fail(id, "Deploy", "A")
	require.Equal(t, 2, h.stageRun(id, "Deploy").AutoRetries, "a manual retry's failure gets its own automatic attempt")
	h.succeed(id, "Deploy", "A")
	h.pass(id, "Verify")
	require.Equal(t, sluice.ExecutionSucceeded, h.status(id))
	require.Equal(t, 4, h.exec(id).Attempt, "three retries")
}

// succeedOnce runs one execution through every stage.
func (h *harness) succeedOnce() string {
	h.t.Helper()
	id := h.start()
	for _, st := range h.s.Pipeline.Declaration.Stages {
		h.pass(id, st.Name)
	}
	require.Equal(h.t, sluice.ExecutionSucceeded, h.status(id))
	return id
}

func (h *harness) rollbacks() []*sluice.Execution {
	var out []*sluice.Execution
	for _, e := range h.s.Executions {
		if e.Type == sluice.ExecutionRollback {
			out = append(out, e)
		}
	}
	return out
}

func TestFailureRollsBackToTheLastGoodExecution(t *testing.T) {
	t.Parallel()
	h := newHarness(t, gated(func(s *sluice.StageDeclaration) {
		s.OnFailure = &sluice.FailureConditions{Result: sluice.ResultRollback}
	}))
	good := h.succeedOnce()
	goodInput := h.run(good, "Deploy", "A").InputArtifacts

	bad := h.start()
	h.pass(bad, "Source")
	h.fail(bad, "Deploy", "A")
	require.Equal(t, sluice.ExecutionFailed, h.status(bad))

	rbs := h.rollbacks()
	require.Len(t, rbs, 1)
	rb := rbs[0]
	require.Equal(t, sluice.TriggerAutomatedRollback, rb.Trigger.Type)
	require.Equal(t, good, rb.RollbackTarget)
	require.Equal(t, "Deploy", rb.RollbackStage)
	job := h.openJob(rb.ID, "Deploy", "A")
	require.NotNil(t, job, "the rollback runs the stage again")
	require.Equal(t, goodInput, job.Data.InputArtifacts, "with the target's artifacts")
	h.succeed(rb.ID, "Deploy", "A")
	require.Equal(t, sluice.ExecutionSucceeded, h.status(rb.ID), "and only that stage")
	require.Nil(t, h.stageRun(rb.ID, "Verify"))
	require.Nil(t, h.stageRun(rb.ID, "Source"))
}

func TestFailureWithoutAGoodExecutionDoesNotRollBack(t *testing.T) {
	t.Parallel()
	h := newHarness(t, gated(func(s *sluice.StageDeclaration) {
		s.OnFailure = &sluice.FailureConditions{Result: sluice.ResultRollback}
	}))
	id := h.start()
	h.pass(id, "Source")
	h.fail(id, "Deploy", "A")
	require.Equal(t, sluice.ExecutionFailed, h.status(id))
	require.Empty(t, h.rollbacks())
}

func TestOnSuccessAlarmRollsBack(t *testing.T) {
	t.Parallel()
	h := newHarness(t, gated(func(s *sluice.StageDeclaration) {
		s.OnSuccess = &sluice.SuccessConditions{Conditions: []sluice.Condition{{Result: sluice.ResultRollback,
			Rules: []sluice.RuleDeclaration{rule("Alarm", "CloudWatchAlarm", map[string]string{"AlarmName": "HighErrors", "WaitTime": "5"})}}}}
	}))
	good := h.start()
	h.pass(good, "Source")
	h.pass(good, "Deploy")
	h.succeed(good, "Deploy", "Alarm") // the alarm stayed quiet for its WaitTime
	require.Equal(t, sluice.ConditionSucceeded, h.condition(good, "Deploy", sluice.ConditionOnSuccess).Status)
	h.pass(good, "Verify")
	require.Equal(t, sluice.ExecutionSucceeded, h.status(good))

	bad := h.start()
	h.pass(bad, "Source")
	h.succeed(bad, "Deploy", "A")
	require.Equal(t, sluice.StageInProgress, h.stage(bad, "Deploy"), "the stage waits for its onSuccess condition")
	h.fail(bad, "Deploy", "Alarm")
	require.Equal(t, sluice.StageFailed, h.stage(bad, "Deploy"))
	require.Contains(t, h.exec(bad).StatusSummary, "onSuccess")
	rbs := h.rollbacks()
	require.Len(t, rbs, 1)
	require.Equal(t, good, rbs[0].RollbackTarget)
	h.succeed(rbs[0].ID, "Deploy", "A")
	require.Nil(t, h.openJob(rbs[0].ID, "Deploy", "Alarm"), "a rollback evaluates no conditions")
	require.Equal(t, sluice.ExecutionSucceeded, h.status(rbs[0].ID))
}

func TestOnFailureConditionGatesTheRollback(t *testing.T) {
	t.Parallel()
	h := newHarness(t, gated(func(s *sluice.StageDeclaration) {
		s.OnFailure = &sluice.FailureConditions{Result: sluice.ResultRollback, Conditions: []sluice.Condition{{Result: sluice.ResultRollback,
			Rules: []sluice.RuleDeclaration{rule("Alarm", "CloudWatchAlarm", map[string]string{"AlarmName": "HighErrors"})}}}}
	}))
	h.succeedOnce()
	quiet := h.start()
	h.pass(quiet, "Source")
	h.fail(quiet, "Deploy", "A")
	require.Equal(t, sluice.StageInProgress, h.stage(quiet, "Deploy"), "the onFailure condition is evaluated first")
	h.succeed(quiet, "Deploy", "Alarm")
	require.Equal(t, sluice.ExecutionFailed, h.status(quiet))
	require.Empty(t, h.rollbacks(), "the rules did not confirm the failure")

	alarmed := h.start()
	h.pass(alarmed, "Source")
	h.fail(alarmed, "Deploy", "A")
	h.fail(alarmed, "Deploy", "Alarm")
	require.Len(t, h.rollbacks(), 1, "the alarm confirms the failure: roll back")
}

func TestRollbackStage(t *testing.T) {
	t.Parallel()
	h := newHarness(t, gated(func(*sluice.StageDeclaration) {}))
	good := h.succeedOnce()
	second := h.succeedOnce()

	h.must(Rollback{ExecutionID: "R1", Stage: "Deploy", Target: good, By: "alice"})
	rb := h.exec("R1")
	require.Equal(t, sluice.ExecutionRollback, rb.Type)
	require.Equal(t, sluice.Trigger{Type: sluice.TriggerManualRollback, Detail: "alice"}, rb.Trigger)
	require.Equal(t, h.exec(good).Revisions, rb.Revisions)

	refused := func(code sluice.Code, cmd Rollback) {
		t.Helper()
		require.Equal(t, code, sluice.ErrorCode(h.do(cmd)), "%+v", cmd)
	}
	refused(sluice.ENoRollback, Rollback{ExecutionID: "R2", Stage: "Deploy", Target: second}) // R1 is in the stage
	h.succeed("R1", "Deploy", "A")
	require.Equal(t, sluice.ExecutionSucceeded, h.status("R1"))
	refused(sluice.ENoRollback, Rollback{ExecutionID: "R2", Stage: "Source", Target: good})
	refused(sluice.ENoRollback, Rollback{ExecutionID: "R2", Stage: "Deploy", Target: "R1"})
	refused(sluice.ENotFound, Rollback{ExecutionID: "R2", Stage: "Nope", Target: good})
	refused(sluice.ENotFound, Rollback{ExecutionID: "R2", Stage: "Deploy", Target: "E99"})
	failing := h.start()
	h.pass(failing, "Source")
	h.fail(failing, "Deploy", "A")
	refused(sluice.ENoRollback, Rollback{ExecutionID: "R2", Stage: "Deploy", Target: failing})
	h.update(nil)
	refused(sluice.EOutdated, Rollback{ExecutionID: "R2", Stage: "Deploy", Target: second})
}

func TestRollbackRefusedForV1AndParallel(t *testing.T) {
	t.Parallel()
	for _, edit := range []func(*sluice.PipelineDeclaration){
		func(d *sluice.PipelineDeclaration) { d.PipelineType = "V1" },
		func(d *sluice.PipelineDeclaration) { d.ExecutionMode = sluice.ModeParallel },
	} {
		d := gated(func(*sluice.StageDeclaration) {})
		edit(&d)
		h := newHarness(t, d)
		good := h.succeedOnce()
		require.Equal(t, sluice.ENoRollback, sluice.ErrorCode(h.do(Rollback{ExecutionID: "R1", Stage: "Deploy", Target: good})))
	}
}

func TestRuleTimeoutFailsTheCondition(t *testing.T) {
	t.Parallel()
	lambdaRule := rule("Probe", "LambdaInvoke", map[string]string{"FunctionName": "probe"})
	lambdaRule.TimeoutInMinutes = 5
	h := newHarness(t, gated(func(s *sluice.StageDeclaration) { s.BeforeEntry = beforeEntry(sluice.ResultFail, lambdaRule) }))
	id := h.start()
	h.pass(id, "Source")
	job := h.openJob(id, "Deploy", "Probe")
	require.Equal(t, sluice.RuleJobLambda, job.ActionType)
	rr := h.ruleRun(id, "Deploy", "Probe")
	require.Equal(t, h.s.Now.Add(5*time.Minute), rr.Deadline)

	h.must(Timeout{ActionRunID: rr.ID}) // not due yet: nothing changes
	require.Equal(t, sluice.RuleInProgress, rr.Status)
	h.s.Now = h.s.Now.Add(6 * time.Minute)
	h.must(Timeout{ActionRunID: rr.ID})
	require.Equal(t, sluice.RuleFailed, rr.Status)
	require.Equal(t, sluice.StageFailed, h.stage(id, "Deploy"))
	require.Nil(t, h.openJob(id, "Deploy", "Probe"))
}
