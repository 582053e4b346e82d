package nodetest

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"
	"github.com/stretchr/testify/require"
)

// DecodePipeline turns a pipeline's JSON into the SDK's declaration type through the
// document shape the SDK itself would send.
func DecodePipeline(t *testing.T, raw json.RawMessage) *types.PipelineDeclaration {
	t.Helper()
	var p types.PipelineDeclaration
	require.NoError(t, json.Unmarshal(raw, &p))
	return &p
}

// ExecutionFor waits for the execution of pipeline that runs commit sha and returns its id.
func (b *Bundle) ExecutionFor(t *testing.T, pipeline, sha string) string {
	t.Helper()
	var id string
	b.WaitFor(t, "an execution of "+sha, func() bool {
		out, err := b.CP.ListPipelineExecutions(context.Background(), &codepipeline.ListPipelineExecutionsInput{PipelineName: aws.String(pipeline)})
		require.NoError(t, err)
		for _, e := range out.PipelineExecutionSummaries {
			for _, r := range e.SourceRevisions {
				if aws.ToString(r.RevisionId) == sha {
					id = *e.PipelineExecutionId
					return true
				}
			}
		}
		return false
	})
	return id
}

// ApprovalToken waits for an open approval and returns its token from GetPipelineState.
func (b *Bundle) ApprovalToken(t *testing.T, pipeline, stage, action string) string {
	t.Helper()
	var token string
	b.WaitFor(t, "approval "+stage+"/"+action, func() bool {
		st, err := b.CP.GetPipelineState(context.Background(), &codepipeline.GetPipelineStateInput{Name: aws.String(pipeline)})
		require.NoError(t, err)
		for _, s := range st.StageStates {
			for _, a := range s.ActionStates {
				if *s.StageName == stage && *a.ActionName == action && a.LatestExecution != nil && a.LatestExecution.Token != nil {
					token = *a.LatestExecution.Token
					return true
				}
			}
		}
		return false
	})
	return token
}

// WaitStatus waits until execution exec of pipeline ends want, failing if it ends otherwise.
func (b *Bundle) WaitStatus(t *testing.T, pipeline, exec string, want types.PipelineExecutionStatus) {
	t.Helper()
	b.WaitFor(t, "execution "+exec+" "+string(want), func() bool {
		out, err := b.CP.GetPipelineExecution(context.Background(), &codepipeline.GetPipelineExecutionInput{
			PipelineName: aws.String(pipeline), PipelineExecutionId: aws.String(exec)})
		require.NoError(t, err)
		st := out.PipelineExecution.Status
		if st != want && st != types.PipelineExecutionStatusInProgress && st != types.PipelineExecutionStatusStopping {
			t.Fatalf("execution %s ended %s (%s), want %s", exec, st, aws.ToString(out.PipelineExecution.StatusSummary), want)
		}
		return st == want
	})
}
