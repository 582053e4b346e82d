package s3deploy_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
)

func TestRunConfigurationErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		cfg  map[string]string
		want string
	}{
		{"ErrExtractNotBoolean", map[string]string{"BucketName": "b", "Extract": "yes"}, `Extract must be true or false, not "yes"`},
		{"ErrExtractMissing", map[string]string{"BucketName": "b"}, `Extract must be true or false, not ""`},
		{"ErrBucketNameMissing", map[string]string{"Extract": "true"}, "BucketName is required"},
		{"ErrObjectKeyMissingForZip", map[string]string{"BucketName": "b", "Extract": "False"}, "ObjectKey is required when Extract is false"},
		{"ErrCannedACL", map[string]string{"BucketName": "b", "Extract": "true", "CannedACL": "everyone"}, `CannedACL "everyone" is not one of `},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t, site, tt.cfg)
			out, err := b.provider.Run(t.Context(), b.rc)
			require.NoError(t, err)
			require.False(t, out.Success)
			require.Equal(t, sluice.FailureConfigurationError, out.ErrorType)
			require.Contains(t, out.ErrorMessage, tt.want)
			require.Empty(t, b.log.String())
		})
	}
}
