package node_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"
	"github.com/stretchr/testify/require"

	"sluice/node/nodetest"
)

// TestWireWithTheAWSCLI sends the AWS CLI's own create-pipeline example with `aws
// codepipeline create-pipeline --cli-input-json` (tags [] added) and reads it back with
// get-pipeline: the stages come back as the example declares them, empty inputArtifacts and
// outputArtifacts included, and the empty tags are answered. Repository operations refuse a
// bad repository name before any lookup.
func TestWireWithTheAWSCLI(t *testing.T) {
	t.Parallel()
	requireAWSCLI(t)
	c := setupConformance(t)
	cli := iamCLI{t, c.URL}

	b, err := os.ReadFile(filepath.Join("..", "api", "testdata", "awscli", "codepipeline", "create-pipeline.json"))
	require.NoError(t, err)
	var example struct {
		Input struct {
			Pipeline map[string]json.RawMessage `json:"pipeline"`
		} `json:"input"`
	}
	require.NoError(t, json.Unmarshal(b, &example))
	in, err := json.Marshal(map[string]any{"pipeline": example.Input.Pipeline, "tags": []any{}})
	require.NoError(t, err)
	file := filepath.Join(t.TempDir(), "MySecondPipeline.json")
	require.NoError(t, os.WriteFile(file, in, 0o600))

	var created struct {
		Pipeline map[string]json.RawMessage `json:"pipeline"`
		Tags     []json.RawMessage          `json:"tags"`
	}
	cli.ok(nodetest.KeyID, nodetest.Secret, &created, "codepipeline", "create-pipeline", "--cli-input-json", "file://"+file)
	require.NotNil(t, created.Tags, "tags: [] is answered")
	require.Empty(t, created.Tags)
	var got struct {
		Pipeline map[string]json.RawMessage `json:"pipeline"`
	}
	cli.ok(nodetest.KeyID, nodetest.Secret, &got, "codepipeline", "get-pipeline", "--name", "MySecondPipeline")
	for _, member := range []string{"name", "roleArn", "artifactStore", "stages", "version"} {
		require.JSONEq(t, string(example.Input.Pipeline[member]), string(got.Pipeline[member]), member)
		require.JSONEq(t, string(example.Input.Pipeline[member]), string(created.Pipeline[member]), member)
	}

	for _, args := range [][]string{
		{"get-repository", "--repository-name", "a b"},
		{"delete-repository", "--repository-name", "a b"},
		{"get-branch", "--repository-name", "a b", "--branch-name", "main"},
	} {
		cli.fails(nodetest.KeyID, nodetest.Secret, []string{"InvalidRepositoryNameException", "a b"}, append([]string{"codecommit"}, args...)...)
	}
}

// TestRunOrderZero: aws-sdk-go-v2 sends runOrder 0 (the AWS CLI refuses it before sending),
// and the server refuses it as AWS does, naming the member; nothing is created.
func TestRunOrderZero(t *testing.T) {
	t.Parallel()
	c := setupConformance(t)
	p := pipeline("run-order-zero", stage("Run", cmdAction("Zero", "true")))
	p.Stages[1].Actions[0].RunOrder = aws.Int32(0)
	_, err := c.CP.CreatePipeline(c.ctx, &codepipeline.CreatePipelineInput{Pipeline: p})
	requireAPIError(t, err, "ValidationException", "Value '0' at 'pipeline.stages.2.member.actions.1.member.runOrder'")
	_, err = c.CP.GetPipeline(c.ctx, &codepipeline.GetPipelineInput{Name: aws.String("run-order-zero")})
	var nf *types.PipelineNotFoundException
	require.ErrorAs(t, err, &nf)
}
