package node_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"
	"github.com/stretchr/testify/require"
)

func TestUpdatePipeline(t *testing.T) {
	t.Parallel()
	c := setupConformance(t)

	t.Run("BumpsVersionKeepsOldAndStartsNothing", func(t *testing.T) {
		t.Parallel()
		p := pipeline("versions", stage("Run", cmdAction("Say", "echo one")))
		exec := c.Create(t, p)
		c.WaitStatus(t, "versions", exec, types.PipelineExecutionStatusSucceeded)

		p.Stages[1].Actions[0].Commands = []string{"echo two"}
		out, err := c.CP.UpdatePipeline(c.ctx, &codepipeline.UpdatePipelineInput{Pipeline: p})
		require.NoError(t, err)
		require.EqualValues(t, 2, aws.ToInt32(out.Pipeline.Version))

		cur, err := c.CP.GetPipeline(c.ctx, &codepipeline.GetPipelineInput{Name: aws.String("versions")})
		require.NoError(t, err)
		require.EqualValues(t, 2, aws.ToInt32(cur.Pipeline.Version))
		require.Equal(t, []string{"echo two"}, cur.Pipeline.Stages[1].Actions[0].Commands)
		require.Equal(t, "arn:aws:codepipeline:us-east-1:000000000000:versions", aws.ToString(cur.Metadata.PipelineArn))
		require.NotNil(t, cur.Metadata.Updated)

		old, err := c.CP.GetPipeline(c.ctx, &codepipeline.GetPipelineInput{Name: aws.String("versions"), Version: aws.Int32(1)})
		require.NoError(t, err)
		require.EqualValues(t, 1, aws.ToInt32(old.Pipeline.Version))
		require.Equal(t, []string{"echo one"}, old.Pipeline.Stages[1].Actions[0].Commands)

		require.Len(t, c.Executions(t, "versions"), 1, "UpdatePipeline starts no execution")
		require.EqualValues(t, 2, aws.ToInt32(c.State(t, "versions").PipelineVersion))
	})

	t.Run("RunningExecutionFinishesActionsThenCancelled", func(t *testing.T) {
		t.Parallel()
		g := newGate(t)
		p := pipeline("update-running", stage("Run", cmdAction("Wait", g.Wait())), stage("Next", cmdAction("Next", "true")))
		exec := c.Create(t, p)
		c.WaitAction(t, "update-running", "Run", "Wait", types.ActionExecutionStatusInProgress)

		_, err := c.CP.UpdatePipeline(c.ctx, &codepipeline.UpdatePipelineInput{Pipeline: p})
		require.NoError(t, err)
		require.Equal(t, types.PipelineExecutionStatusInProgress, c.Execution(t, "update-running", exec).Status, "running actions finish first")
		g.Open(t)
		c.WaitStatus(t, "update-running", exec, types.PipelineExecutionStatusCancelled)
		require.Equal(t, types.ActionExecutionStatusSucceeded, c.ActionStatus(t, "update-running", "Run", "Wait"))
		require.Nil(t, stageState(t, c.State(t, "update-running"), "Next").LatestExecution)
		require.Len(t, c.Executions(t, "update-running"), 1)
	})

	t.Run("ErrUnknownVersion", func(t *testing.T) {
		t.Parallel()
		c.Create(t, pipeline("one-version", stage("Hold", approval("Hold"))))
		_, err := c.CP.GetPipeline(c.ctx, &codepipeline.GetPipelineInput{Name: aws.String("one-version"), Version: aws.Int32(7)})
		requireAPIError(t, err, "PipelineVersionNotFoundException", "7")
	})

	t.Run("ErrVersionOutOfRange", func(t *testing.T) {
		t.Parallel()
		c.Create(t, pipeline("version-zero", stage("Hold", approval("Hold"))))
		_, err := c.CP.GetPipeline(c.ctx, &codepipeline.GetPipelineInput{Name: aws.String("version-zero"), Version: aws.Int32(0)})
		requireAPIError(t, err, "ValidationException", "version")
	})

	t.Run("ErrPipelineNotFound", func(t *testing.T) {
		t.Parallel()
		_, err := c.CP.UpdatePipeline(c.ctx, &codepipeline.UpdatePipelineInput{Pipeline: pipeline("never-created", stage("Hold", approval("Hold")))})
		// The model has no not-found exception for UpdatePipeline (docs/compatibility.md).
		requireAPIError(t, err, "ValidationException", "does not have a pipeline with name 'never-created'")
		_, err = c.CP.GetPipeline(c.ctx, &codepipeline.GetPipelineInput{Name: aws.String("never-created")})
		requireAPIError(t, err, "PipelineNotFoundException", "never-created")
	})

	t.Run("ErrInvalidDeclarationKeepsVersion", func(t *testing.T) {
		t.Parallel()
		p := pipeline("stays-valid", stage("Hold", approval("Hold")))
		c.Create(t, p)
		p.Stages = p.Stages[:1]
		_, err := c.CP.UpdatePipeline(c.ctx, &codepipeline.UpdatePipelineInput{Pipeline: p})
		requireAPIError(t, err, "InvalidStructureException", "stage")
		cur, err := c.CP.GetPipeline(c.ctx, &codepipeline.GetPipelineInput{Name: aws.String("stays-valid")})
		require.NoError(t, err)
		require.EqualValues(t, 1, aws.ToInt32(cur.Pipeline.Version))
		require.Len(t, cur.Pipeline.Stages, 2)
	})
}

func TestListPipelinesSummaries(t *testing.T) {
	t.Parallel()
	c := setupConformance(t)
	c.Create(t, pipeline("default-mode", stage("Hold", approval("Hold"))))
	queued := pipeline("queued-mode", stage("Hold", approval("Hold")))
	queued.ExecutionMode = types.ExecutionModeQueued
	c.Create(t, queued)
	_, err := c.CP.UpdatePipeline(c.ctx, &codepipeline.UpdatePipelineInput{Pipeline: queued})
	require.NoError(t, err)

	out, err := c.CP.ListPipelines(c.ctx, &codepipeline.ListPipelinesInput{})
	require.NoError(t, err)
	require.Nil(t, out.NextToken)
	byName := map[string]types.PipelineSummary{}
	for _, p := range out.Pipelines {
		byName[aws.ToString(p.Name)] = p
	}
	require.Len(t, byName, 2)
	def, q := byName["default-mode"], byName["queued-mode"]
	require.Equal(t, types.PipelineTypeV2, def.PipelineType)
	require.Equal(t, types.ExecutionModeSuperseded, def.ExecutionMode)
	require.EqualValues(t, 1, aws.ToInt32(def.Version))
	require.Equal(t, types.ExecutionModeQueued, q.ExecutionMode)
	require.EqualValues(t, 2, aws.ToInt32(q.Version))
	require.NotNil(t, q.Created)
	require.NotNil(t, q.Updated)
	require.False(t, q.Updated.Before(*q.Created))
}

func TestCreateAndDeletePipeline(t *testing.T) {
	t.Parallel()
	c := setupConformance(t)

	t.Run("CreateStartsExecutionAndDeleteRemoves", func(t *testing.T) {
		t.Parallel()
		out, err := c.CP.CreatePipeline(c.ctx, &codepipeline.CreatePipelineInput{Pipeline: pipeline("short-lived", stage("Hold", approval("Hold")))})
		require.NoError(t, err)
		require.EqualValues(t, 1, aws.ToInt32(out.Pipeline.Version))
		execs := c.Executions(t, "short-lived")
		require.Len(t, execs, 1)
		require.Equal(t, types.TriggerTypeCreatePipeline, execs[0].Trigger.TriggerType)

		_, err = c.CP.DeletePipeline(c.ctx, &codepipeline.DeletePipelineInput{Name: aws.String("short-lived")})
		require.NoError(t, err)
		_, err = c.CP.GetPipeline(c.ctx, &codepipeline.GetPipelineInput{Name: aws.String("short-lived")})
		requireAPIError(t, err, "PipelineNotFoundException", "short-lived")
		_, err = c.CP.ListPipelineExecutions(c.ctx, &codepipeline.ListPipelineExecutionsInput{PipelineName: aws.String("short-lived")})
		requireAPIError(t, err, "PipelineNotFoundException", "short-lived")
		_, err = c.CP.DeletePipeline(c.ctx, &codepipeline.DeletePipelineInput{Name: aws.String("short-lived")})
		require.NoError(t, err, "deleting a missing pipeline is not an error")
	})

	t.Run("ErrNameInUse", func(t *testing.T) {
		t.Parallel()
		c.Create(t, pipeline("taken", stage("Hold", approval("Hold"))))
		_, err := c.CP.CreatePipeline(c.ctx, &codepipeline.CreatePipelineInput{Pipeline: pipeline("taken", stage("Other", approval("Other")))})
		requireAPIError(t, err, "PipelineNameInUseException", "taken")
		require.Len(t, c.Executions(t, "taken"), 1)
	})
}
