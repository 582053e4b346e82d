package hostevent

import (
	"crypto/hmac"
	"crypto/sha1" //nolint:gosec // GitHub's legacy X-Hub-Signature is HMAC-SHA1; accepted only without a sha256 one
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"net/http"
	"strings"
)

// What can be wrong with a delivery's signature; VerifyError wraps one of them.
var (
	ErrNoSecret           = errors.New("no webhook secret is configured")
	ErrSignatureMissing   = errors.New("signature missing")
	ErrSignatureMalformed = errors.New("signature malformed")
	ErrSignatureMismatch  = errors.New("signature or token does not match")
)

// VerifyError says why a delivery failed verification and which header was checked. It
// never carries secret or signature material, so it is safe to log and to answer with.
type VerifyError struct {
	Provider string
	Header   string
	Err      error // one of the Err* values above, or ErrUnknownProvider
}

func (e *VerifyError) Error() string {
	if e.Header == "" {
		return fmt.Sprintf("%s webhook: %v", e.Provider, e.Err)
	}
	return fmt.Sprintf("%s webhook: %s: %v", e.Provider, e.Header, e.Err)
}

func (e *VerifyError) Unwrap() error { return e.Err }

// Verify checks that the delivery was sent by a host knowing secret, comparing in constant
// time: GitHub's X-Hub-Signature-256 (or the legacy SHA-1 X-Hub-Signature when no SHA-256 one
// is sent), GitLab's X-Gitlab-Token, Bitbucket's X-Hub-Signature (SHA-256, Cloud and Server).
func Verify(provider string, header http.Header, body []byte, secret string) error {
	v, err := NewVerifier(provider, header, secret)
	if err != nil {
		return err
	}
	_, _ = v.Write(body)
	return v.Check()
}

// Verifier checks a delivery's signature while its body streams through it: NewVerifier
// checks the headers (a missing or malformed signature, a wrong GitLab token fail before a
// byte of the body is read), Write takes the body, Check says whether it was signed.
type Verifier struct {
	fail func(string, error) error
	name string
	mac  hash.Hash // nil: nothing of the body is signed (GitLab's token)
	want []byte
}

// NewVerifier is Verify's first half: the checks of the headers, and the HMAC to write the
// body to. Its errors are Verify's.
func NewVerifier(provider string, header http.Header, secret string) (*Verifier, error) {
	fail := func(h string, err error) error { return &VerifyError{Provider: provider, Header: h, Err: err} }
	if secret == "" {
		return nil, fail("", ErrNoSecret)
	}
	switch provider {
	case ProviderGitHub, ProviderGitHubEnterpriseServer:
		if _, ok := header[http.CanonicalHeaderKey("X-Hub-Signature-256")]; ok || header.Get("X-Hub-Signature") == "" {
			return signed(fail, header, "X-Hub-Signature-256", "sha256=", sha256.New, secret)
		}
		return signed(fail, header, "X-Hub-Signature", "sha1=", sha1.New, secret)
	case ProviderGitLab, ProviderGitLabSelfManaged:
		if err := token(fail, header.Get("X-Gitlab-Token"), secret); err != nil {
			return nil, err
		}
		return &Verifier{fail: fail}, nil
	case ProviderBitbucket, ProviderBitbucketServer:
		return signed(fail, header, "X-Hub-Signature", "sha256=", sha256.New, secret)
	default:
		return nil, fail("", ErrUnknownProvider)
	}
}

// Write adds p to the body signed; it never fails.
func (v *Verifier) Write(p []byte) (int, error) {
	if v.mac != nil {
		v.mac.Write(p)
	}
	return len(p), nil
}

// Check says whether the body written was the one signed.
func (v *Verifier) Check() error {
	if v.mac != nil && !hmac.Equal(v.want, v.mac.Sum(nil)) {
		return v.fail(v.name, ErrSignatureMismatch)
	}
	return nil
}

// signed reads a "<algorithm>=<hex HMAC of the body>" header.
func signed(fail func(string, error) error, header http.Header, name, prefix string, h func() hash.Hash, secret string) (*Verifier, error) {
	value := header.Get(name)
	if value == "" {
		return nil, fail(name, ErrSignatureMissing)
	}
	hexSum, ok := strings.CutPrefix(value, prefix)
	if !ok {
		return nil, fail(name, ErrSignatureMalformed)
	}
	got, err := hex.DecodeString(hexSum)
	if err != nil || len(got) != h().Size() {
		return nil, fail(name, ErrSignatureMalformed)
	}
	return &Verifier{fail: fail, name: name, mac: hmac.New(h, []byte(secret)), want: got}, nil
}

// token checks GitLab's plain shared token. Comparing digests rather than the strings keeps
// the comparison constant-time in the token's length too.
func token(fail func(string, error) error, got, secret string) error {
	const name = "X-Gitlab-Token"
	if got == "" {
		return fail(name, ErrSignatureMissing)
	}
	a, b := sha256.Sum256([]byte(got)), sha256.Sum256([]byte(secret))
	if !hmac.Equal(a[:], b[:]) {
		return fail(name, ErrSignatureMismatch)
	}
	return nil
}
