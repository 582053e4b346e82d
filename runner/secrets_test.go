package runner_test

import (
	"context"
	"io"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
)

// valueResolver answers every reference with its value in values.
type valueResolver map[string]string

func (v valueResolver) ResolveSecrets(_ context.Context, _ *sluice.Job, refs []sluice.SecretRef) ([]string, error) {
	out := make([]string, len(refs))
	for i, r := range refs {
		out[i] = v[r.Ref]
	}
	return out, nil
}

// TestResolvedSecretsMasked: a value the job resolves while it runs is masked from then on
// in its log (also split across writes) and its failure summary and message.
func TestResolvedSecretsMasked(t *testing.T) {
	t.Parallel()
	const secret = "s3cr3t-token-9f2"
	b := setup(t)
	b.runner.Secrets = valueResolver{"app/token": secret}
	b.provider.run = func(ctx context.Context, rc *sluice.RunContext) (*sluice.Outcome, error) {
		require.NotNil(t, rc.Secrets, "the runner hands its resolver to the provider")
		vals, err := rc.Secrets.ResolveSecrets(ctx, rc.Job, []sluice.SecretRef{{Source: sluice.SourceSecretsManager, Ref: "app/token"}})
		require.NoError(t, err)
		require.Equal(t, []string{secret}, vals, "the provider gets the value itself")
		for _, part := range []string{"token is s3c", "r3t-to", "ken-9f2 ok\n"} {
			_, err := io.WriteString(rc.Log, part)
			require.NoError(t, err)
		}
		return &sluice.Outcome{ErrorType: sluice.FailureJobFailed, Summary: "failed with " + secret,
			ErrorMessage: "failed with " + secret}, nil
	}
	res := b.runner.Run(t.Context(), newJob())
	require.Equal(t, "token is **** ok\nfailed with ****\n", b.readLog(t, "run-1"))
	require.False(t, res.Success)
	require.NotContains(t, res.Summary, secret)
	require.NotContains(t, res.ErrorMessage, secret)
	require.Contains(t, res.ErrorMessage, "failed with ****")
}
