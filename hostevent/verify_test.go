package hostevent_test

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice/hostevent"
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
		{"GitHubTestVector", hostevent.ProviderGitHub, header("X-Hub-Signature-256", vectorSignature), vectorSecret, nil, ""},
		{"GitHubEnterpriseServer", hostevent.ProviderGitHubEnterpriseServer, header("X-Hub-Signature-256", good256), vectorSecret, nil, ""},
		{"GitHubLegacySHA1", hostevent.ProviderGitHub, header("X-Hub-Signature", good1), vectorSecret, nil, ""},
		{"GitHubSHA256WinsOverSHA1", hostevent.ProviderGitHub,
			header("X-Hub-Signature-256", sign("wrong", vectorPayload, true), "X-Hub-Signature", good1), vectorSecret,
			hostevent.ErrSignatureMismatch, "X-Hub-Signature-256"},
		{"GitHubEmptySHA256IsNotAbsent", hostevent.ProviderGitHub,
			http.Header{"X-Hub-Signature-256": {""}, "X-Hub-Signature": {good1}}, vectorSecret,
			hostevent.ErrSignatureMissing, "X-Hub-Signature-256"},
		{"GitHubMissing", hostevent.ProviderGitHub, header(), vectorSecret, hostevent.ErrSignatureMissing, "X-Hub-Signature-256"},
		{"GitHubWrongAlgorithm", hostevent.ProviderGitHub, header("X-Hub-Signature-256", "sha1="+good256[7:]), vectorSecret,
			hostevent.ErrSignatureMalformed, "X-Hub-Signature-256"},
		{"GitHubNotHex", hostevent.ProviderGitHub, header("X-Hub-Signature-256", "sha256=zz"+good256[9:]), vectorSecret,
			hostevent.ErrSignatureMalformed, ""},
		{"GitHubShort", hostevent.ProviderGitHub, header("X-Hub-Signature-256", good256[:len(good256)-2]), vectorSecret,
			hostevent.ErrSignatureMalformed, ""},
		{"GitHubWrongSecret", hostevent.ProviderGitHub, header("X-Hub-Signature-256", vectorSignature), "other",
			hostevent.ErrSignatureMismatch, ""},
		{"GitHubSHA1WrongSecret", hostevent.ProviderGitHub, header("X-Hub-Signature", good1), "other",
			hostevent.ErrSignatureMismatch, "X-Hub-Signature"},
		{"NoSecret", hostevent.ProviderGitHub, header("X-Hub-Signature-256", vectorSignature), "", hostevent.ErrNoSecret, ""},
		{"GitLab", hostevent.ProviderGitLab, header("X-Gitlab-Token", "gl-s3cr3t"), "gl-s3cr3t", nil, ""},
		{"GitLabSelfManaged", hostevent.ProviderGitLabSelfManaged, header("X-Gitlab-Token", "gl-s3cr3t"), "gl-s3cr3t", nil, ""},
		{"GitLabWrongToken", hostevent.ProviderGitLab, header("X-Gitlab-Token", "gl-s3cr3X"), "gl-s3cr3t", hostevent.ErrSignatureMismatch, "X-Gitlab-Token"},
		{"GitLabPrefixOfToken", hostevent.ProviderGitLab, header("X-Gitlab-Token", "gl-s3c"), "gl-s3cr3t", hostevent.ErrSignatureMismatch, ""},
		{"GitLabMissing", hostevent.ProviderGitLab, header(), "gl-s3cr3t", hostevent.ErrSignatureMissing, "X-Gitlab-Token"},
		{"Bitbucket", hostevent.ProviderBitbucket, header("X-Hub-Signature", good256), vectorSecret, nil, ""},
		{"BitbucketServer", hostevent.ProviderBitbucketServer, header("X-Hub-Signature", good256), vectorSecret, nil, ""},
		{"BitbucketSHA1Refused", hostevent.ProviderBitbucket, header("X-Hub-Signature", good1), vectorSecret,
			hostevent.ErrSignatureMalformed, "X-Hub-Signature"},
		{"BitbucketMissing", hostevent.ProviderBitbucket, header("X-Hub-Signature-256", good256), vectorSecret,
			hostevent.ErrSignatureMissing, "X-Hub-Signature"},
		{"UnknownProvider", "Gitea", header("X-Hub-Signature-256", good256), vectorSecret, hostevent.ErrUnknownProvider, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := hostevent.Verify(tc.provider, tc.header, []byte(vectorPayload), tc.secret)
			if tc.want == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, tc.want)
			var ve *hostevent.VerifyError
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
