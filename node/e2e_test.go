package node_test

import (
	"context"
	"io"
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codecommit"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"
	"github.com/stretchr/testify/require"
)

func TestPushRunsPipelineToSucceeded(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	_, err := b.CC.CreateRepository(ctx, &codecommit.CreateRepositoryInput{RepositoryName: aws.String("app")})
	require.NoError(t, err)
	_, err = b.CP.CreatePipeline(ctx, &codepipeline.CreatePipelineInput{Pipeline: appPipeline(t)})
	require.NoError(t, err)

	sha := pushApp(t, b, "hello")
	exec := b.ExecutionFor(t, "app", sha)
	token := b.ApprovalToken(t, "app", "Approval", "Approve")
	_, err = b.CP.PutApprovalResult(ctx, &codepipeline.PutApprovalResultInput{PipelineName: aws.String("app"),
		StageName: aws.String("Approval"), ActionName: aws.String("Approve"), Token: aws.String(token),
		Result: &types.ApprovalResult{Status: types.ApprovalStatusApproved, Summary: aws.String("ship it")}})
	require.NoError(t, err)
	b.WaitStatus(t, "app", exec, types.PipelineExecutionStatusSucceeded)

	got, err := b.CP.GetPipelineExecution(ctx, &codepipeline.GetPipelineExecutionInput{PipelineName: aws.String("app"), PipelineExecutionId: aws.String(exec)})
	require.NoError(t, err)
	require.Equal(t, types.TriggerTypeCloudWatchEvent, got.PipelineExecution.Trigger.TriggerType)
	require.Equal(t, sha, *got.PipelineExecution.ArtifactRevisions[0].RevisionId)

	acts, err := b.CP.ListActionExecutions(ctx, &codepipeline.ListActionExecutionsInput{PipelineName: aws.String("app"),
		Filter: &types.ActionExecutionFilter{PipelineExecutionId: aws.String(exec)}})
	require.NoError(t, err)
	byName := map[string]types.ActionExecutionDetail{}
	for _, a := range acts.ActionExecutionDetails {
		byName[*a.ActionName] = a
	}
	require.Len(t, byName, 6)
	require.Equal(t, "1.2.3", byName["Compile"].Output.OutputVariables["VERSION"])
	require.Equal(t, sha, byName["Source"].Output.OutputVariables["CommitId"])
	require.Equal(t, sha, aws.ToString(byName["Source"].Output.ExecutionResult.ExternalExecutionId))
	require.Equal(t, "Say hello", aws.ToString(byName["Source"].Output.ExecutionResult.ExternalExecutionSummary))
	require.Equal(t, "Ship 1.2.3?", byName["Approve"].Input.ResolvedConfiguration["CustomData"])
	require.Equal(t, "ship it", *byName["Approve"].Output.ExecutionResult.ExternalExecutionSummary)

	metrics := get(t, b.URL+"/metrics")
	require.Contains(t, metrics, `sluice_pipeline_executions_total{status="Succeeded"} 1`)
	require.Contains(t, metrics, `sluice_action_executions_total{provider="Commands",status="Succeeded"} 4`)
	require.Contains(t, metrics, "sluice_action_duration_seconds_bucket")
	require.Contains(t, metrics, "sluice_job_queue_depth 0")
	require.Equal(t, "ok\n", get(t, b.URL+"/healthz"))
}

func get(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return string(body)
}
