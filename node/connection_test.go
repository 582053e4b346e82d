package node_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/codecommit"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"
	"github.com/aws/aws-sdk-go-v2/service/codestarconnections"
	cstypes "github.com/aws/aws-sdk-go-v2/service/codestarconnections/types"
	"github.com/stretchr/testify/require"
)

func connectionsClient(b *bundle) *codestarconnections.Client {
	cfg := aws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider(testKeyID, testSecret, "")}
	return codestarconnections.NewFromConfig(cfg, func(o *codestarconnections.Options) { o.BaseEndpoint = aws.String(b.URL) })
}

// gitConnection makes a host and a connection of Sluice's Git type to a git server at
// endpoint, with the server's test key as its credentials.
func gitConnection(t *testing.T, b *bundle, endpoint string) string {
	t.Helper()
	ctx := context.Background()
	cs := connectionsClient(b)
	host, err := cs.CreateHost(ctx, &codestarconnections.CreateHostInput{Name: aws.String("git"),
		ProviderType: cstypes.ProviderType("Git"), ProviderEndpoint: aws.String(endpoint)})
	require.NoError(t, err)
	conn, err := cs.CreateConnection(ctx, &codestarconnections.CreateConnectionInput{ConnectionName: aws.String("repos"),
		HostArn: host.HostArn})
	require.NoError(t, err)
	require.NoError(t, b.SignedCall(ctx, "SluiceConnections_20261129.UpdateConnectionCredentials",
		map[string]string{"ConnectionArn": *conn.ConnectionArn, "Username": testKeyID, "Secret": testSecret}, nil))
	got, err := cs.GetConnection(ctx, &codestarconnections.GetConnectionInput{ConnectionArn: conn.ConnectionArn})
	require.NoError(t, err)
	require.Equal(t, cstypes.ConnectionStatusAvailable, got.Connection.ConnectionStatus)
	require.Equal(t, "Git", string(got.Connection.ProviderType))
	return *conn.ConnectionArn
}

// TestConnectionSource runs a pipeline whose source is a repository reached through a Git
// connection (the server's own git hosting stands in for any git server): CODE_ZIP for one
// action, a full clone with history for another.
func TestConnectionSource(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	_, err := b.CC.CreateRepository(ctx, &codecommit.CreateRepositoryInput{RepositoryName: aws.String("remote")})
	require.NoError(t, err)
	first := pushFiles(t, b, "remote", map[string]string{"app.txt": "v1\n"})
	second := pushFiles(t, b, "remote", map[string]string{"app.txt": "v2\n"})
	arn := gitConnection(t, b, b.URL+"/v1/repos")

	source := func(name, format string) types.ActionDeclaration {
		return types.ActionDeclaration{Name: aws.String(name), Namespace: aws.String(name),
			ActionTypeId: &types.ActionTypeId{Category: types.ActionCategorySource, Owner: types.ActionOwnerAws,
				Provider: aws.String("CodeStarSourceConnection"), Version: aws.String("1")},
			Configuration: map[string]string{"ConnectionArn": arn, "FullRepositoryId": "remote", "BranchName": "main",
				"OutputArtifactFormat": format, "DetectChanges": "false"},
			OutputArtifacts: []types.OutputArtifact{{Name: aws.String(name + "Out")}}}
	}
	check := types.ActionDeclaration{Name: aws.String("Check"),
		ActionTypeId:   &types.ActionTypeId{Category: types.ActionCategoryCompute, Owner: types.ActionOwnerAws, Provider: aws.String("Commands"), Version: aws.String("1")},
		InputArtifacts: []types.InputArtifact{{Name: aws.String("ZipOut")}, {Name: aws.String("CloneOut")}},
		Commands: []string{`test "$(cat app.txt)" = v2`, `test ! -d .git`,
			`cd "$CODEPIPELINE_INPUT_CloneOut" && test "$(git rev-parse HEAD)" = ` + second,
			`cd "$CODEPIPELINE_INPUT_CloneOut" && git cat-file -e ` + first,
			`test "#{Zip.CommitId}" = ` + second, `test "#{Zip.FullRepositoryName}" = remote`}}
	p := &types.PipelineDeclaration{Name: aws.String("conn"), RoleArn: aws.String("arn:aws:iam::000000000000:role/sluice"),
		ArtifactStore: &types.ArtifactStore{Type: types.ArtifactStoreTypeS3, Location: aws.String("sluice-artifacts")},
		PipelineType:  types.PipelineTypeV2,
		Stages:        []types.StageDeclaration{stage("Source", source("Zip", "CODE_ZIP"), source("Clone", "CODEBUILD_CLONE_REF")), stage("Check", check)}}
	_, err = b.CP.CreatePipeline(ctx, &codepipeline.CreatePipelineInput{Pipeline: p})
	require.NoError(t, err)
	execs, err := b.CP.ListPipelineExecutions(ctx, &codepipeline.ListPipelineExecutionsInput{PipelineName: aws.String("conn")})
	require.NoError(t, err)
	exec := *execs.PipelineExecutionSummaries[0].PipelineExecutionId
	b.WaitStatus(t, "conn", exec, types.PipelineExecutionStatusSucceeded)
	got, err := b.CP.GetPipelineExecution(ctx, &codepipeline.GetPipelineExecutionInput{PipelineName: aws.String("conn"), PipelineExecutionId: aws.String(exec)})
	require.NoError(t, err)
	require.Len(t, got.PipelineExecution.ArtifactRevisions, 2)
	require.Equal(t, second, aws.ToString(got.PipelineExecution.ArtifactRevisions[0].RevisionId))
}
