package sluice_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
)

func TestARN(t *testing.T) {
	t.Parallel()
	scope := sluice.ARNScope{Region: "eu-west-1", Account: "123456789012"}
	custom := sluice.ActionTypeID{Category: "Build", Owner: sluice.OwnerCustom, Provider: "Mine", Version: "1"}
	cases := []struct {
		kind sluice.ARNKind
		id   string
		want string
	}{
		{sluice.PipelineARN, "app", "arn:aws:codepipeline:eu-west-1:123456789012:app"},
		{sluice.ActionTypeARN, sluice.ActionTypeResource(custom), "arn:aws:codepipeline:eu-west-1:123456789012:actiontype:Custom/Build/Mine/1"},
		{sluice.WebhookARN, "push", "arn:aws:codepipeline:eu-west-1:123456789012:webhook:push"},
		{sluice.RepositoryARN, "src", "arn:aws:codecommit:eu-west-1:123456789012:src"},
		{sluice.ConnectionARN, "c0ffee", "arn:aws:codestar-connections:eu-west-1:123456789012:connection/c0ffee"},
		{sluice.HostARN, "gitlab-0a1b2c3d", "arn:aws:codestar-connections:eu-west-1:123456789012:host/gitlab-0a1b2c3d"},
		{sluice.ProjectARN, "build", "arn:aws:codebuild:eu-west-1:123456789012:project/build"},
		{sluice.BuildARN, "build:job-1", "arn:aws:codebuild:eu-west-1:123456789012:build/build:job-1"},
		{sluice.ARNKind{Service: "iam", Type: "user", Sep: "/", Global: true}, "ann", "arn:aws:iam::123456789012:user/ann"},
		{sluice.S3ObjectARN, "bucket/dir/key.zip", "arn:aws:s3:::bucket/dir/key.zip"},
		{sluice.RootARN, "root", "arn:aws:iam::123456789012:root"},
	}
	for _, c := range cases {
		got := scope.ARN(c.kind, c.id)
		require.Equal(t, c.want, got)
		id, ok := scope.ID(c.kind, got)
		require.True(t, ok, got)
		require.Equal(t, c.id, id)
		a, err := sluice.ParseARN(got)
		require.NoError(t, err)
		require.Equal(t, got, a.String())
		id, ok = c.kind.ID(a)
		require.True(t, ok, got)
		require.Equal(t, c.id, id)
	}
}

func TestARNOtherKindOrScope(t *testing.T) {
	t.Parallel()
	scope := sluice.ARNScope{Region: "us-east-1", Account: "111111111111"}
	other := sluice.ARNScope{Region: "us-east-1", Account: "222222222222"}
	_, ok := scope.ID(sluice.PipelineARN, other.ARN(sluice.PipelineARN, "app"))
	require.False(t, ok, "another account's pipeline")
	_, ok = scope.ID(sluice.ProjectARN, scope.ARN(sluice.BuildARN, "b:1"))
	require.False(t, ok, "a build is not a project")

	hook, err := sluice.ParseARN(scope.ARN(sluice.WebhookARN, "push"))
	require.NoError(t, err)
	_, ok = sluice.PipelineARN.ID(hook)
	require.False(t, ok, "a webhook's resource part is no pipeline name")
	_, ok = sluice.ConnectionARN.ID(hook)
	require.False(t, ok)
}

func TestParseARNRefusesNonARNs(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"", "app", "arn:aws:codepipeline", "arn::codepipeline:r:a:app", "urn:aws:s3:::b:c", "arn:aws::r:a:x"} {
		_, err := sluice.ParseARN(s)
		require.True(t, sluice.IsCode(err, sluice.EInvalid), "%q: %v", s, err)
	}
	a, err := sluice.ParseARN("arn:aws:s3:::bucket/key")
	require.NoError(t, err)
	require.Equal(t, sluice.ARN{Partition: "aws", Service: "s3", Resource: "bucket/key"}, a)
}
