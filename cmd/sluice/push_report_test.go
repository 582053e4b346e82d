package main

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codecommit"
	"github.com/stretchr/testify/require"

	"sluice/node/nodetest"
)

// TestGitPushPrintsTheExecutions: git's own client prints, as remote: lines of the push,
// the execution the push started and its link in the console.
func TestGitPushPrintsTheExecutions(t *testing.T) {
	t.Parallel()
	l := setupLogsCLI(t)
	l.Create(t, pipeline("app", stage("Build", cmdAction("Compile", "true"))))
	repo, err := l.CC.GetRepository(l.ctx, &codecommit.GetRepositoryInput{RepositoryName: aws.String(srcRepo)})
	require.NoError(t, err)
	env, work := gitEnv(t), t.TempDir()
	nodetest.Git(t, env, work, "clone", "-q", nodetest.AuthURL(*repo.RepositoryMetadata.CloneUrlHttp), "src")
	dir := filepath.Join(work, "src")
	require.NoError(t, os.WriteFile(filepath.Join(dir, "change.txt"), []byte("change\n"), 0o644))
	nodetest.Git(t, env, dir, "add", "change.txt")
	nodetest.Git(t, env, dir, "commit", "-q", "-m", "Change")
	out := nodetest.Git(t, env, dir, "push", "origin", "HEAD:main")
	sha := nodetest.Git(t, env, dir, "rev-parse", "HEAD")

	m := regexp.MustCompile(`(?m)^remote: Sluice: started pipeline app, execution (\S+)\s*$`).FindStringSubmatch(out)
	require.NotNil(t, m, "push output:\n%s", out)
	require.Equal(t, l.ExecutionFor(t, "app", sha), m[1], "the execution of the pushed commit")
	require.Regexp(t, `(?m)^remote:   `+regexp.QuoteMeta(l.URL+"/pipelines/app/executions/"+m[1])+`\s*$`, out)
	require.Contains(t, out, "HEAD -> main", "git's report is still printed")
}
