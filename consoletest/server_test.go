package consoletest_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline"
	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/config"
	"sluice/node/nodetest"
)

// server is a whole Sluice server (API, engine, in-process workers running actions in the
// sandbox, console at "/") with a source repository holding one commit.
type server struct {
	*nodetest.Bundle
	ctx context.Context
}

func setup(t *testing.T) *server {
	t.Helper()
	return setupWith(t, func(*config.Server) {})
}

// setupWith is setup on a server whose configuration edit may change.
func setupWith(t *testing.T, edit func(*config.Server)) *server {
	t.Helper()
	b := nodetest.SetupWith(t, edit)
	b.SeedRepo(t, nodetest.SrcRepo)
	return &server{Bundle: b, ctx: context.Background()}
}

// start starts an execution of pipeline through the API, as another user would, and
// returns its id.
func (s *server) start(t *testing.T, pipeline string) string {
	t.Helper()
	out, err := s.CP.StartPipelineExecution(s.ctx, &codepipeline.StartPipelineExecutionInput{Name: aws.String(pipeline)})
	require.NoError(t, err)
	return aws.ToString(out.PipelineExecutionId)
}

// user makes an IAM user with one inline policy and an access key, and returns the key.
func (s *server) user(t *testing.T, name, policy string) (id, secret string) {
	t.Helper()
	root := sluice.Caller{Principal: "arn:aws:iam::000000000000:root", AccessKeyID: nodetest.KeyID}
	core := s.Node.API.Service
	_, err := core.CreateUser(s.ctx, root, name, "/")
	require.NoError(t, err)
	require.NoError(t, core.PutInlinePolicy(s.ctx, root, sluice.PolicyOwner{Kind: sluice.OwnerUser, Name: name}, "p", policy))
	k, err := core.CreateAccessKey(s.ctx, root, name)
	require.NoError(t, err)
	return k.ID, k.Secret
}
