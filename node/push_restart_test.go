package node_test

import (
	"path/filepath"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codecommit"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"
	"github.com/stretchr/testify/require"
)

// TestRestartActsOnMissedPushesOnly restarts the server after a rollback made with
// sourceRevisions, which is no push and starts nothing, and after a push the server never
// saw (made to the repository on disk while it was down), which starts once.
func TestRestartActsOnMissedPushesOnly(t *testing.T) {
	t.Parallel()
	c := setupConformance(t)
	branch, err := c.CC.GetBranch(c.ctx, &codecommit.GetBranchInput{RepositoryName: aws.String(srcRepo), BranchName: aws.String("main")})
	require.NoError(t, err)
	first := *branch.Branch.CommitId
	pushFiles(t, c.bundle, srcRepo, map[string]string{"second": "2\n"})
	c.Node.Repos.Wait()
	c.Create(t, pipeline("rolled", stage("Wait", approval("OK"))))
	_, err = c.CP.StartPipelineExecution(c.ctx, &codepipeline.StartPipelineExecutionInput{Name: aws.String("rolled"),
		SourceRevisions: []types.SourceRevisionOverride{{ActionName: aws.String("Source"), RevisionType: types.SourceRevisionTypeCommitId, RevisionValue: aws.String(first)}}})
	require.NoError(t, err)
	require.Len(t, c.Executions(t, "rolled"), 2)

	c.Restart(t)
	require.Len(t, c.Executions(t, "rolled"), 2, "a rollback is no push: a restart starts nothing")

	var third string
	c.RestartAfter(t, func() {
		env, work := gitEnv(t), t.TempDir()
		bare := filepath.Join(c.Node.Config.DataDir, "repos", srcRepo+".git")
		git(t, env, work, "clone", "-q", bare, "w")
		dir := filepath.Join(work, "w")
		git(t, env, dir, "commit", "-q", "--allow-empty", "-m", "Third")
		git(t, env, dir, "push", "-q", "origin", "HEAD:main")
		third = git(t, env, dir, "rev-parse", "HEAD")
	})
	execs := c.Executions(t, "rolled")
	require.Len(t, execs, 3, "the push made while the server was down starts once")
	require.Equal(t, types.TriggerTypeCloudWatchEvent, execs[0].Trigger.TriggerType)
	require.Equal(t, third, aws.ToString(execs[0].SourceRevisions[0].RevisionId))

	c.Restart(t)
	require.Len(t, c.Executions(t, "rolled"), 3, "and only once")
}
