package service_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/service"
)

// allowOnly allows the accesses whose action and resource it lists, for one principal.
type allowOnly struct {
	principal string
	allowed   map[sluice.Access]bool
}

func (a allowOnly) Authorize(_ context.Context, c sluice.Caller, acc sluice.Access) error {
	if c.Principal == a.principal && a.allowed[acc] {
		return nil
	}
	return sluice.Denied(c, acc, false)
}

func s3SourcePipeline(name string) sluice.PipelineDeclaration {
	return sluice.PipelineDeclaration{Name: name, RoleArn: "arn:aws:iam::123456789012:role/p",
		ArtifactStore: &sluice.ArtifactStoreDecl{Type: "S3", Location: "bucket"},
		Stages: []sluice.StageDeclaration{
			{Name: "Source", Actions: []sluice.ActionDeclaration{{Name: "Source",
				ActionTypeID:    sluice.ActionTypeID{Category: "Source", Owner: "AWS", Provider: "S3", Version: "1"},
				Configuration:   map[string]string{"S3Bucket": "b", "S3ObjectKey": "k.zip", "PollForSourceChanges": "false"},
				OutputArtifacts: []sluice.OutputArtifact{{Name: "Code"}}}}},
			{Name: "Wait", Actions: []sluice.ActionDeclaration{{Name: "Gate",
				ActionTypeID: sluice.ActionTypeID{Category: "Approval", Owner: "AWS", Provider: "Manual", Version: "1"}}}},
		}}
}

// TestResolveSecrets: a job's secrets are read as the principal that last saved its
// pipeline, through the Authorizer; a refusal, a missing secret and a malformed reference
// fail naming the reference, never a value.
func TestResolveSecrets(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	alice := sluice.Caller{Principal: "arn:aws:iam::123456789012:user/alice"}
	setupSecrets := func(t *testing.T) (*bundle, *sluice.Job, string) {
		b := setup(t)
		b.svc.SecretSuffix = func() string { return "AbCdEf" }
		str := `{"user":"u","password":"p4ss","port":5432}`
		sec, _, err := b.svc.CreateSecret(ctx, caller, service.CreateSecretParams{Name: "db", Value: service.SecretValue{String: &str}})
		require.NoError(t, err)
		_, err = b.svc.PutParameter(ctx, caller, service.PutParameterParams{Name: "/ci/key", Value: "k3y", Type: sluice.ParamSecureString})
		require.NoError(t, err)
		_, err = b.svc.CreatePipeline(ctx, alice, s3SourcePipeline("p"), nil)
		require.NoError(t, err)
		b.svc.Authz = allowOnly{principal: alice.Principal, allowed: map[sluice.Access]bool{
			{Action: "secretsmanager:GetSecretValue", Resource: sec.ARN}:                                   true,
			{Action: "ssm:GetParameters", Resource: "arn:aws:ssm:eu-west-1:123456789012:parameter/ci/key"}: true,
		}}
		return b, &sluice.Job{PipelineName: "p", Data: sluice.JobData{PipelineVersion: 1}}, sec.ARN
	}
	ref := func(source, r string) sluice.SecretRef { return sluice.SecretRef{Source: source, Ref: r} }

	t.Run("OKAsTheAuthor", func(t *testing.T) {
		t.Parallel()
		b, job, arn := setupSecrets(t)
		got, err := b.svc.ResolveSecrets(ctx, job, []sluice.SecretRef{
			ref(sluice.SourceSecretsManager, "db"), ref(sluice.SourceSecretsManager, "db:password"),
			ref(sluice.SourceSecretsManager, arn+":port::"), ref(sluice.SourceSecretsManager, "db::AWSCURRENT"),
			ref(sluice.SourceParameter, "/ci/key")})
		require.NoError(t, err)
		require.Equal(t, []string{`{"user":"u","password":"p4ss","port":5432}`, "p4ss", "5432", `{"user":"u","password":"p4ss","port":5432}`, "k3y"}, got)
	})

	t.Run("ErrNotAllowedNamesTheReference", func(t *testing.T) {
		t.Parallel()
		b, job, _ := setupSecrets(t)
		authz := b.svc.Authz
		b.svc.Authz = nil
		str := "other-value"
		_, _, err := b.svc.CreateSecret(ctx, caller, service.CreateSecretParams{Name: "other", Value: service.SecretValue{String: &str}})
		require.NoError(t, err)
		b.svc.Authz = authz // alice may read db and /ci/key, not other
		_, err = b.svc.ResolveSecrets(ctx, job, []sluice.SecretRef{ref(sluice.SourceSecretsManager, "other")})
		require.True(t, sluice.IsCode(err, sluice.EAccessDenied), "%v", err)
		require.Contains(t, err.Error(), "secrets-manager reference other: User: arn:aws:iam::123456789012:user/alice is not authorized to perform: secretsmanager:GetSecretValue")
		require.NotContains(t, err.Error(), str)
	})

	t.Run("ErrMissingAndMalformed", func(t *testing.T) {
		t.Parallel()
		b, job, _ := setupSecrets(t)
		b.svc.Authz = nil
		for r, want := range map[sluice.SecretRef]string{
			ref(sluice.SourceParameter, "/ci/none"):                                             "parameter-store reference /ci/none: Parameter does not exist",
			ref(sluice.SourceSecretsManager, "nope"):                                            "secrets-manager reference nope: Secrets Manager can't find the specified secret.",
			ref(sluice.SourceSecretsManager, "db:missing"):                                      "secrets-manager reference db:missing: the secret has no JSON key missing",
			ref(sluice.SourceSecretsManager, "db::AWSPREVIOUS"):                                 "secrets-manager reference db::AWSPREVIOUS: Secrets Manager can't find the specified secret value for staging label: AWSPREVIOUS",
			ref(sluice.SourceSecretsManager, "db::AWSCURRENT:0123456789abcdef0123456789abcdef"): "give a secret id, and a version stage or a version id, not both",
			ref(sluice.SourceSecretsManager, "a:b:c:d:e"):                                       "want secret-id:json-key:version-stage:version-id",
		} {
			_, err := b.svc.ResolveSecrets(ctx, job, []sluice.SecretRef{r})
			require.Error(t, err, r.Ref)
			require.Contains(t, err.Error(), want)
			require.False(t, strings.Contains(err.Error(), "p4ss") || strings.Contains(err.Error(), "k3y"), err.Error())
		}
	})

	t.Run("ErrPipelineSavedBeforeAuthors", func(t *testing.T) {
		t.Parallel()
		b, _, _ := setupSecrets(t)
		b.svc.Authz = nil
		_, err := b.svc.CreatePipeline(ctx, sluice.Caller{}, s3SourcePipeline("old"), nil)
		require.NoError(t, err)
		b.svc.Authz = allowOnly{}
		_, err = b.svc.ResolveSecrets(ctx, &sluice.Job{PipelineName: "old", Data: sluice.JobData{PipelineVersion: 1}},
			[]sluice.SecretRef{ref(sluice.SourceParameter, "/ci/key")})
		require.True(t, sluice.IsCode(err, sluice.EAccessDenied), "%v", err)
		require.Contains(t, err.Error(), "saved before Sluice recorded who saved it")
	})
}
