package main

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"
	"github.com/stretchr/testify/require"
)

// withVariables declares pipeline variables; an empty default means none.
func withVariables(p *types.PipelineDeclaration, nameDefault ...string) *types.PipelineDeclaration {
	for i := 0; i+1 < len(nameDefault); i += 2 {
		v := types.PipelineVariableDeclaration{Name: aws.String(nameDefault[i])}
		if nameDefault[i+1] != "" {
			v.DefaultValue = aws.String(nameDefault[i+1])
		}
		p.Variables = append(p.Variables, v)
	}
	return p
}

func TestStartPipelineExecution(t *testing.T) {
	t.Parallel()
	c := setupConformance(t)

	t.Run("ClientRequestTokenIsIdempotent", func(t *testing.T) {
		t.Parallel()
		c.create(t, pipeline("idempotent", stage("Hold", approval("Hold"))))
		start := func() string {
			out, err := c.cp.StartPipelineExecution(c.ctx, &codepipeline.StartPipelineExecutionInput{Name: aws.String("idempotent"),
				ClientRequestToken: aws.String("deploy-42")})
			require.NoError(t, err)
			return aws.ToString(out.PipelineExecutionId)
		}
		first, second := start(), start()
		require.Equal(t, first, second)
		require.Len(t, c.executions(t, "idempotent"), 2, "the CreatePipeline execution and one started execution")
		got := c.execution(t, "idempotent", first)
		require.Equal(t, types.TriggerTypeStartPipelineExecution, got.Trigger.TriggerType)
		require.NotEmpty(t, aws.ToString(got.Trigger.TriggerDetail), "the caller")
	})

	t.Run("VariableOverrideIsResolved", func(t *testing.T) {
		t.Parallel()
		p := withVariables(pipeline("overrides", stage("Run", cmdAction("Greet", `test "#{variables.GREETING} #{variables.TARGET}" = "hi world"`))),
			"GREETING", "hello", "TARGET", "world")
		c.create(t, p)
		out, err := c.cp.StartPipelineExecution(c.ctx, &codepipeline.StartPipelineExecutionInput{Name: aws.String("overrides"),
			Variables: []types.PipelineVariable{{Name: aws.String("GREETING"), Value: aws.String("hi")}}})
		require.NoError(t, err)
		exec := aws.ToString(out.PipelineExecutionId)
		c.waitStatus(t, "overrides", exec, types.PipelineExecutionStatusSucceeded)
		vars := map[string]string{}
		for _, v := range c.execution(t, "overrides", exec).Variables {
			vars[aws.ToString(v.Name)] = aws.ToString(v.ResolvedValue)
		}
		require.Equal(t, map[string]string{"GREETING": "hi", "TARGET": "world"}, vars)
	})

	t.Run("ErrUnknownVariable", func(t *testing.T) {
		t.Parallel()
		c.create(t, withVariables(pipeline("unknown-var", stage("Hold", approval("Hold"))), "GREETING", "hello"))
		_, err := c.cp.StartPipelineExecution(c.ctx, &codepipeline.StartPipelineExecutionInput{Name: aws.String("unknown-var"),
			Variables: []types.PipelineVariable{{Name: aws.String("NOPE"), Value: aws.String("x")}}})
		requireAPIError(t, err, "ValidationException", "NOPE")
		require.Len(t, c.executions(t, "unknown-var"), 1, "no execution is created for a refused start")
	})

	t.Run("ErrMissingVariableWithoutDefault", func(t *testing.T) {
		t.Parallel()
		c.create(t, withVariables(pipeline("required-var", stage("Hold", approval("Hold"))), "TARGET", ""))
		_, err := c.cp.StartPipelineExecution(c.ctx, &codepipeline.StartPipelineExecutionInput{Name: aws.String("required-var")})
		requireAPIError(t, err, "ValidationException", "TARGET")
		require.Len(t, c.executions(t, "required-var"), 1, "no execution is created for a refused start")
	})

	t.Run("ErrBadClientRequestToken", func(t *testing.T) {
		t.Parallel()
		c.create(t, pipeline("bad-token", stage("Hold", approval("Hold"))))
		_, err := c.cp.StartPipelineExecution(c.ctx, &codepipeline.StartPipelineExecutionInput{Name: aws.String("bad-token"),
			ClientRequestToken: aws.String("not a token!")})
		requireAPIError(t, err, "ValidationException", "clientRequestToken")
		require.Len(t, c.executions(t, "bad-token"), 1)
	})

	t.Run("ErrPipelineNotFound", func(t *testing.T) {
		t.Parallel()
		_, err := c.cp.StartPipelineExecution(c.ctx, &codepipeline.StartPipelineExecutionInput{Name: aws.String("never-created"),
			ClientRequestToken: aws.String("deploy-43")})
		requireAPIError(t, err, "PipelineNotFoundException", "never-created")
	})
}

func TestGetPipelineExecution(t *testing.T) {
	t.Parallel()
	c := setupConformance(t)
	exec := c.create(t, pipeline("get-exec", stage("Run", cmdAction("Ok", "true"))))
	c.waitStatus(t, "get-exec", exec, types.PipelineExecutionStatusSucceeded)

	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		got := c.execution(t, "get-exec", exec)
		require.Equal(t, exec, aws.ToString(got.PipelineExecutionId))
		require.Equal(t, "get-exec", aws.ToString(got.PipelineName))
		require.EqualValues(t, 1, aws.ToInt32(got.PipelineVersion))
		require.Equal(t, types.TriggerTypeCreatePipeline, got.Trigger.TriggerType)
		require.Equal(t, types.ExecutionModeSuperseded, got.ExecutionMode)
		require.Len(t, got.ArtifactRevisions, 1)
		require.Equal(t, "Code", aws.ToString(got.ArtifactRevisions[0].Name))
		require.Len(t, aws.ToString(got.ArtifactRevisions[0].RevisionId), 40)
	})

	t.Run("FailureIsDescribed", func(t *testing.T) {
		t.Parallel()
		failed := c.create(t, pipeline("described", stage("Run", cmdAction("Broken", "echo about to fail", "exit 3"))))
		c.waitStatus(t, "described", failed, types.PipelineExecutionStatusFailed)
		require.Contains(t, aws.ToString(c.execution(t, "described", failed).StatusSummary), "Broken")
		a := stageState(t, c.state(t, "described"), "Run").ActionStates[0]
		require.Equal(t, types.ActionExecutionStatusFailed, a.LatestExecution.Status)
		require.NotNil(t, a.LatestExecution.ErrorDetails)
		require.NotEmpty(t, aws.ToString(a.LatestExecution.ErrorDetails.Message))
		for _, d := range c.actionRuns(t, "described", failed) {
			if aws.ToString(d.ActionName) != "Broken" {
				continue
			}
			require.Equal(t, types.ActionExecutionStatusFailed, d.Status)
			require.NotNil(t, d.Output.ExecutionResult.ErrorDetails)
			require.Equal(t, "Commands", aws.ToString(d.Input.ActionTypeId.Provider))
			require.Equal(t, "Code", aws.ToString(d.Input.InputArtifacts[0].Name))
		}
	})

	t.Run("FilterSucceededInStage", func(t *testing.T) {
		t.Parallel()
		g := newGate(t)
		failed := c.create(t, pipeline("succeeded-in", stage("Run", cmdAction("Check", g.check()))))
		c.waitStatus(t, "succeeded-in", failed, types.PipelineExecutionStatusFailed)
		g.open(t)
		out, err := c.cp.StartPipelineExecution(c.ctx, &codepipeline.StartPipelineExecutionInput{Name: aws.String("succeeded-in")})
		require.NoError(t, err)
		ok := aws.ToString(out.PipelineExecutionId)
		c.waitStatus(t, "succeeded-in", ok, types.PipelineExecutionStatusSucceeded)
		ids := func(stageName string) []string {
			list, err := c.cp.ListPipelineExecutions(c.ctx, &codepipeline.ListPipelineExecutionsInput{PipelineName: aws.String("succeeded-in"),
				Filter: &types.PipelineExecutionFilter{SucceededInStage: &types.SucceededInStageFilter{StageName: aws.String(stageName)}}})
			require.NoError(t, err)
			var out []string
			for _, e := range list.PipelineExecutionSummaries {
				out = append(out, aws.ToString(e.PipelineExecutionId))
			}
			return out
		}
		require.Equal(t, []string{ok}, ids("Run"))
		require.Equal(t, []string{ok, failed}, ids("Source"), "newest first")
	})

	t.Run("ErrUnknownExecution", func(t *testing.T) {
		t.Parallel()
		_, err := c.cp.GetPipelineExecution(c.ctx, &codepipeline.GetPipelineExecutionInput{PipelineName: aws.String("get-exec"),
			PipelineExecutionId: aws.String("00000000-0000-0000-0000-000000000000")})
		requireAPIError(t, err, "PipelineExecutionNotFoundException", "00000000-0000-0000-0000-000000000000")
	})

	t.Run("ErrPipelineNotFound", func(t *testing.T) {
		t.Parallel()
		_, err := c.cp.GetPipelineExecution(c.ctx, &codepipeline.GetPipelineExecutionInput{PipelineName: aws.String("never-created"),
			PipelineExecutionId: aws.String(exec)})
		requireAPIError(t, err, "PipelineNotFoundException", "never-created")
	})
}
