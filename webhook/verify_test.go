package webhook_test

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice/webhook"
)

// GitHub's documented test vector ("Validating webhook deliveries").
const (
	vectorSecret    = "It's a Secret to Everybody"
	vectorPayload   = "Hello, World!"
	vectorSignature = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"
)

func sign(secret, body string, sha256Sum bool) string {
	if !sha256Sum {
		mac := hmac.New(sha1.New, []byte(secret))
		mac.Write([]byte(body))
		return "sha1=" + hex.EncodeToString(mac.Sum(nil))
	}
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(body))
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

func header(kv ...string) http.Header {
	h := http.Header{}
	for i := 0; i+1 < len(kv); i += 2 {
		h.Set(kv[i], kv[i+1])
	}
	return h
}

func TestVerify(t *testing.T) {
	t.Parallel()
	good256, good1 := sign(vectorSecret, vectorPayload, true), sign(vectorSecret, vectorPayload, false)
	for _, tc := range []struct {
		name     string
		provider string
		header   http.Header
		secret   string
		want     error // nil: verified
		inHeader string
	}{
		{"GitHubTestVector", webhook.ProviderGitHub, header("X-Hub-Signature-256", vectorSignature), vectorSecret, nil, ""},
		{"GitHubEnterpriseServer", webhook.ProviderGitHubEnterpriseServer, header("X-Hub-Signature-256", good256), vectorSecret, nil, ""},
		{"GitHubLegacySHA1", webhook.ProviderGitHub, header("X-Hub-Signature", good1), vectorSecret, nil, ""},
		{"GitHubSHA256WinsOverSHA1", webhook.ProviderGitHub,
			header("X-Hub-Signature-256", sign("wrong", vectorPayload, true), "X-Hub-Signature", good1), vectorSecret,
			webhook.ErrSignatureMismatch, "X-Hub-Signature-256"},
		{"GitHubEmptySHA256IsNotAbsent", webhook.ProviderGitHub,
			http.Header{"X-Hub-Signature-256": {""}, "X-Hub-Signature": {good1}}, vectorSecret,
			webhook.ErrSignatureMissing, "X-Hub-Signature-256"},
		{"GitHubMissing", webhook.ProviderGitHub, header(), vectorSecret, webhook.ErrSignatureMissing, "X-Hub-Signature-256"},
		{"GitHubWrongAlgorithm", webhook.ProviderGitHub, header("X-Hub-Signature-256", "sha1="+good256[7:]), vectorSecret,
			webhook.ErrSignatureMalformed, "X-Hub-Signature-256"},
		{"GitHubNotHex", webhook.ProviderGitHub, header("X-Hub-Signature-256", "sha256=zz"+good256[9:]), vectorSecret,
			webhook.ErrSignatureMalformed, ""},
		{"GitHubShort", webhook.ProviderGitHub, header("X-Hub-Signature-256", good256[:len(good256)-2]), vectorSecret,
			webhook.ErrSignatureMalformed, ""},
		{"GitHubWrongSecret", webhook.ProviderGitHub, header("X-Hub-Signature-256", vectorSignature), "other",
			webhook.ErrSignatureMismatch, ""},
		{"GitHubSHA1WrongSecret", webhook.ProviderGitHub, header("X-Hub-Signature", good1), "other",
			webhook.ErrSignatureMismatch, "X-Hub-Signature"},
		{"NoSecret", webhook.ProviderGitHub, header("X-Hub-Signature-256", vectorSignature), "", webhook.ErrNoSecret, ""},
		{"GitLab", webhook.ProviderGitLab, header("X-Gitlab-Token", "gl-s3cr3t"), "gl-s3cr3t", nil, ""},
		{"GitLabSelfManaged", webhook.ProviderGitLabSelfManaged, header("X-Gitlab-Token", "gl-s3cr3t"), "gl-s3cr3t", nil, ""},
		{"GitLabWrongToken", webhook.ProviderGitLab, header("X-Gitlab-Token", "gl-s3cr3X"), "gl-s3cr3t", webhook.ErrSignatureMismatch, "X-Gitlab-Token"},
		{"GitLabPrefixOfToken", webhook.ProviderGitLab, header("X-Gitlab-Token", "gl-s3c"), "gl-s3cr3t", webhook.ErrSignatureMismatch, ""},
		{"GitLabMissing", webhook.ProviderGitLab, header(), "gl-s3cr3t", webhook.ErrSignatureMissing, "X-Gitlab-Token"},
		{"Bitbucket", webhook.ProviderBitbucket, header("X-Hub-Signature", good256), vectorSecret, nil, ""},
		{"BitbucketServer", webhook.ProviderBitbucketServer, header("X-Hub-Signature", good256), vectorSecret, nil, ""},
		{"BitbucketSHA1Refused", webhook.ProviderBitbucket, header("X-Hub-Signature", good1), vectorSecret,
			webhook.ErrSignatureMalformed, "X-Hub-Signature"},
		{"BitbucketMissing", webhook.ProviderBitbucket, header("X-Hub-Signature-256", good256), vectorSecret,
			webhook.ErrSignatureMissing, "X-Hub-Signature"},
		{"UnknownProvider", "Gitea", header("X-Hub-Signature-256", good256), vectorSecret, webhook.ErrUnknownProvider, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := webhook.Verify(tc.provider, tc.header, []byte(vectorPayload), tc.secret)
			if tc.want == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, tc.want)
			var ve *webhook.VerifyError
			require.True(t, errors.As(err, &ve))
			require.Equal(t, tc.provider, ve.Provider)
			if tc.inHeader != "" {
				require.Equal(t, tc.inHeader, ve.Header)
			}
			// What was wrong, never what the secret or the signatures are.
			require.NotContains(t, err.Error(), vectorSecret)
			if tc.secret != "" {
				require.NotContains(t, err.Error(), tc.secret)
			}
			for _, values := range tc.header {
				for _, v := range values {
					if len(v) > 8 {
						require.NotContains(t, err.Error(), v)
					}
				}
			}
		})
	}
}
