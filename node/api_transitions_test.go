package node_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"
	"github.com/stretchr/testify/require"
)

func (c *conformance) disable(pipeline, stageName string, kind types.StageTransitionType, reason string) error {
	_, err := c.CP.DisableStageTransition(c.ctx, &codepipeline.DisableStageTransitionInput{PipelineName: aws.String(pipeline),
		StageName: aws.String(stageName), TransitionType: kind, Reason: aws.String(reason)})
	return err
}

func (c *conformance) enable(pipeline, stageName string, kind types.StageTransitionType) error {
	_, err := c.CP.EnableStageTransition(c.ctx, &codepipeline.EnableStageTransitionInput{PipelineName: aws.String(pipeline),
		StageName: aws.String(stageName), TransitionType: kind})
	return err
}

func (c *conformance) inbound(t *testing.T, pipeline, stageName string) *types.TransitionState {
	t.Helper()
	return stageState(t, c.State(t, pipeline), stageName).InboundTransitionState
}

// twoStages is Source, Build and Deploy, each action succeeding at once.
func twoStages(name string) *types.PipelineDeclaration {
	return pipeline(name, stage("Build", cmdAction("Build", "true")), stage("Deploy", cmdAction("Deploy", "true")))
}

// startAndWaitAt starts an execution and waits until it stands in front of stageName.
func (c *conformance) startAndWaitAt(t *testing.T, pipeline, stageName string) string {
	t.Helper()
	out, err := c.CP.StartPipelineExecution(c.ctx, &codepipeline.StartPipelineExecutionInput{Name: aws.String(pipeline)})
	require.NoError(t, err)
	id := aws.ToString(out.PipelineExecutionId)
	c.WaitFor(t, id+" waiting at "+stageName, func() bool {
		st := stageState(t, c.State(t, pipeline), stageName)
		for _, in := range append(st.InboundExecutions, types.StageExecution{}) {
			if aws.ToString(in.PipelineExecutionId) == id {
				return true
			}
		}
		return st.InboundExecution != nil && aws.ToString(st.InboundExecution.PipelineExecutionId) == id
	})
	return id
}

func TestStageTransitions(t *testing.T) {
	t.Parallel()
	c := setupConformance(t)
	inbound, outbound := types.StageTransitionTypeInbound, types.StageTransitionTypeOutbound

	t.Run("DisabledInboundHoldsExecutionUntilEnabled", func(t *testing.T) {
		t.Parallel()
		first := c.Create(t, twoStages("hold"))
		c.WaitStatus(t, "hold", first, types.PipelineExecutionStatusSucceeded)

		require.NoError(t, c.disable("hold", "Deploy", inbound, "Release freeze (until Monday)!"))
		ts := c.inbound(t, "hold", "Deploy")
		require.False(t, ts.Enabled)
		require.Equal(t, "Release freeze (until Monday)!", aws.ToString(ts.DisabledReason))
		require.NotEmpty(t, aws.ToString(ts.LastChangedBy))
		require.NotNil(t, ts.LastChangedAt)
		require.True(t, c.inbound(t, "hold", "Build").Enabled, "other transitions stay enabled")

		second := c.startAndWaitAt(t, "hold", "Deploy")
		st := c.State(t, "hold")
		require.Equal(t, types.StageExecutionStatusInProgress, stageState(t, st, "Deploy").InboundExecution.Status)
		require.Equal(t, first, aws.ToString(stageState(t, st, "Deploy").LatestExecution.PipelineExecutionId), "the waiting execution has not entered")
		require.Equal(t, second, aws.ToString(stageState(t, st, "Build").LatestExecution.PipelineExecutionId))
		require.Equal(t, types.PipelineExecutionStatusInProgress, c.Execution(t, "hold", second).Status)

		require.NoError(t, c.enable("hold", "Deploy", inbound))
		c.WaitStatus(t, "hold", second, types.PipelineExecutionStatusSucceeded)
		deploy := stageState(t, c.State(t, "hold"), "Deploy")
		require.Nil(t, deploy.InboundExecution)
		require.Equal(t, second, aws.ToString(deploy.LatestExecution.PipelineExecutionId))
		require.True(t, deploy.InboundTransitionState.Enabled)
		require.Nil(t, deploy.InboundTransitionState.DisabledReason)
	})

	t.Run("NewerArrivalSupersedesWaitingExecution", func(t *testing.T) {
		t.Parallel()
		first := c.Create(t, twoStages("supersede"))
		c.WaitStatus(t, "supersede", first, types.PipelineExecutionStatusSucceeded)
		require.NoError(t, c.disable("supersede", "Deploy", inbound, "freeze"))
		second := c.startAndWaitAt(t, "supersede", "Deploy")
		third := c.startAndWaitAt(t, "supersede", "Deploy")
		c.WaitStatus(t, "supersede", second, types.PipelineExecutionStatusSuperseded)

		require.NoError(t, c.enable("supersede", "Deploy", inbound))
		c.WaitStatus(t, "supersede", third, types.PipelineExecutionStatusSucceeded)
		require.Equal(t, types.PipelineExecutionStatusSuperseded, c.Execution(t, "supersede", second).Status, "a superseded execution never resumes")
	})

	t.Run("QueuedExecutionsWaitInOrder", func(t *testing.T) {
		t.Parallel()
		p := twoStages("queue")
		p.ExecutionMode = types.ExecutionModeQueued
		first := c.Create(t, p)
		c.WaitStatus(t, "queue", first, types.PipelineExecutionStatusSucceeded)
		require.NoError(t, c.disable("queue", "Deploy", inbound, "freeze"))
		second := c.startAndWaitAt(t, "queue", "Deploy")
		third := c.startAndWaitAt(t, "queue", "Deploy")

		var waiting []string
		for _, e := range stageState(t, c.State(t, "queue"), "Deploy").InboundExecutions {
			waiting = append(waiting, aws.ToString(e.PipelineExecutionId))
		}
		require.Equal(t, []string{second, third}, waiting, "arrival order; nobody is superseded")
		require.NoError(t, c.enable("queue", "Deploy", inbound))
		c.WaitStatus(t, "queue", second, types.PipelineExecutionStatusSucceeded)
		c.WaitStatus(t, "queue", third, types.PipelineExecutionStatusSucceeded)
	})

	t.Run("StoppedWaitingExecutionDoesNotEnter", func(t *testing.T) {
		t.Parallel()
		first := c.Create(t, twoStages("stop-waiting"))
		c.WaitStatus(t, "stop-waiting", first, types.PipelineExecutionStatusSucceeded)
		require.NoError(t, c.disable("stop-waiting", "Deploy", inbound, "freeze"))
		second := c.startAndWaitAt(t, "stop-waiting", "Deploy")

		require.NoError(t, c.stop("stop-waiting", second, false, "not this one"))
		c.WaitStatus(t, "stop-waiting", second, types.PipelineExecutionStatusStopped)
		require.Nil(t, stageState(t, c.State(t, "stop-waiting"), "Deploy").InboundExecution)
		require.NoError(t, c.enable("stop-waiting", "Deploy", inbound))
		require.Equal(t, first, aws.ToString(stageState(t, c.State(t, "stop-waiting"), "Deploy").LatestExecution.PipelineExecutionId))
		require.Equal(t, types.PipelineExecutionStatusStopped, c.Execution(t, "stop-waiting", second).Status)
		_, err := c.retry("stop-waiting", "Deploy", second, types.StageRetryModeFailedActions)
		requireAPIError(t, err, "StageNotRetryableException", "Deploy")
	})

	t.Run("OutboundIsNextStagesInbound", func(t *testing.T) {
		t.Parallel()
		c.Create(t, twoStages("outbound"))
		require.NoError(t, c.disable("outbound", "Build", outbound, "hold"))
		require.False(t, c.inbound(t, "outbound", "Deploy").Enabled)
		require.True(t, c.inbound(t, "outbound", "Build").Enabled)
		require.NoError(t, c.enable("outbound", "Build", outbound))
		require.True(t, c.inbound(t, "outbound", "Deploy").Enabled)
	})

	t.Run("ErrFirstStageHasNoInbound", func(t *testing.T) {
		t.Parallel()
		c.Create(t, twoStages("first-stage"))
		requireAPIError(t, c.disable("first-stage", "Source", inbound, "hold"), "ValidationException", "first stage")
		requireAPIError(t, c.enable("first-stage", "Source", inbound), "ValidationException", "first stage")
		requireAPIError(t, c.disable("first-stage", "Deploy", outbound, "hold"), "ValidationException", "last stage")
	})

	t.Run("ErrBadReason", func(t *testing.T) {
		t.Parallel()
		c.Create(t, twoStages("bad-reason"))
		requireAPIError(t, c.disable("bad-reason", "Deploy", inbound, "ticket #12/3"), "ValidationException", "reason")
		require.True(t, c.inbound(t, "bad-reason", "Deploy").Enabled)
	})

	t.Run("ErrUnknownStage", func(t *testing.T) {
		t.Parallel()
		c.Create(t, twoStages("unknown-stage"))
		requireAPIError(t, c.disable("unknown-stage", "Nope", inbound, "hold"), "StageNotFoundException", "Nope")
		requireAPIError(t, c.disable("unknown-stage", "Nope", outbound, "hold"), "StageNotFoundException", "Nope")
		requireAPIError(t, c.enable("unknown-stage", "Nope", inbound), "StageNotFoundException", "Nope")
	})

	t.Run("ErrUnknownTransitionType", func(t *testing.T) {
		t.Parallel()
		c.Create(t, twoStages("bad-type"))
		requireAPIError(t, c.disable("bad-type", "Deploy", "Sideways", "hold"), "ValidationException", "transitionType")
	})

	t.Run("ErrPipelineNotFound", func(t *testing.T) {
		t.Parallel()
		requireAPIError(t, c.disable("never-created", "Deploy", inbound, "hold"), "PipelineNotFoundException", "never-created")
		requireAPIError(t, c.enable("never-created", "Deploy", outbound), "PipelineNotFoundException", "never-created")
	})
}
