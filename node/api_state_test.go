package node_test

import (
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/codecommit"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"
	"github.com/stretchr/testify/require"
)

func TestGetPipelineState(t *testing.T) {
	t.Parallel()
	c := setupConformance(t)
	exec := c.Create(t, pipeline("shape",
		stage("Build", cmdAction("Compile", "true"), cmdAction("Lint", "true")),
		stage("Gate", approval("Approve")),
		stage("Later", cmdAction("Deploy", "true"))))
	token := c.ApprovalToken(t, "shape", "Gate", "Approve")
	branch, err := c.CC.GetBranch(c.ctx, &codecommit.GetBranchInput{RepositoryName: aws.String(srcRepo), BranchName: aws.String("main")})
	require.NoError(t, err)
	head := aws.ToString(branch.Branch.CommitId)

	st := c.State(t, "shape")
	require.Equal(t, "shape", aws.ToString(st.PipelineName))
	require.EqualValues(t, 1, aws.ToInt32(st.PipelineVersion))
	require.NotNil(t, st.Created)
	require.NotNil(t, st.Updated)
	var names []string
	for i, s := range st.StageStates {
		names = append(names, aws.ToString(s.StageName))
		if i == 0 { // no transition leads into the first stage, and AWS writes none
			require.Nil(t, s.InboundTransitionState)
			continue
		}
		require.True(t, s.InboundTransitionState.Enabled)
	}
	require.Equal(t, []string{"Source", "Build", "Gate", "Later"}, names, "every stage, in declaration order")

	for name, want := range map[string]types.StageExecutionStatus{"Source": types.StageExecutionStatusSucceeded,
		"Build": types.StageExecutionStatusSucceeded, "Gate": types.StageExecutionStatusInProgress} {
		s := stageState(t, st, name)
		require.NotNil(t, s.LatestExecution, name)
		require.Equal(t, exec, aws.ToString(s.LatestExecution.PipelineExecutionId), name)
		require.Equal(t, want, s.LatestExecution.Status, name)
		for _, a := range s.ActionStates {
			require.NotNil(t, a.LatestExecution, name+"/"+aws.ToString(a.ActionName))
			require.NotEmpty(t, aws.ToString(a.LatestExecution.ActionExecutionId))
			require.NotNil(t, a.LatestExecution.LastStatusChange)
		}
	}
	build := stageState(t, st, "Build")
	require.Len(t, build.ActionStates, 2)
	for _, a := range build.ActionStates {
		require.Equal(t, types.ActionExecutionStatusSucceeded, a.LatestExecution.Status)
	}

	src := stageState(t, st, "Source").ActionStates[0]
	require.NotNil(t, src.CurrentRevision, "the source action shows the revision it fetched")
	require.Equal(t, head, aws.ToString(src.CurrentRevision.RevisionId))
	require.NotNil(t, src.CurrentRevision.Created)

	gate := stageState(t, st, "Gate").ActionStates[0]
	require.Equal(t, types.ActionExecutionStatusInProgress, gate.LatestExecution.Status)
	require.Equal(t, token, aws.ToString(gate.LatestExecution.Token))

	later := stageState(t, st, "Later")
	require.Nil(t, later.LatestExecution, "a stage never reached has no latestExecution")
	require.Len(t, later.ActionStates, 1)
	require.Equal(t, "Deploy", aws.ToString(later.ActionStates[0].ActionName))
	require.Nil(t, later.ActionStates[0].LatestExecution)

	_, err = c.CP.GetPipelineState(c.ctx, &codepipeline.GetPipelineStateInput{Name: aws.String("never-created")})
	requireAPIError(t, err, "PipelineNotFoundException", "never-created")
}

func TestResponsesCarryRequestID(t *testing.T) {
	t.Parallel()
	b := setup(t)

	t.Run("Success", func(t *testing.T) {
		t.Parallel()
		out, err := b.CP.ListPipelines(t.Context(), &codepipeline.ListPipelinesInput{})
		require.NoError(t, err)
		id, ok := awsmiddleware.GetRequestIDMetadata(out.ResultMetadata)
		require.True(t, ok)
		require.Regexp(t, `^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`, id)
	})

	t.Run("Error", func(t *testing.T) {
		t.Parallel()
		_, err := b.CP.GetPipeline(t.Context(), &codepipeline.GetPipelineInput{Name: aws.String("nope")})
		var re *awshttp.ResponseError
		require.True(t, errors.As(err, &re))
		require.NotEmpty(t, re.ServiceRequestID())
		requireAPIError(t, err, "PipelineNotFoundException", "nope")
	})

	t.Run("Distinct", func(t *testing.T) {
		t.Parallel()
		ids := map[string]bool{}
		for range 3 {
			out, err := b.CP.ListPipelines(t.Context(), &codepipeline.ListPipelinesInput{})
			require.NoError(t, err)
			id, _ := awsmiddleware.GetRequestIDMetadata(out.ResultMetadata)
			ids[id] = true
		}
		require.Len(t, ids, 3)
	})
}
