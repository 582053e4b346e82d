package node_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codebuild"
	cbtypes "github.com/aws/aws-sdk-go-v2/service/codebuild/types"
	"github.com/aws/aws-sdk-go-v2/service/codecommit"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"
	"github.com/stretchr/testify/require"
)

// pushFiles commits files (path -> content) to a hosted repository's main branch.
func pushFiles(t *testing.T, b *bundle, repo string, files map[string]string) string {
	t.Helper()
	meta, err := b.CC.GetRepository(context.Background(), &codecommit.GetRepositoryInput{RepositoryName: aws.String(repo)})
	require.NoError(t, err)
	env := gitEnv(t)
	work := t.TempDir()
	git(t, env, work, "clone", "-q", authURL(*meta.RepositoryMetadata.CloneUrlHttp), "w")
	dir := filepath.Join(work, "w")
	for name, content := range files {
		require.NoError(t, os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644))
	}
	git(t, env, dir, "add", "-A")
	git(t, env, dir, "commit", "-q", "-m", "Add build")
	git(t, env, dir, "push", "-q", "origin", "HEAD:main")
	return git(t, env, dir, "rev-parse", "HEAD")
}

// codeBuild is the CodeBuild action type of category cat.
func codeBuild(cat types.ActionCategory) *types.ActionTypeId {
	return &types.ActionTypeId{Category: cat, Owner: types.ActionOwnerAws, Provider: aws.String("CodeBuild"), Version: aws.String("1")}
}

// buildspec is ci/build.yml of the "svc" project: MAJOR comes from the project, CHANNEL
// from the project and the action, which wins over both the project and the buildspec.
const buildspec = `version: 0.2
env:
  variables: {CHANNEL: buildspec}
  exported-variables: [VERSION]
phases:
  install:
    commands:
      - echo installing
  build:
    commands:
      - test "$CHANNEL" = action
      - export VERSION=$MAJOR.0.$(cat build-number)
      - mkdir -p out/bin out/docs
      - cp app.sh out/bin/app && cp README out/docs/
  post_build:
    commands:
      - echo "built $VERSION from $CODEBUILD_RESOLVED_SOURCE_VERSION"
artifacts:
  files: ['bin/**/*']
  base-directory: out
  secondary-artifacts:
    Docs:
      files: ['docs/*']
      base-directory: out
      discard-paths: yes
`

// TestCodeBuildThroughServer runs a buildspec from a pushed repository on the server: a
// Build action whose project (created with CodeBuild's API) names a buildspec path other
// than buildspec.yml and sets variables, with a primary and a secondary output artifact and
// an exported variable, then a Test action on the secondary artifact.
func TestCodeBuildThroughServer(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	cb := codebuildClient(b)
	_, err := cb.CreateProject(ctx, projectInput("svc", func(in *codebuild.CreateProjectInput) {
		in.Environment.EnvironmentVariables = []cbtypes.EnvironmentVariable{
			{Name: aws.String("MAJOR"), Value: aws.String("2")}, {Name: aws.String("CHANNEL"), Value: aws.String("project")}}
	}))
	require.NoError(t, err)
	_, err = cb.CreateProject(ctx, projectInput("docs-check", nil))
	require.NoError(t, err)
	_, err = b.CC.CreateRepository(ctx, &codecommit.CreateRepositoryInput{RepositoryName: aws.String("svc")})
	require.NoError(t, err)
	p := appPipeline(t)
	p.Name = aws.String("svc")
	p.Stages[0].Actions[0].Configuration["RepositoryName"] = "svc"
	p.Stages = append(p.Stages[:1],
		types.StageDeclaration{Name: aws.String("Build"), Actions: []types.ActionDeclaration{{Name: aws.String("Make"),
			ActionTypeId: codeBuild(types.ActionCategoryBuild), Namespace: aws.String("Make"),
			Configuration:   map[string]string{"ProjectName": "svc", "EnvironmentVariables": `[{"name":"CHANNEL","value":"action"}]`},
			InputArtifacts:  []types.InputArtifact{{Name: aws.String("Code")}},
			OutputArtifacts: []types.OutputArtifact{{Name: aws.String("Bin")}, {Name: aws.String("Docs")}}}}},
		types.StageDeclaration{Name: aws.String("Test"), Actions: []types.ActionDeclaration{{Name: aws.String("Docs"),
			ActionTypeId: codeBuild(types.ActionCategoryTest),
			Configuration: map[string]string{"ProjectName": "docs-check", "BuildSpec": "version: 0.2\nphases:\n  build:\n    commands:\n" +
				"      - test -f README\n      - test \"$V\" = 2.0.7\n",
				"EnvironmentVariables": `[{"name":"V","value":"#{Make.VERSION}","type":"PLAINTEXT"}]`},
			InputArtifacts: []types.InputArtifact{{Name: aws.String("Docs")}}}}})
	_, err = b.CP.CreatePipeline(ctx, &codepipeline.CreatePipelineInput{Pipeline: p})
	require.NoError(t, err)

	sha := pushFiles(t, b, "svc", map[string]string{"ci/build.yml": buildspec, "build-number": "7",
		"app.sh": "#!/bin/sh\necho app\n", "README": "docs\n"})
	exec := b.ExecutionFor(t, "svc", sha)
	b.WaitStatus(t, "svc", exec, types.PipelineExecutionStatusSucceeded)

	acts, err := b.CP.ListActionExecutions(ctx, &codepipeline.ListActionExecutionsInput{PipelineName: aws.String("svc"),
		Filter: &types.ActionExecutionFilter{PipelineExecutionId: aws.String(exec)}})
	require.NoError(t, err)
	for _, a := range acts.ActionExecutionDetails {
		if *a.ActionName == "Make" {
			require.Equal(t, "2.0.7", a.Output.OutputVariables["VERSION"])
			require.Len(t, a.Output.OutputArtifacts, 2)
		}
	}
}
