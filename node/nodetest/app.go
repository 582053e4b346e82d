package nodetest

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codecommit"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"
	"github.com/stretchr/testify/require"
)

// RepoRoot is the repository's top directory, where examples/ is, wherever the test runs.
func RepoRoot(t *testing.T) string {
	t.Helper()
	_, file, _, ok := runtime.Caller(0)
	require.True(t, ok)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// AppPipeline reads examples/app-pipeline.json, the README quickstart's pipeline: CodeCommit source, a build stage with two
// parallel Commands actions and one using their artifact and variables, an approval, a deploy.
func AppPipeline(t *testing.T) *types.PipelineDeclaration {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(RepoRoot(t), "examples", "app-pipeline.json"))
	require.NoError(t, err)
	var in codepipeline.CreatePipelineInput
	var doc struct{ Pipeline json.RawMessage }
	require.NoError(t, json.Unmarshal(raw, &doc))
	in.Pipeline = DecodePipeline(t, doc.Pipeline)
	return in.Pipeline
}

// PushApp commits hello.txt to the app repository over smart HTTP and returns the commit id.
func PushApp(t *testing.T, b *Bundle, content string) string {
	t.Helper()
	ctx := context.Background()
	repo, err := b.CC.GetRepository(ctx, &codecommit.GetRepositoryInput{RepositoryName: aws.String("app")})
	require.NoError(t, err)
	env := GitEnv(t)
	work := t.TempDir()
	Git(t, env, work, "clone", "-q", AuthURL(*repo.RepositoryMetadata.CloneUrlHttp), "app")
	dir := filepath.Join(work, "app")
	require.NoError(t, os.WriteFile(filepath.Join(dir, "hello.txt"), []byte(content), 0o644))
	Git(t, env, dir, "add", "hello.txt")
	Git(t, env, dir, "commit", "-q", "-m", "Say "+content)
	Git(t, env, dir, "push", "-q", "origin", "HEAD:main")
	return Git(t, env, dir, "rev-parse", "HEAD")
}

// ReadLine reads lines until one is want, failing at the end of the stream.
func ReadLine(t *testing.T, r *bufio.Reader, want string) {
	t.Helper()
	for {
		line, err := r.ReadString('\n')
		require.NoError(t, err, "the stream ended before the line %q", want)
		if strings.TrimSuffix(line, "\n") == want {
			return
		}
	}
}
