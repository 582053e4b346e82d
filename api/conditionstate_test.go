package api

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/service"
)

// conditionStage is a stage with all three hooks: a deployment window before entry, an
// alarm on success and a rollback gated by an alarm on failure.
func conditionStage() sluice.StageDeclaration {
	window := sluice.RuleTypeID{Category: sluice.RuleCategory, Owner: sluice.OwnerAWS, Provider: "DeploymentWindow", Version: "1"}
	alarm := sluice.RuleTypeID{Category: sluice.RuleCategory, Owner: sluice.OwnerAWS, Provider: "CloudWatchAlarm", Version: "1"}
	return sluice.StageDeclaration{Name: "Deploy",
		Actions:     []sluice.ActionDeclaration{{Name: "Ship"}},
		BeforeEntry: &sluice.BeforeEntryCondition{Conditions: []sluice.Condition{{Result: sluice.ResultFail, Rules: []sluice.RuleDeclaration{{Name: "Window", RuleTypeID: window}, {Name: "Quiet", RuleTypeID: window}}}}},
		OnSuccess:   &sluice.SuccessConditions{Conditions: []sluice.Condition{{Result: sluice.ResultRollback, Rules: []sluice.RuleDeclaration{{Name: "Alarm", RuleTypeID: alarm}}}}},
		OnFailure:   &sluice.FailureConditions{Result: sluice.ResultRollback, Conditions: []sluice.Condition{{Rules: []sluice.RuleDeclaration{{Name: "Alarm", RuleTypeID: alarm}}}}},
	}
}

// renderStage renders stage (at index 1) of a pipeline state holding runs, as JSON.
func renderStage(t *testing.T, st *sluice.PipelineState, types map[string]sluice.ExecutionType) string {
	t.Helper()
	stage := conditionStage()
	st.Pipeline = &sluice.Pipeline{Declaration: sluice.PipelineDeclaration{Name: "p", Version: 1,
		Stages: []sluice.StageDeclaration{{Name: "Source"}, stage}}}
	ss := stateOfStage(&service.PipelineStateView{PipelineState: st, Types: types}, stage, 1,
		func(*sluice.ActionRun, sluice.ActionTypeID) string { return "" })
	b, err := json.Marshal(ss)
	require.NoError(t, err)
	return string(b)
}

func TestStageConditionStates(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	const exec = "11111111-1111-4111-8111-111111111111"

	t.Run("BeforeEntryInProgress", func(t *testing.T) {
		t.Parallel()
		st := &sluice.PipelineState{
			LatestStageRuns: map[string]*sluice.StageRun{"Deploy": {ExecutionID: exec, StageName: "Deploy", Status: sluice.StageInProgress, Attempt: 1,
				Conditions: []sluice.ConditionRun{{Type: sluice.ConditionBeforeEntry, Attempt: 1, Status: sluice.ConditionInProgress, Summary: "Waiting for the window", LastStatusChange: at}}}},
			LatestRuleRuns: map[string]*sluice.RuleRun{
				"Deploy/BEFORE_ENTRY/Window": {ID: "rule-1", ExecutionID: exec, StageName: "Deploy", Condition: sluice.ConditionBeforeEntry, RuleName: "Window",
					Status: sluice.RuleFailed, Summary: "outside the window", LastUpdateTime: at, UpdatedBy: "sluice", ErrorCode: "JobFailed", ErrorMessage: "not now",
					ExternalExecutionID: "x-1", ExternalExecutionURL: "https://example.com/x-1"}},
		}
		require.JSONEq(t, `{"stageName":"Deploy","inboundTransitionState":{"enabled":true},"actionStates":[{"actionName":"Ship"}],
			"latestExecution":{"pipelineExecutionId":"`+exec+`","status":"InProgress","type":"STANDARD"},
			"beforeEntryConditionState":{"latestExecution":{"status":"InProgress","summary":"Waiting for the window"},
			 "conditionStates":[{"latestExecution":{"status":"InProgress","summary":"Waiting for the window","lastStatusChange":1796637600.000},
			  "ruleStates":[{"ruleName":"Window","latestExecution":{"ruleExecutionId":"rule-1","status":"Failed","summary":"outside the window",
			    "lastStatusChange":1796637600.000,"lastUpdatedBy":"sluice","externalExecutionId":"x-1","externalExecutionUrl":"https://example.com/x-1",
			    "errorDetails":{"code":"JobFailed","message":"not now"}}},
			   {"ruleName":"Quiet"}]}]}}`,
			renderStage(t, st, map[string]sluice.ExecutionType{exec: sluice.ExecutionStandard}))
	})

	t.Run("LatestEvaluationOfEachHook", func(t *testing.T) {
		t.Parallel()
		st := &sluice.PipelineState{
			LatestStageRuns: map[string]*sluice.StageRun{"Deploy": {ExecutionID: exec, StageName: "Deploy", Status: sluice.StageFailed, Attempt: 2,
				Conditions: []sluice.ConditionRun{
					{Type: sluice.ConditionBeforeEntry, Attempt: 1, Status: sluice.ConditionSucceeded, LastStatusChange: at},
					{Type: sluice.ConditionOnFailure, Attempt: 1, Status: sluice.ConditionFailed, LastStatusChange: at},
					{Type: sluice.ConditionOnFailure, Attempt: 2, Status: sluice.ConditionSucceeded, Summary: "rolling back", LastStatusChange: at.Add(time.Minute)},
				}}},
			LatestRuleRuns: map[string]*sluice.RuleRun{
				"Deploy/ON_FAILURE/Alarm":  {ID: "rule-3", Status: sluice.RuleSucceeded, LastUpdateTime: at.Add(time.Minute)},
				"Deploy/ON_FAILURE/Gone":   {ID: "rule-2", Status: sluice.RuleFailed, LastUpdateTime: at},
				"Deploy/ON_SUCCESS/Alarm":  {ID: "rule-9", Status: sluice.RuleSucceeded, LastUpdateTime: at},
				"Build/BEFORE_ENTRY/Alarm": {ID: "rule-8", Status: sluice.RuleSucceeded, LastUpdateTime: at},
			},
		}
		var got stageState
		require.NoError(t, json.Unmarshal([]byte(renderStage(t, st, nil)), &got))
		require.Nil(t, got.OnSuccessConditionState, "the run evaluated no onSuccess condition")
		require.Nil(t, got.RetryStageMetadata)
		require.Equal(t, &stageExecution{PipelineExecutionID: exec, Status: "Failed"}, got.LatestExecution, "a type not known is absent")
		require.Equal(t, "Succeeded", got.BeforeEntryConditionState.LatestExecution.Status)
		failure := got.OnFailureConditionState
		require.Equal(t, &conditionSummary{Status: "Succeeded", Summary: "rolling back"}, failure.LatestExecution)
		require.Len(t, failure.ConditionStates, 1)
		rules := failure.ConditionStates[0].RuleStates
		require.Len(t, rules, 2, "the declared rule, then one an earlier version declared")
		require.Equal(t, "Alarm", rules[0].RuleName)
		require.Equal(t, "rule-3", rules[0].LatestExecution.RuleExecutionID)
		require.Equal(t, "Gone", rules[1].RuleName)
		require.Equal(t, "Failed", rules[1].LatestExecution.Status)
	})

	t.Run("RetryMetadata", func(t *testing.T) {
		t.Parallel()
		st := &sluice.PipelineState{LatestStageRuns: map[string]*sluice.StageRun{"Deploy": {ExecutionID: exec, StageName: "Deploy",
			Status: sluice.StageInProgress, Attempt: 3, AutoRetries: 1, ManualRetries: 1, LatestRetryTrigger: sluice.RetryTriggerManual}}}
		var got stageState
		require.NoError(t, json.Unmarshal([]byte(renderStage(t, st, map[string]sluice.ExecutionType{exec: sluice.ExecutionRollback})), &got))
		require.Equal(t, &retryStageMetadata{AutoStageRetryAttempt: 1, ManualStageRetryAttempt: 1, LatestRetryTrigger: "ManualStageRetry"}, got.RetryStageMetadata)
		require.Equal(t, "ROLLBACK", got.LatestExecution.Type)
		require.Nil(t, got.BeforeEntryConditionState)
	})

	t.Run("NeverRunStageHasNone", func(t *testing.T) {
		t.Parallel()
		out := renderStage(t, &sluice.PipelineState{}, nil)
		require.JSONEq(t, `{"stageName":"Deploy","inboundTransitionState":{"enabled":true},"actionStates":[{"actionName":"Ship"}]}`, out)
	})

	t.Run("InboundExecutionType", func(t *testing.T) {
		t.Parallel()
		st := &sluice.PipelineState{Waiting: []*sluice.Execution{
			{ID: exec, Status: sluice.ExecutionInProgress, WaitingAt: "Deploy", Type: sluice.ExecutionRollback},
			{ID: "22222222-2222-4222-8222-222222222222", Status: sluice.ExecutionInProgress, WaitingAt: "Deploy"}}}
		var got stageState
		require.NoError(t, json.Unmarshal([]byte(renderStage(t, st, nil)), &got))
		require.Equal(t, []stageExecution{{exec, "InProgress", "ROLLBACK"}, {"22222222-2222-4222-8222-222222222222", "InProgress", "STANDARD"}}, got.InboundExecutions)
		require.Equal(t, "STANDARD", got.InboundExecution.Type)
	})
}

func TestExecutionTypeAndRollbackMetadata(t *testing.T) {
	t.Parallel()
	target := "33333333-3333-4333-8333-333333333333"
	rollback := summarize(&sluice.Execution{ID: "44444444-4444-4444-8444-444444444444", Status: sluice.ExecutionSucceeded, Type: sluice.ExecutionRollback,
		RollbackTarget: target, RollbackStage: "Deploy", Trigger: sluice.Trigger{Type: sluice.TriggerManualRollback, Detail: "alice"}, Mode: sluice.ModeSuperseded})
	require.Equal(t, "ROLLBACK", rollback.ExecutionType)
	require.Equal(t, &rollbackMetadata{target}, rollback.RollbackMetadata)
	require.Equal(t, trigger{"ManualRollback", "alice"}, rollback.Trigger)
	b, err := json.Marshal(summarize(&sluice.Execution{ID: target, Status: sluice.ExecutionSucceeded, Mode: sluice.ModeSuperseded}))
	require.NoError(t, err)
	require.Contains(t, string(b), `"executionType":"STANDARD"`, "AWS writes the type of every execution")
	require.NotContains(t, string(b), "rollbackMetadata")
}
