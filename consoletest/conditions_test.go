package consoletest_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"
	"github.com/stretchr/testify/require"

	"sluice/node/nodetest"
)

// TestOverrideWaitingCondition: a stage's entry condition waits on a smoke check that does
// not answer; a person sees it waiting, overrides it, and the stage's actions start.
func TestOverrideWaitingCondition(t *testing.T) {
	t.Parallel()
	needBrowser(t)
	s := setup(t)
	g := nodetest.NewGate(t)
	p := approvalPipeline("gated")
	p.Stages[1].BeforeEntry = &types.BeforeEntryConditions{Conditions: []types.Condition{{Result: types.ResultFail,
		Rules: []types.RuleDeclaration{{Name: aws.String("Smoke"), Commands: []string{g.Wait()},
			InputArtifacts: []types.InputArtifact{{Name: aws.String("Code")}},
			RuleTypeId: &types.RuleTypeId{Category: types.RuleCategoryRule, Owner: types.RuleOwnerAws,
				Provider: aws.String("Commands"), Version: aws.String("1")}}}}}}
	exec := s.Create(t, p)
	tb := newTab(t, s.URL)
	tb.signInRoot()
	tb.open("/pipelines/gated")
	tb.waitFor("group", "Entry condition of Approval")
	tb.waitFor("button", "Override")
	require.False(t, tb.has("button", "Approve"), "no action runs while the condition waits")
	tb.screenshot("pipeline-condition-phone", 390)
	tb.screenshot("pipeline-condition-wide", 1280)

	require.Equal(t, 200, tb.submit("button", "Override"))
	tb.waitFor("button", "Approve")
	st := nodetest.StageState(t, s.State(t, "gated"), "Approval")
	require.Equal(t, types.ConditionExecutionStatusOverridden, st.BeforeEntryConditionState.LatestExecution.Status)
	require.Equal(t, types.RuleExecutionStatusAbandoned, st.BeforeEntryConditionState.ConditionStates[0].RuleStates[0].LatestExecution.Status)
	require.Equal(t, exec, aws.ToString(st.LatestExecution.PipelineExecutionId))
	require.False(t, tb.has("button", "Override"), "nothing is left to override")
}

// TestRollBackStage: a stage succeeded in an execution; a person rolls it back to that
// execution and finds the ROLLBACK execution in the history, pointing at its target.
func TestRollBackStage(t *testing.T) {
	t.Parallel()
	needBrowser(t)
	s := setup(t)
	good := s.Create(t, approvalPipeline("hello"))
	_, err := s.CP.PutApprovalResult(s.ctx, &codepipeline.PutApprovalResultInput{PipelineName: aws.String("hello"),
		StageName: aws.String("Approval"), ActionName: aws.String("Approve"), Token: aws.String(s.ApprovalToken(t, "hello", "Approval", "Approve")),
		Result: &types.ApprovalResult{Status: types.ApprovalStatusApproved, Summary: aws.String("ok")}})
	require.NoError(t, err)
	s.WaitStatus(t, "hello", good, types.PipelineExecutionStatusSucceeded)

	tb := newTab(t, s.URL)
	tb.signInRoot()
	tb.open("/pipelines/hello")
	tb.do(click("DisclosureTriangle", "Roll back"))
	tb.screenshot("pipeline-rollback-phone", 390)
	require.Equal(t, 200, tb.submit("button", "Roll back"))
	execs := s.Executions(t, "hello")
	require.Len(t, execs, 2, "Roll back started an execution")
	rb := execs[0]
	require.Equal(t, types.ExecutionTypeRollback, rb.ExecutionType)
	require.Equal(t, good, aws.ToString(rb.RollbackMetadata.RollbackTargetPipelineExecutionId))

	require.Equal(t, 200, tb.submit("link", "History"))
	tb.waitFor("link", aws.ToString(rb.PipelineExecutionId))
	require.Contains(t, tb.text(), "ROLLBACK")
	tb.screenshot("history-rollback-phone", 390)
	require.Equal(t, 200, tb.submit("link", good[:8]))
	require.Equal(t, "/pipelines/hello/executions/"+good, tb.path(), "the badge links to the target")
}
