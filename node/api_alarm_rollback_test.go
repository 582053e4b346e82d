package node_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"
	"github.com/stretchr/testify/require"

	"sluice/config"
	"sluice/provider/alarm/prometheustest"
)

// TestAlarmConditionRollsBackAndOverrides is the release guard users build with an
// onSuccess CloudWatchAlarm rule, on a real Prometheus: after a deploy the stage watches an
// alert for WaitTime; someone in a hurry overrides the wait, and a deploy that makes the
// alert fire within WaitTime is rolled back to the last good execution.
func TestAlarmConditionRollsBackAndOverrides(t *testing.T) {
	t.Parallel()
	prom := prometheustest.Start(t)
	// The bad release's deploy breaks production: it sets the gauge the alert watches.
	breaker := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { prom.Set(1) }))
	t.Cleanup(breaker.Close)
	c := setupConformanceWith(t, func(s *config.Server) { s.PrometheusURL = prom.URL })

	deploy := `if [ "#{variables.release}" = bad ]; then curl -s '` + breaker.URL + `' >/dev/null; fi`
	p := withRelease(pipeline("guarded", stage("Deploy", cmdAction("Deploy", deploy))))
	p.Stages[1].OnSuccess = &types.SuccessConditions{Conditions: []types.Condition{{Result: types.ResultRollback,
		Rules: []types.RuleDeclaration{ruleDecl("Errors", "CloudWatchAlarm",
			map[string]string{"AlarmName": prometheustest.Alert, "WaitTime": "30"})}}}}
	good := c.Create(t, p)

	// The good release: the alert stays quiet, and the stage waits out its 30 minutes...
	c.WaitFor(t, "the onSuccess condition to watch the alert", func() bool {
		st := stageState(t, c.State(t, "guarded"), "Deploy")
		return st.OnSuccessConditionState != nil && st.OnSuccessConditionState.LatestExecution.Status == types.ConditionExecutionStatusInProgress
	})
	require.Equal(t, types.PipelineExecutionStatusInProgress, c.Execution(t, "guarded", good).Status)
	// ...unless someone lets it past.
	_, err := c.CP.OverrideStageCondition(c.ctx, &codepipeline.OverrideStageConditionInput{PipelineName: aws.String("guarded"),
		StageName: aws.String("Deploy"), PipelineExecutionId: aws.String(good), ConditionType: types.ConditionTypeOnSuccess})
	require.NoError(t, err)
	c.WaitStatus(t, "guarded", good, types.PipelineExecutionStatusSucceeded)
	st := stageState(t, c.State(t, "guarded"), "Deploy")
	require.Equal(t, types.ConditionExecutionStatusOverridden, st.OnSuccessConditionState.LatestExecution.Status)
	require.Equal(t, types.RuleExecutionStatusAbandoned, st.OnSuccessConditionState.ConditionStates[0].RuleStates[0].LatestExecution.Status)

	// The bad release fires the alert within WaitTime: the stage fails and rolls back.
	bad := c.startRelease(t, "guarded", "bad")
	c.WaitStatus(t, "guarded", bad, types.PipelineExecutionStatusFailed)
	rules, err := c.CP.ListRuleExecutions(c.ctx, &codepipeline.ListRuleExecutionsInput{PipelineName: aws.String("guarded"),
		Filter: &types.RuleExecutionFilter{PipelineExecutionId: aws.String(bad)}})
	require.NoError(t, err)
	require.Len(t, rules.RuleExecutionDetails, 1)
	require.Equal(t, types.RuleExecutionStatusFailed, rules.RuleExecutionDetails[0].Status)
	require.Contains(t, aws.ToString(rules.RuleExecutionDetails[0].Output.ExecutionResult.ExternalExecutionSummary), prometheustest.Alert)

	rb := c.rollbackOf(t, "guarded", good)
	require.Equal(t, types.TriggerTypeAutomatedRollback, rb.Trigger.TriggerType)
	c.WaitStatus(t, "guarded", aws.ToString(rb.PipelineExecutionId), types.PipelineExecutionStatusSucceeded)

	// Only the stage's latest execution can be let past a condition, and only past one still
	// being evaluated.
	override := func(id string) error {
		_, err := c.CP.OverrideStageCondition(c.ctx, &codepipeline.OverrideStageConditionInput{PipelineName: aws.String("guarded"),
			StageName: aws.String("Deploy"), PipelineExecutionId: aws.String(id), ConditionType: types.ConditionTypeOnSuccess})
		return err
	}
	var notLatest *types.NotLatestPipelineExecutionException
	require.ErrorAs(t, override(bad), &notLatest)
	var notOverridable *types.ConditionNotOverridableException
	require.ErrorAs(t, override(aws.ToString(rb.PipelineExecutionId)), &notOverridable)
}
