package node_test

import (
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"
	"github.com/stretchr/testify/require"
)

func (c *conformance) stop(pipeline, exec string, abandon bool, reason string) error {
	in := &codepipeline.StopPipelineExecutionInput{PipelineName: aws.String(pipeline), PipelineExecutionId: aws.String(exec), Abandon: abandon}
	if reason != "" {
		in.Reason = aws.String(reason)
	}
	out, err := c.CP.StopPipelineExecution(c.ctx, in)
	if err == nil && aws.ToString(out.PipelineExecutionId) != exec {
		return fmt.Errorf("StopPipelineExecution answered execution %s, want %s", aws.ToString(out.PipelineExecutionId), exec)
	}
	return err
}

func (c *conformance) stopReason(t *testing.T, pipeline, exec string) string {
	t.Helper()
	for _, e := range c.Executions(t, pipeline) {
		if aws.ToString(e.PipelineExecutionId) == exec && e.StopTrigger != nil {
			return aws.ToString(e.StopTrigger.Reason)
		}
	}
	return ""
}

func TestStopPipelineExecution(t *testing.T) {
	t.Parallel()
	c := setupConformance(t)

	t.Run("StopAndWaitLetsRunningActionFinish", func(t *testing.T) {
		t.Parallel()
		g := newGate(t)
		exec := c.Create(t, pipeline("stop-wait", stage("Run", cmdAction("Wait", g.Wait())), stage("Next", cmdAction("Next", "true"))))
		c.WaitAction(t, "stop-wait", "Run", "Wait", types.ActionExecutionStatusInProgress)

		require.NoError(t, c.stop("stop-wait", exec, false, "hold the release"))
		require.Equal(t, types.PipelineExecutionStatusStopping, c.Execution(t, "stop-wait", exec).Status)
		require.Equal(t, types.StageExecutionStatusStopping, stageState(t, c.State(t, "stop-wait"), "Run").LatestExecution.Status)
		requireAPIError(t, c.stop("stop-wait", exec, false, "hold the release"), "DuplicatedStopRequestException", exec)

		g.Open(t)
		c.WaitStatus(t, "stop-wait", exec, types.PipelineExecutionStatusStopped)
		require.Equal(t, types.ActionExecutionStatusSucceeded, c.ActionStatus(t, "stop-wait", "Run", "Wait"), "the running action finished with its own result")
		st := c.State(t, "stop-wait")
		require.Equal(t, types.StageExecutionStatusStopped, stageState(t, st, "Run").LatestExecution.Status)
		require.Nil(t, stageState(t, st, "Next").LatestExecution, "no later stage starts after a stop")
		require.Equal(t, "hold the release", c.stopReason(t, "stop-wait", exec))
	})

	t.Run("AbandonEndsRunningActionAndStageCanBeRetried", func(t *testing.T) {
		t.Parallel()
		g := newGate(t)
		exec := c.Create(t, pipeline("stop-abandon", stage("Run", cmdAction("Wait", g.Wait()))))
		c.WaitAction(t, "stop-abandon", "Run", "Wait", types.ActionExecutionStatusInProgress)

		require.NoError(t, c.stop("stop-abandon", exec, false, ""))
		require.NoError(t, c.stop("stop-abandon", exec, true, "abandon it"), "abandon is allowed after a stop-and-wait")
		c.WaitStatus(t, "stop-abandon", exec, types.PipelineExecutionStatusStopped)
		require.Equal(t, types.ActionExecutionStatusAbandoned, c.ActionStatus(t, "stop-abandon", "Run", "Wait"))
		require.Equal(t, "abandon it", c.stopReason(t, "stop-abandon", exec))
		requireAPIError(t, c.stop("stop-abandon", exec, true, ""), "PipelineExecutionNotStoppableException", exec)

		g.Open(t)
		out, err := c.CP.RetryStageExecution(c.ctx, &codepipeline.RetryStageExecutionInput{PipelineName: aws.String("stop-abandon"),
			StageName: aws.String("Run"), PipelineExecutionId: aws.String(exec), RetryMode: types.StageRetryModeFailedActions})
		require.NoError(t, err)
		require.Equal(t, exec, aws.ToString(out.PipelineExecutionId))
		c.WaitStatus(t, "stop-abandon", exec, types.PipelineExecutionStatusSucceeded)
	})

	t.Run("ErrSecondAbandon", func(t *testing.T) {
		t.Parallel()
		exec := c.Create(t, pipeline("stop-twice", stage("Hold", approval("Hold"))))
		c.ApprovalToken(t, "stop-twice", "Hold", "Hold")
		require.NoError(t, c.stop("stop-twice", exec, true, ""))
		c.WaitStatus(t, "stop-twice", exec, types.PipelineExecutionStatusStopped)
		require.Equal(t, types.ActionExecutionStatusAbandoned, c.ActionStatus(t, "stop-twice", "Hold", "Hold"), "stopping abandons the approval")
		requireAPIError(t, c.stop("stop-twice", exec, true, ""), "PipelineExecutionNotStoppableException", exec)
	})

	t.Run("ErrFinishedExecution", func(t *testing.T) {
		t.Parallel()
		exec := c.Create(t, pipeline("stop-done", stage("Run", cmdAction("Ok", "true"))))
		c.WaitStatus(t, "stop-done", exec, types.PipelineExecutionStatusSucceeded)
		requireAPIError(t, c.stop("stop-done", exec, false, ""), "PipelineExecutionNotStoppableException", exec)
		require.Empty(t, c.stopReason(t, "stop-done", exec))
	})

	t.Run("ErrReasonTooLong", func(t *testing.T) {
		t.Parallel()
		exec := c.Create(t, pipeline("stop-long", stage("Hold", approval("Hold"))))
		long := make([]byte, 201)
		for i := range long {
			long[i] = 'x'
		}
		requireAPIError(t, c.stop("stop-long", exec, false, string(long)), "ValidationException", "reason")
		require.Equal(t, types.PipelineExecutionStatusInProgress, c.Execution(t, "stop-long", exec).Status)
	})

	t.Run("ErrUnknownExecution", func(t *testing.T) {
		t.Parallel()
		c.Create(t, pipeline("stop-unknown", stage("Hold", approval("Hold"))))
		err := c.stop("stop-unknown", "00000000-0000-0000-0000-000000000000", false, "")
		requireAPIError(t, err, "PipelineExecutionNotStoppableException", "00000000-0000-0000-0000-000000000000")
		requireAPIError(t, c.stop("never-created", "00000000-0000-0000-0000-000000000000", false, ""), "PipelineNotFoundException", "never-created")
	})
}
