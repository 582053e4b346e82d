package node_test

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
		c.Create(t, pipeline("idempotent", stage("Hold", approval("Hold"))))
		start := func() string {
			out, err := c.CP.StartPipelineExecution(c.ctx, &codepipeline.StartPipelineExecutionInput{Name: aws.String("idempotent"),
				ClientRequestToken: aws.String("deploy-42")})
			require.NoError(t, err)
			return aws.ToString(out.PipelineExecutionId)
		}
		first, second := start(), start()
		require.Equal(t, first, second)
		require.Len(t, c.Executions(t, "idempotent"), 2, "the CreatePipeline execution and one started execution")
		got := c.Execution(t, "idempotent", first)
		require.Equal(t, types.TriggerTypeStartPipelineExecution, got.Trigger.TriggerType)
		require.NotEmpty(t, aws.ToString(got.Trigger.TriggerDetail), "the caller")
	})

	t.Run("VariableOverrideIsResolved", func(t *testing.T) {
		t.Parallel()
		p := withVariables(pipeline("overrides", stage("Run", cmdAction("Greet", `test "#{variables.GREETING} #{variables.TARGET}" = "hi world"`))),
			"GREETING", "hello", "TARGET", "world")
		c.Create(t, p)
		out, err := c.CP.StartPipelineExecution(c.ctx, &codepipeline.StartPipelineExecutionInput{Name: aws.String("overrides"),
			Variables: []types.PipelineVariable{{Name: aws.String("GREETING"), Value: aws.String("hi")}}})
		require.NoError(t, err)
		exec := aws.ToString(out.PipelineExecutionId)
		c.WaitStatus(t, "overrides", exec, types.PipelineExecutionStatusSucceeded)
		vars := map[string]string{}
		for _, v := range c.Execution(t, "overrides", exec).Variables {
			vars[aws.ToString(v.Name)] = aws.ToString(v.ResolvedValue)
		}
		require.Equal(t, map[string]string{"GREETING": "hi", "TARGET": "world"}, vars)
	})

	t.Run("ErrUnknownVariable", func(t *testing.T) {
		t.Parallel()
		c.Create(t, withVariables(pipeline("unknown-var", stage("Hold", approval("Hold"))), "GREETING", "hello"))
		_, err := c.CP.StartPipelineExecution(c.ctx, &codepipeline.StartPipelineExecutionInput{Name: aws.String("unknown-var"),
			Variables: []types.PipelineVariable{{Name: aws.String("NOPE"), Value: aws.String("x")}}})
		requireAPIError(t, err, "ValidationException", "NOPE")
		require.Len(t, c.Executions(t, "unknown-var"), 1, "no execution is created for a refused start")
	})

	t.Run("ErrMissingVariableWithoutDefault", func(t *testing.T) {
		t.Parallel()
		c.Create(t, withVariables(pipeline("required-var", stage("Hold", approval("Hold"))), "TARGET", ""))
		_, err := c.CP.StartPipelineExecution(c.ctx, &codepipeline.StartPipelineExecutionInput{Name: aws.String("required-var")})
		requireAPIError(t, err, "ValidationException", "TARGET")
		require.Len(t, c.Executions(t, "required-var"), 1, "no execution is created for a refused start")
	})

	t.Run("ErrBadClientRequestToken", func(t *testing.T) {
		t.Parallel()
		c.Create(t, pipeline("bad-token", stage("Hold", approval("Hold"))))
		_, err := c.CP.StartPipelineExecution(c.ctx, &codepipeline.StartPipelineExecutionInput{Name: aws.String("bad-token"),
			ClientRequestToken: aws.String("not a token!")})
		requireAPIError(t, err, "ValidationException", "clientRequestToken")
		require.Len(t, c.Executions(t, "bad-token"), 1)
	})

	t.Run("ErrPipelineNotFound", func(t *testing.T) {
		t.Parallel()
		_, err := c.CP.StartPipelineExecution(c.ctx, &codepipeline.StartPipelineExecutionInput{Name: aws.String("never-created"),
			ClientRequestToken: aws.String("deploy-43")})
		requireAPIError(t, err, "PipelineNotFoundException", "never-created")
	})
}

func TestGetPipelineExecution(t *testing.T) {
	t.Parallel()
	c := setupConformance(t)
	exec := c.Create(t, pipeline("get-exec", stage("Run", cmdAction("Ok", "true"))))
	c.WaitStatus(t, "get-exec", exec, types.PipelineExecutionStatusSucceeded)

	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		got := c.Execution(t, "get-exec", exec)
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
		failed := c.Create(t, pipeline("described", stage("Run", cmdAction("Broken", "echo about to fail", "exit 3"))))
		c.WaitStatus(t, "described", failed, types.PipelineExecutionStatusFailed)
		require.Contains(t, aws.ToString(c.Execution(t, "described", failed).StatusSummary), "Broken")
		a := stageState(t, c.State(t, "described"), "Run").ActionStates[0]
		require.Equal(t, types.ActionExecutionStatusFailed, a.LatestExecution.Status)
		require.NotNil(t, a.LatestExecution.ErrorDetails)
		require.NotEmpty(t, aws.ToString(a.LatestExecution.ErrorDetails.Message))
		for _, d := range c.ActionRuns(t, "described", failed) {
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
		failed := c.Create(t, pipeline("succeeded-in", stage("Run", cmdAction("Check", g.Check()))))
		c.WaitStatus(t, "succeeded-in", failed, types.PipelineExecutionStatusFailed)
		g.Open(t)
		out, err := c.CP.StartPipelineExecution(c.ctx, &codepipeline.StartPipelineExecutionInput{Name: aws.String("succeeded-in")})
		require.NoError(t, err)
		ok := aws.ToString(out.PipelineExecutionId)
		c.WaitStatus(t, "succeeded-in", ok, types.PipelineExecutionStatusSucceeded)
		ids := func(stageName string) []string {
			list, err := c.CP.ListPipelineExecutions(c.ctx, &codepipeline.ListPipelineExecutionsInput{PipelineName: aws.String("succeeded-in"),
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
		_, err := c.CP.GetPipelineExecution(c.ctx, &codepipeline.GetPipelineExecutionInput{PipelineName: aws.String("get-exec"),
			PipelineExecutionId: aws.String("00000000-0000-0000-0000-000000000000")})
		requireAPIError(t, err, "PipelineExecutionNotFoundException", "00000000-0000-0000-0000-000000000000")
	})

	t.Run("ErrPipelineNotFound", func(t *testing.T) {
		t.Parallel()
		_, err := c.CP.GetPipelineExecution(c.ctx, &codepipeline.GetPipelineExecutionInput{PipelineName: aws.String("never-created"),
			PipelineExecutionId: aws.String(exec)})
		requireAPIError(t, err, "PipelineNotFoundException", "never-created")
	})
}
