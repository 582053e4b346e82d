package jobcreds_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"sluice/jobcreds"
)

func TestCredentials(t *testing.T) {
	t.Parallel()
	i := jobcreds.New("root secret")
	c := i.For("3f1c-job", "nonce-1")
	require.Equal(t, c, i.For("3f1c-job", "nonce-1"), "derived, so every replica computes the same")
	id, ok := jobcreds.JobID(c.AccessKeyID)
	require.True(t, ok)
	require.Equal(t, "3f1c-job", id)

	require.NotEqual(t, c.SecretAccessKey, i.For("3f1c-job", "nonce-2").SecretAccessKey, "a new nonce revokes")
	require.NotEqual(t, c.SecretAccessKey, i.For("other", "nonce-1").SecretAccessKey)
	require.NotEqual(t, c.SecretAccessKey, jobcreds.New("other secret").For("3f1c-job", "nonce-1").SecretAccessKey)
	require.NotEqual(t, c.SecretAccessKey, c.SessionToken)

	for _, key := range []string{"AKIAEXAMPLE", "SJOB", "SJOBzz"} {
		_, ok := jobcreds.JobID(key)
		require.False(t, ok, key)
	}
}
