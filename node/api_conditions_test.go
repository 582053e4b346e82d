package node_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"
	"github.com/stretchr/testify/require"
)

func ruleDecl(name, provider string, cfg map[string]string) types.RuleDeclaration {
	return types.RuleDeclaration{Name: aws.String(name), Configuration: cfg,
		RuleTypeId: &types.RuleTypeId{Category: types.RuleCategoryRule, Owner: types.RuleOwnerAws, Provider: aws.String(provider), Version: aws.String("1")}}
}

func entryGate(result types.Result, rules ...types.RuleDeclaration) *types.BeforeEntryConditions {
	return &types.BeforeEntryConditions{Conditions: []types.Condition{{Result: result, Rules: rules}}}
}

// release is a pipeline variable the Deploy action checks: an execution started with
// release=bad fails its Deploy stage.
func withRelease(p *types.PipelineDeclaration) *types.PipelineDeclaration {
	p.Variables = []types.PipelineVariableDeclaration{{Name: aws.String("release"), DefaultValue: aws.String("good")}}
	return p
}

func (c *conformance) startRelease(t *testing.T, pipeline, release string) string {
	t.Helper()
	out, err := c.CP.StartPipelineExecution(c.ctx, &codepipeline.StartPipelineExecutionInput{Name: aws.String(pipeline),
		Variables: []types.PipelineVariable{{Name: aws.String("release"), Value: aws.String(release)}}})
	require.NoError(t, err)
	return aws.ToString(out.PipelineExecutionId)
}

func (c *conformance) summary(t *testing.T, pipeline, id string) types.PipelineExecutionSummary {
	t.Helper()
	for _, e := range c.Executions(t, pipeline) {
		if aws.ToString(e.PipelineExecutionId) == id {
			return e
		}
	}
	t.Fatalf("execution %s is not listed", id)
	return types.PipelineExecutionSummary{}
}

// rollbackOf waits for the ROLLBACK execution listed after a failure and returns it.
func (c *conformance) rollbackOf(t *testing.T, pipeline, target string) types.PipelineExecutionSummary {
	t.Helper()
	var found types.PipelineExecutionSummary
	c.WaitFor(t, "a rollback execution", func() bool {
		for _, e := range c.Executions(t, pipeline) {
			if e.ExecutionType == types.ExecutionTypeRollback && e.RollbackMetadata != nil &&
				aws.ToString(e.RollbackMetadata.RollbackTargetPipelineExecutionId) == target {
				found = e
				return true
			}
		}
		return false
	})
	return found
}

func TestStageConditions(t *testing.T) {
	t.Parallel()
	c := setupConformance(t)

	t.Run("DeploymentWindowFailsOutsideAndLetsInInside", func(t *testing.T) {
		t.Parallel()
		closed := ruleDecl("Window", "DeploymentWindow", map[string]string{"Cron": "0 0 0 1 1 ? 2099", "TimeZone": "UTC"})
		p := pipeline("window-closed", stage("Deploy", cmdAction("Deploy", "true")))
		p.Stages[1].BeforeEntry = entryGate(types.ResultFail, closed)
		exec := c.Create(t, p)
		c.WaitStatus(t, "window-closed", exec, types.PipelineExecutionStatusFailed)
		st := stageState(t, c.State(t, "window-closed"), "Deploy")
		require.Equal(t, types.StageExecutionStatusFailed, st.LatestExecution.Status)
		require.Equal(t, types.ConditionExecutionStatusFailed, st.BeforeEntryConditionState.LatestExecution.Status)
		rules := st.BeforeEntryConditionState.ConditionStates[0].RuleStates
		require.Equal(t, "Window", aws.ToString(rules[0].RuleName))
		require.Equal(t, types.RuleExecutionStatusFailed, rules[0].LatestExecution.Status)
		require.Contains(t, aws.ToString(rules[0].LatestExecution.Summary), "outside the deployment window")
		for _, r := range c.ActionRuns(t, "window-closed", exec) {
			require.NotEqual(t, "Deploy", aws.ToString(r.StageName), "no action runs behind a closed window")
		}

		skip := pipeline("window-skip", stage("Deploy", cmdAction("Deploy", "true")), stage("After", cmdAction("After", "true")))
		skip.Stages[1].BeforeEntry = entryGate(types.ResultSkip, closed)
		exec = c.Create(t, skip)
		c.WaitStatus(t, "window-skip", exec, types.PipelineExecutionStatusSucceeded)
		require.Equal(t, types.StageExecutionStatusSkipped, stageState(t, c.State(t, "window-skip"), "Deploy").LatestExecution.Status)

		open := pipeline("window-open", stage("Deploy", cmdAction("Deploy", "true")))
		open.Stages[1].BeforeEntry = entryGate(types.ResultFail, ruleDecl("Window", "DeploymentWindow", map[string]string{"Cron": "* * * * * ? *"}))
		exec = c.Create(t, open)
		c.WaitStatus(t, "window-open", exec, types.PipelineExecutionStatusSucceeded)
		require.Equal(t, types.ConditionExecutionStatusSucceeded, stageState(t, c.State(t, "window-open"), "Deploy").BeforeEntryConditionState.LatestExecution.Status)
	})

	t.Run("VariableCheckGatesTheStage", func(t *testing.T) {
		t.Parallel()
		p := withRelease(pipeline("varcheck", stage("Deploy", cmdAction("Deploy", "true"))))
		p.Stages[1].BeforeEntry = entryGate(types.ResultFail,
			ruleDecl("Release", "VariableCheck", map[string]string{"Variable": "#{variables.release}", "Operator": "EQ", "Value": "good"}))
		first := c.Create(t, p)
		c.WaitStatus(t, "varcheck", first, types.PipelineExecutionStatusSucceeded)
		bad := c.startRelease(t, "varcheck", "bad")
		c.WaitStatus(t, "varcheck", bad, types.PipelineExecutionStatusFailed)

		out, err := c.CP.ListRuleExecutions(c.ctx, &codepipeline.ListRuleExecutionsInput{PipelineName: aws.String("varcheck"),
			Filter: &types.RuleExecutionFilter{PipelineExecutionId: aws.String(bad)}})
		require.NoError(t, err)
		require.Len(t, out.RuleExecutionDetails, 1)
		d := out.RuleExecutionDetails[0]
		require.Equal(t, types.RuleExecutionStatusFailed, d.Status)
		require.Equal(t, "bad", d.Input.ResolvedConfiguration["Variable"])
		require.Equal(t, "#{variables.release}", d.Input.Configuration["Variable"])
	})

	t.Run("OnFailureRetryRetriesUntilTheLimit", func(t *testing.T) {
		t.Parallel()
		p := pipeline("autoretry", stage("Deploy", cmdAction("Deploy", "exit 1")))
		p.Stages[1].OnFailure = &types.FailureConditions{Result: types.ResultRetry,
			RetryConfiguration: &types.RetryConfiguration{RetryMode: types.StageRetryModeFailedActions}}
		exec := c.Create(t, p)
		c.WaitStatus(t, "autoretry", exec, types.PipelineExecutionStatusFailed)
		st := stageState(t, c.State(t, "autoretry"), "Deploy")
		require.NotNil(t, st.RetryStageMetadata)
		require.Equal(t, int32(1), aws.ToInt32(st.RetryStageMetadata.AutoStageRetryAttempt))
		require.Equal(t, types.RetryTriggerAutomatedStageRetry, st.RetryStageMetadata.LatestRetryTrigger)
		require.Equal(t, []types.ActionExecutionStatus{types.ActionExecutionStatusFailed, types.ActionExecutionStatusFailed},
			c.attempts(t, "autoretry", exec, "Deploy"), "the first run and one automatic retry")
	})

	t.Run("OnFailureRollbackAndRollbackStageRedeployTheLastGoodRevision", func(t *testing.T) {
		t.Parallel()
		p := withRelease(pipeline("rollback", stage("Deploy", cmdAction("Deploy", `test "#{variables.release}" != bad`))))
		p.Stages[1].OnFailure = &types.FailureConditions{Result: types.ResultRollback}
		good := c.Create(t, p)
		c.WaitStatus(t, "rollback", good, types.PipelineExecutionStatusSucceeded)

		bad := c.startRelease(t, "rollback", "bad")
		c.WaitStatus(t, "rollback", bad, types.PipelineExecutionStatusFailed)
		rb := c.rollbackOf(t, "rollback", good)
		require.Equal(t, types.TriggerTypeAutomatedRollback, rb.Trigger.TriggerType)
		c.WaitStatus(t, "rollback", aws.ToString(rb.PipelineExecutionId), types.PipelineExecutionStatusSucceeded)
		require.Equal(t, c.summary(t, "rollback", good).SourceRevisions, c.summary(t, "rollback", aws.ToString(rb.PipelineExecutionId)).SourceRevisions,
			"the rollback runs the target's revisions")
		got, err := c.CP.GetPipelineExecution(c.ctx, &codepipeline.GetPipelineExecutionInput{PipelineName: aws.String("rollback"), PipelineExecutionId: rb.PipelineExecutionId})
		require.NoError(t, err)
		require.Equal(t, types.ExecutionTypeRollback, got.PipelineExecution.ExecutionType)
		require.Equal(t, good, aws.ToString(got.PipelineExecution.RollbackMetadata.RollbackTargetPipelineExecutionId))
		require.Equal(t, types.ExecutionTypeStandard, c.summary(t, "rollback", bad).ExecutionType)

		out, err := c.CP.RollbackStage(c.ctx, &codepipeline.RollbackStageInput{PipelineName: aws.String("rollback"),
			StageName: aws.String("Deploy"), TargetPipelineExecutionId: aws.String(good)})
		require.NoError(t, err)
		manual := aws.ToString(out.PipelineExecutionId)
		c.WaitStatus(t, "rollback", manual, types.PipelineExecutionStatusSucceeded)
		m := c.summary(t, "rollback", manual)
		require.Equal(t, types.ExecutionTypeRollback, m.ExecutionType)
		require.Equal(t, types.TriggerTypeManualRollback, m.Trigger.TriggerType)
		require.Equal(t, types.ExecutionTypeRollback, stageState(t, c.State(t, "rollback"), "Deploy").LatestExecution.Type)

		_, err = c.CP.RollbackStage(c.ctx, &codepipeline.RollbackStageInput{PipelineName: aws.String("rollback"),
			StageName: aws.String("Deploy"), TargetPipelineExecutionId: aws.String(bad)})
		var unable *types.UnableToRollbackStageException
		require.ErrorAs(t, err, &unable, "the target did not succeed in the stage")
		_, err = c.CP.RollbackStage(c.ctx, &codepipeline.RollbackStageInput{PipelineName: aws.String("rollback"),
			StageName: aws.String("Source"), TargetPipelineExecutionId: aws.String(good)})
		require.ErrorAs(t, err, &unable, "the source stage")
	})
}
