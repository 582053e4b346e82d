package node_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"
	"github.com/stretchr/testify/require"
)

func (c *conformance) answer(pipeline, stageName, action, token string, status types.ApprovalStatus, summary string) (*codepipeline.PutApprovalResultOutput, error) {
	return c.CP.PutApprovalResult(c.ctx, &codepipeline.PutApprovalResultInput{PipelineName: aws.String(pipeline),
		StageName: aws.String(stageName), ActionName: aws.String(action), Token: aws.String(token),
		Result: &types.ApprovalResult{Status: status, Summary: aws.String(summary)}})
}

// gated is Source, a Gate stage with the approval Approve, and a Ship stage.
func gated(name string) *types.PipelineDeclaration {
	return pipeline(name, stage("Gate", approval("Approve")), stage("Ship", cmdAction("Ship", "true")))
}

const unknownToken = "00000000-0000-4000-8000-000000000000"

func TestPutApprovalResult(t *testing.T) {
	t.Parallel()
	c := setupConformance(t)

	t.Run("ApprovedContinues", func(t *testing.T) {
		t.Parallel()
		exec := c.Create(t, gated("approve-ok"))
		token := c.ApprovalToken(t, "approve-ok", "Gate", "Approve")
		out, err := c.answer("approve-ok", "Gate", "Approve", token, types.ApprovalStatusApproved, "looks good")
		require.NoError(t, err)
		require.NotNil(t, out.ApprovedAt)
		c.WaitStatus(t, "approve-ok", exec, types.PipelineExecutionStatusSucceeded)

		a := stageState(t, c.State(t, "approve-ok"), "Gate").ActionStates[0]
		require.Equal(t, types.ActionExecutionStatusSucceeded, a.LatestExecution.Status)
		require.Equal(t, "looks good", aws.ToString(a.LatestExecution.Summary))
		require.NotEmpty(t, aws.ToString(a.LatestExecution.LastUpdatedBy), "the approver")
		require.Nil(t, a.LatestExecution.Token, "a closed approval shows no token")

		_, err = c.answer("approve-ok", "Gate", "Approve", token, types.ApprovalStatusApproved, "again")
		requireAPIError(t, err, "ApprovalAlreadyCompletedException", "Approve")
	})

	t.Run("RejectedFailsStage", func(t *testing.T) {
		t.Parallel()
		exec := c.Create(t, gated("approve-no"))
		token := c.ApprovalToken(t, "approve-no", "Gate", "Approve")
		_, err := c.answer("approve-no", "Gate", "Approve", token, types.ApprovalStatusRejected, "not today")
		require.NoError(t, err)
		c.WaitStatus(t, "approve-no", exec, types.PipelineExecutionStatusFailed)

		st := c.State(t, "approve-no")
		gate := stageState(t, st, "Gate")
		require.Equal(t, types.StageExecutionStatusFailed, gate.LatestExecution.Status)
		require.Equal(t, types.ActionExecutionStatusFailed, gate.ActionStates[0].LatestExecution.Status)
		require.Equal(t, "not today", aws.ToString(gate.ActionStates[0].LatestExecution.Summary))
		require.Nil(t, stageState(t, st, "Ship").LatestExecution, "nothing runs after a rejection")

		_, err = c.answer("approve-no", "Gate", "Approve", token, types.ApprovalStatusApproved, "changed my mind")
		requireAPIError(t, err, "ApprovalAlreadyCompletedException", "Approve")
	})

	t.Run("ParallelAnsweredWithExternalExecutionID", func(t *testing.T) {
		t.Parallel()
		p := gated("approve-parallel")
		p.ExecutionMode = types.ExecutionModeParallel
		first := c.Create(t, p)
		c.ApprovalToken(t, "approve-parallel", "Gate", "Approve")
		out, err := c.CP.StartPipelineExecution(c.ctx, &codepipeline.StartPipelineExecutionInput{Name: aws.String("approve-parallel")})
		require.NoError(t, err)
		second := aws.ToString(out.PipelineExecutionId)
		tokens := map[string]string{}
		c.WaitFor(t, "both approvals open", func() bool {
			for _, exec := range []string{first, second} {
				for _, d := range c.ActionRuns(t, "approve-parallel", exec) {
					if aws.ToString(d.ActionName) == "Approve" && d.Status == types.ActionExecutionStatusInProgress {
						tokens[exec] = aws.ToString(d.Output.ExecutionResult.ExternalExecutionId)
					}
				}
			}
			return len(tokens) == 2
		})
		require.NotEqual(t, tokens[first], tokens[second])

		_, err = c.answer("approve-parallel", "Gate", "Approve", tokens[first], types.ApprovalStatusApproved, "first")
		require.NoError(t, err)
		c.WaitStatus(t, "approve-parallel", first, types.PipelineExecutionStatusSucceeded)
		require.Equal(t, types.PipelineExecutionStatusInProgress, c.Execution(t, "approve-parallel", second).Status)
		_, err = c.answer("approve-parallel", "Gate", "Approve", tokens[second], types.ApprovalStatusRejected, "second")
		require.NoError(t, err)
		c.WaitStatus(t, "approve-parallel", second, types.PipelineExecutionStatusFailed)
	})

	t.Run("ErrWrongToken", func(t *testing.T) {
		t.Parallel()
		exec := c.Create(t, gated("approve-token"))
		c.ApprovalToken(t, "approve-token", "Gate", "Approve")
		_, err := c.answer("approve-token", "Gate", "Approve", unknownToken, types.ApprovalStatusApproved, "")
		requireAPIError(t, err, "InvalidApprovalTokenException", "Approve")
		_, err = c.answer("approve-token", "Gate", "Approve", "not-a-token", types.ApprovalStatusApproved, "")
		requireAPIError(t, err, "ValidationException", "token")
		require.Equal(t, types.PipelineExecutionStatusInProgress, c.Execution(t, "approve-token", exec).Status)
		require.Equal(t, types.ActionExecutionStatusInProgress, c.ActionStatus(t, "approve-token", "Gate", "Approve"))
	})

	t.Run("ErrUnknownActionOrStage", func(t *testing.T) {
		t.Parallel()
		c.Create(t, gated("approve-unknown"))
		_, err := c.answer("approve-unknown", "Gate", "Nope", unknownToken, types.ApprovalStatusApproved, "")
		requireAPIError(t, err, "ActionNotFoundException", "Nope")
		_, err = c.answer("approve-unknown", "Nowhere", "Approve", unknownToken, types.ApprovalStatusApproved, "")
		requireAPIError(t, err, "StageNotFoundException", "Nowhere")
	})

	t.Run("ErrBadStatus", func(t *testing.T) {
		t.Parallel()
		c.Create(t, gated("approve-status"))
		token := c.ApprovalToken(t, "approve-status", "Gate", "Approve")
		_, err := c.answer("approve-status", "Gate", "Approve", token, "approved", "")
		requireAPIError(t, err, "ValidationException", "result.status")
	})
}
