package node_test

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codecommit"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"
	"github.com/stretchr/testify/require"
)

// TestStartWithSourceRevisions pins a source action to an older commit with
// StartPipelineExecution's sourceRevisions, and checks the refusals.
func TestStartWithSourceRevisions(t *testing.T) {
	t.Parallel()
	c := setupConformance(t)
	branch, err := c.CC.GetBranch(c.ctx, &codecommit.GetBranchInput{RepositoryName: aws.String(srcRepo), BranchName: aws.String("main")})
	require.NoError(t, err)
	first := *branch.Branch.CommitId
	pushFiles(t, c.bundle, srcRepo, map[string]string{"second": "2\n"})
	c.Node.Repos.Wait()
	check := cmdAction("Check", `test ! -f second`, `test "#{SourceVariables.CommitId}" = `+first)
	p := pipeline("pinned", stage("Check", check))
	p.Stages[0].Actions[0].Namespace = aws.String("SourceVariables")
	c.Create(t, p)

	start := func(revs ...types.SourceRevisionOverride) (string, error) {
		out, err := c.CP.StartPipelineExecution(c.ctx, &codepipeline.StartPipelineExecutionInput{Name: aws.String("pinned"), SourceRevisions: revs})
		if err != nil {
			return "", err
		}
		return *out.PipelineExecutionId, nil
	}
	exec, err := start(types.SourceRevisionOverride{ActionName: aws.String("Source"), RevisionType: types.SourceRevisionTypeCommitId, RevisionValue: aws.String(first[:12])})
	require.NoError(t, err)
	c.WaitStatus(t, "pinned", exec, types.PipelineExecutionStatusSucceeded)
	got := c.Execution(t, "pinned", exec)
	require.Len(t, got.ArtifactRevisions, 1)
	require.Equal(t, first, aws.ToString(got.ArtifactRevisions[0].RevisionId), "the full id of the abbreviated commit")

	_, err = start(types.SourceRevisionOverride{ActionName: aws.String("Check"), RevisionType: types.SourceRevisionTypeCommitId, RevisionValue: aws.String(first)})
	requireAPIError(t, err, "ValidationException", "Check is not a source action")
	_, err = start(types.SourceRevisionOverride{ActionName: aws.String("Source"), RevisionType: types.SourceRevisionTypeImageDigest, RevisionValue: aws.String("sha256:0")})
	requireAPIError(t, err, "ValidationException", "IMAGE_DIGEST")
	_, err = start(types.SourceRevisionOverride{ActionName: aws.String("Source"), RevisionType: "BRANCH", RevisionValue: aws.String("x")})
	requireAPIError(t, err, "ValidationException", "sourceRevisions.1.member.revisionType")

	missing, err := start(types.SourceRevisionOverride{ActionName: aws.String("Source"), RevisionType: types.SourceRevisionTypeCommitId, RevisionValue: aws.String("0123456789abcdef0123456789abcdef01234567")})
	require.NoError(t, err)
	c.WaitStatus(t, "pinned", missing, types.PipelineExecutionStatusFailed)
	for _, r := range c.ActionRuns(t, "pinned", missing) {
		if aws.ToString(r.ActionName) == "Source" {
			require.Contains(t, aws.ToString(r.Output.ExecutionResult.ErrorDetails.Message), "is not in repository src")
		}
	}
}

// TestPutActionRevision announces revisions of a source action as an outside poller would:
// the revision the latest execution ran starts nothing, another starts an execution pinned
// to it.
func TestPutActionRevision(t *testing.T) {
	t.Parallel()
	c := setupConformance(t)
	branch, err := c.CC.GetBranch(c.ctx, &codecommit.GetBranchInput{RepositoryName: aws.String(srcRepo), BranchName: aws.String("main")})
	require.NoError(t, err)
	first := *branch.Branch.CommitId
	second := pushFiles(t, c.bundle, srcRepo, map[string]string{"second": "2\n"})
	c.Node.Repos.Wait()
	exec := c.Create(t, pipeline("announced", stage("Check", cmdAction("Check", "true"))))
	c.WaitStatus(t, "announced", exec, types.PipelineExecutionStatusSucceeded)

	put := func(stageName, action, sha string) (*codepipeline.PutActionRevisionOutput, error) {
		return c.CP.PutActionRevision(c.ctx, &codepipeline.PutActionRevisionInput{PipelineName: aws.String("announced"),
			StageName: aws.String(stageName), ActionName: aws.String(action),
			ActionRevision: &types.ActionRevision{RevisionId: aws.String(sha), RevisionChangeId: aws.String(sha), Created: aws.Time(time.Now())}})
	}
	same, err := put("Source", "Source", second)
	require.NoError(t, err)
	require.False(t, same.NewRevision)
	require.Equal(t, exec, *same.PipelineExecutionId)

	older, err := put("Source", "Source", first)
	require.NoError(t, err)
	require.True(t, older.NewRevision)
	c.WaitStatus(t, "announced", *older.PipelineExecutionId, types.PipelineExecutionStatusSucceeded)
	got := c.Execution(t, "announced", *older.PipelineExecutionId)
	require.Equal(t, types.TriggerTypePutActionRevision, got.Trigger.TriggerType)
	require.Equal(t, first, aws.ToString(got.ArtifactRevisions[0].RevisionId))

	again, err := put("Source", "Source", second)
	require.NoError(t, err)
	require.False(t, again.NewRevision, "a revision used before, though not by the latest execution, starts nothing")
	require.Equal(t, exec, *again.PipelineExecutionId)

	_, err = put("Nope", "Source", first)
	requireAPIError(t, err, "StageNotFoundException", "Nope")
	_, err = put("Source", "Nope", first)
	requireAPIError(t, err, "ActionNotFoundException", "Nope")
}
