package node_test

import (
	"bufio"
	"context"
	"io"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codebuild"
	cbtypes "github.com/aws/aws-sdk-go-v2/service/codebuild/types"
	"github.com/aws/aws-sdk-go-v2/service/codecommit"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/stretchr/testify/require"

	"sluice/config"
	"sluice/logclient"
)

// workerBuildspec has phases, an exported variable and two output artifacts; its build
// phase waits for a gate so the test can follow the log while the build runs.
const workerBuildspec = `version: 0.2
env:
  exported-variables: [VERSION]
phases:
  install:
    commands:
      - echo "installing on $WORKER_MARK"
      - test "$WORKER_MARK" = remote
  build:
    commands:
      - export VERSION=1.0.$(cat build-number)
      - echo "building $VERSION"
      - while [ "$(curl -s "$GATE")" = closed ]; do sleep 0.05; done
      - mkdir -p out/site out/docs
      - cp index.html out/site/ && cp README out/docs/
  post_build:
    commands:
      - echo "built $VERSION"
artifacts:
  files: ['**/*']
  base-directory: out/site
  secondary-artifacts:
    Docs:
      files: ['docs/*']
      base-directory: out
      discard-paths: yes
`

// TestPipelineOnWorker is the pipeline of the workers issue: a push runs CodeCommit ->
// CodeBuild (on a `sluice worker` process, followed live) -> Test (CodeBuild) -> Deploy (S3
// to a real S3-compatible server). The server runs no build itself (--workers 0).
func TestPipelineOnWorker(t *testing.T) {
	t.Parallel()
	gw := startGateway(t)
	ctx := context.Background()
	_, err := gw.s3.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("www")})
	require.NoError(t, err)
	c := &conformance{bundle: setupWith(t, func(cfg *config.Server) { cfg.Workers = 0 }), ctx: ctx}
	gate := newGate(t)
	startWorkerEnv(t, c.URL, []string{"SLUICE_S3_ENDPOINT=" + gw.endpoint, "SLUICE_S3_REGION=" + gwRegion,
		"AWS_ACCESS_KEY_ID=" + gwAccessKey, "AWS_SECRET_ACCESS_KEY=" + gwSecretKey})

	_, err = codebuildClient(c.bundle).CreateProject(ctx, projectInput("site", func(in *codebuild.CreateProjectInput) {
		in.Environment.EnvironmentVariables = []cbtypes.EnvironmentVariable{{Name: aws.String("GATE"), Value: aws.String(gate.URL())}}
	}))
	require.NoError(t, err)
	_, err = c.CC.CreateRepository(ctx, &codecommit.CreateRepositoryInput{RepositoryName: aws.String("site")})
	require.NoError(t, err)
	p := appPipeline(t)
	p.Name = aws.String("site")
	p.Stages[0].Actions[0].Configuration["RepositoryName"] = "site"
	p.Stages = append(p.Stages[:1],
		stage("Build", types.ActionDeclaration{Name: aws.String("Make"), ActionTypeId: codeBuild(types.ActionCategoryBuild),
			Namespace: aws.String("Make"), Configuration: map[string]string{"ProjectName": "site"},
			InputArtifacts:  []types.InputArtifact{{Name: aws.String("Code")}},
			OutputArtifacts: []types.OutputArtifact{{Name: aws.String("Site")}, {Name: aws.String("Docs")}}}),
		stage("Test", types.ActionDeclaration{Name: aws.String("Docs"), ActionTypeId: codeBuild(types.ActionCategoryTest),
			Configuration: map[string]string{"ProjectName": "site", "BuildSpec": "version: 0.2\nphases:\n  build:\n    commands:\n" +
				"      - grep -q docs README\n      - test \"$V\" = 1.0.7\n",
				"EnvironmentVariables": `[{"name":"V","value":"#{Make.VERSION}","type":"PLAINTEXT"}]`},
			InputArtifacts: []types.InputArtifact{{Name: aws.String("Docs")}}}),
		stage("Deploy", types.ActionDeclaration{Name: aws.String("Publish"),
			ActionTypeId:   &types.ActionTypeId{Category: types.ActionCategoryDeploy, Owner: types.ActionOwnerAws, Provider: aws.String("S3"), Version: aws.String("1")},
			Configuration:  map[string]string{"BucketName": "www", "Extract": "true", "ObjectKey": "v1"},
			InputArtifacts: []types.InputArtifact{{Name: aws.String("Site")}}}))
	_, err = c.CP.CreatePipeline(ctx, &codepipeline.CreatePipelineInput{Pipeline: p})
	require.NoError(t, err)

	sha := pushFiles(t, c.bundle, "site", map[string]string{"ci/build.yml": workerBuildspec, "build-number": "7",
		"index.html": "<h1>site</h1>\n", "README": "docs\n"})
	exec := c.ExecutionFor(t, "site", sha)
	c.WaitAction(t, "site", "Build", "Make", types.ActionExecutionStatusInProgress)

	// Follow the build's log while the worker runs it: the line before the gate arrives, the
	// rest after the gate opens, and the stream ends with the action.
	log, err := c.logs().Open(ctx, logclient.ReadParams{Pipeline: "site", ActionExecutionID: c.actionRunID(t, "site", exec, "Make"), Follow: true})
	require.NoError(t, err)
	defer log.Close()
	lines := bufio.NewReader(log)
	readLine(t, lines, "building 1.0.7")
	gate.Open(t)
	readLine(t, lines, "built 1.0.7")
	_, err = io.Copy(io.Discard, lines)
	require.NoError(t, err)
	_, status, ok := log.End()
	require.True(t, ok)
	require.Equal(t, "Succeeded", status)

	c.WaitStatus(t, "site", exec, types.PipelineExecutionStatusSucceeded)
	require.ElementsMatch(t, []string{"v1/index.html"}, gw.keys(t, "www"))
	for _, r := range c.ActionRuns(t, "site", exec) {
		if aws.ToString(r.ActionName) == "Make" {
			require.Equal(t, "1.0.7", r.Output.OutputVariables["VERSION"])
			require.Len(t, r.Output.OutputArtifacts, 2)
		}
	}
}
