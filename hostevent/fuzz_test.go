package hostevent_test

import (
	"bufio"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/hostevent"
	"sluice/hostevent/hosteventtest"
)

// fuzzProviders are the provider types a fuzz input's first byte chooses from.
var fuzzProviders = []string{hostevent.ProviderGitHub, hostevent.ProviderGitHubEnterpriseServer, hostevent.ProviderGitLab,
	hostevent.ProviderGitLabSelfManaged, hostevent.ProviderBitbucket, hostevent.ProviderBitbucketServer}

// corpusSeeds adds every corpus delivery under its provider, its headers written as lines.
func corpusSeeds(f *testing.F, add func(provider uint8, headers string, body []byte)) {
	for _, d := range hosteventtest.Load(f) {
		var lines strings.Builder
		require.NoError(f, d.Header.Write(&lines))
		for i, p := range fuzzProviders {
			if strings.HasPrefix(p, d.Provider) {
				add(uint8(i), lines.String(), d.Body)
			}
		}
	}
}

// fuzzHeader reads "Name: value" lines; a line without a colon is skipped.
func fuzzHeader(lines string) http.Header {
	h := http.Header{}
	sc := bufio.NewScanner(strings.NewReader(lines))
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), ":"); ok {
			h.Add(strings.TrimSpace(k), strings.TrimSpace(v))
		}
	}
	return h
}

// FuzzParse: any delivery of any provider is an event that keeps the GitEvent contract, or
// ErrMalformed; never a panic, never another error (which the endpoint would answer 500).
func FuzzParse(f *testing.F) {
	corpusSeeds(f, func(p uint8, headers string, body []byte) { f.Add(p, headers, body) })
	for i := range fuzzProviders {
		for _, ev := range []string{"X-GitHub-Event: push", "X-Gitlab-Event: Push Hook", "X-Event-Key: repo:push",
			"X-Event-Key: repo:refs_changed", "X-GitHub-Event: pull_request\nContent-Type: application/x-www-form-urlencoded"} {
			for _, body := range []string{"", "null", "{}", "[]", `{"ref":"refs/notes/x"}`, "payload=%7B%7D", `{"push":{"changes":[{}]}}`} {
				f.Add(uint8(i), ev, []byte(body))
			}
		}
	}
	f.Fuzz(func(t *testing.T, p uint8, headers string, body []byte) {
		provider := fuzzProviders[int(p)%len(fuzzProviders)]
		ev, err := hostevent.Parse(provider, fuzzHeader(headers), body)
		if err != nil {
			require.ErrorIs(t, err, hostevent.ErrMalformed)
			require.Nil(t, ev)
			return
		}
		require.NotNil(t, ev)
		for _, e := range ev.All() {
			requireEventContract(t, e)
			require.Equal(t, ev.DeliveryID, e.DeliveryID)
		}
	})
}

// requireEventContract checks what the triggers rely on of every parsed event.
func requireEventContract(t *testing.T, e sluice.GitEvent) {
	t.Helper()
	switch e.Kind {
	case sluice.GitEventIgnored:
		require.NotEmpty(t, e.Reason)
	case sluice.GitEventPush:
		require.True(t, (e.Branch == "") != (e.Tag == ""), "a push names a branch or a tag: %+v", e)
		require.Contains(t, []string{"refs/heads/" + e.Branch, "refs/tags/" + e.Tag}, e.Ref)
	case sluice.GitEventPullRequest:
		require.NotNil(t, e.PullRequest)
		require.Equal(t, e.PullRequest.HeadCommitID, e.HeadCommit.ID)
	case sluice.GitEventPing:
	default:
		t.Fatalf("unknown event kind %q", e.Kind)
	}
	if e.Kind != sluice.GitEventPullRequest {
		require.Nil(t, e.PullRequest)
	}
}

// FuzzVerify: any delivery fails verification with a VerifyError naming one of the Err
// values, the same whether its body is written at once or in pieces; signed with the secret as its host signs, it verifies, and once its body or
// secret changes it does not.
func FuzzVerify(f *testing.F) {
	corpusSeeds(f, func(p uint8, headers string, body []byte) {
		f.Add(p, headers, body, hosteventtest.HMACSecret)
		f.Add(p, headers, body, hosteventtest.GitLabToken)
	})
	f.Add(uint8(0), "X-Hub-Signature-256: "+vectorSignature, []byte(vectorPayload), vectorSecret)
	f.Add(uint8(0), "X-Hub-Signature: sha1=00\nX-Hub-Signature-256:", []byte(vectorPayload), vectorSecret)
	f.Add(uint8(4), "X-Hub-Signature: sha256=zz", []byte{}, "s")
	f.Fuzz(func(t *testing.T, p uint8, headers string, body []byte, secret string) {
		provider := fuzzProviders[int(p)%len(fuzzProviders)]
		header := fuzzHeader(headers)
		err := hostevent.Verify(provider, header, body, secret)
		if err != nil {
			requireVerifyError(t, err)
		}
		require.Equal(t, fmt.Sprint(err), fmt.Sprint(streamed(provider, header, body, secret)), "streamed in pieces, another answer")
		if secret == "" {
			return
		}
		signHeader(provider, header, body, secret)
		require.NoError(t, hostevent.Verify(provider, header, body, secret))
		require.ErrorIs(t, hostevent.Verify(provider, header, body, secret+"x"), hostevent.ErrSignatureMismatch)
		if !strings.HasPrefix(provider, hostevent.ProviderGitLab) { // GitLab's token does not cover the body
			require.ErrorIs(t, hostevent.Verify(provider, header, append(body, 'x'), secret), hostevent.ErrSignatureMismatch)
		}
	})
}

// streamed verifies as the endpoints do: the headers first, then the body in three pieces.
func streamed(provider string, header http.Header, body []byte, secret string) error {
	v, err := hostevent.NewVerifier(provider, header, secret)
	if err != nil {
		return err
	}
	a, b := len(body)/3, 2*len(body)/3
	for _, p := range [][]byte{body[:a], body[a:b], body[b:]} {
		_, _ = v.Write(p)
	}
	return v.Check()
}

// signHeader sets the header the provider's host signs a delivery with.
func signHeader(provider string, header http.Header, body []byte, secret string) {
	switch {
	case strings.HasPrefix(provider, hostevent.ProviderGitLab):
		header.Set("X-Gitlab-Token", secret)
	case strings.HasPrefix(provider, hostevent.ProviderBitbucket):
		header.Set("X-Hub-Signature", sign(secret, string(body), true))
	case header.Get("X-Hub-Signature-256") == "" && header.Get("X-Hub-Signature") != "":
		header.Del("X-Hub-Signature-256")
		header.Set("X-Hub-Signature", sign(secret, string(body), false)) // GitHub's legacy SHA-1 alone
	default:
		header.Set("X-Hub-Signature-256", sign(secret, string(body), true))
	}
}

func requireVerifyError(t *testing.T, err error) {
	t.Helper()
	var ve *hostevent.VerifyError
	require.True(t, errors.As(err, &ve), "not a VerifyError: %v", err)
	known := false
	for _, e := range []error{hostevent.ErrNoSecret, hostevent.ErrSignatureMissing, hostevent.ErrSignatureMalformed,
		hostevent.ErrSignatureMismatch, hostevent.ErrUnknownProvider} {
		known = known || errors.Is(err, e)
	}
	require.True(t, known, "unknown reason: %v", err)
}
