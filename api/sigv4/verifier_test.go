package sigv4

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/stretchr/testify/require"

	"sluice"
)

const (
	testKeyID     = "AKIDSLUICETEST"
	testSecret    = "sluice/secret+key"
	testPrincipal = "arn:aws:iam::123456789012:user/alice"
	testBody      = `{"maxResults":10}`
)

type testBundle struct {
	verifier *Verifier
	now      time.Time
	creds    aws.Credentials
}

func setup(t testing.TB) *testBundle {
	t.Helper()
	now := time.Date(2025, 3, 14, 15, 9, 26, 0, time.UTC)
	lookup := func(_ context.Context, id string) (string, string, error) {
		if id != testKeyID {
			return "", "", sluice.Errorf(sluice.ENotFound, "AccessKey", "no access key %s", id)
		}
		return testSecret, testPrincipal, nil
	}
	return &testBundle{
		verifier: &Verifier{Lookup: lookup, Clock: func() time.Time { return now }},
		now:      now,
		creds:    aws.Credentials{AccessKeyID: testKeyID, SecretAccessKey: testSecret},
	}
}

// newRequest is a call as the AWS CLI sends it, before signing.
func newRequest(t *testing.T, method, rawURL, body string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, rawURL, bytes.NewReader([]byte(body)))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", "CodePipeline_20150709.ListPipelines")
	return req
}

// sign signs req with the SDK's signer at signedAt and returns it as the server receives it.
func sign(t *testing.T, req *http.Request, creds aws.Credentials, signedAt time.Time) *http.Request {
	t.Helper()
	body, err := req.GetBody()
	require.NoError(t, err)
	var buf bytes.Buffer
	_, err = buf.ReadFrom(body)
	require.NoError(t, err)
	err = v4.NewSigner().SignHTTP(context.Background(), creds, req, sha256Hex(buf.Bytes()),
		"codepipeline", "eu-west-1", signedAt)
	require.NoError(t, err)
	return received(t, req)
}

// received round-trips a client request through the wire format, as Go's server parses it.
func received(t *testing.T, req *http.Request) *http.Request {
	t.Helper()
	var wire bytes.Buffer
	require.NoError(t, req.Write(&wire))
	r, err := http.ReadRequest(bufio.NewReader(&wire))
	require.NoError(t, err)
	return r
}

func requireAuthError(t *testing.T, err error, name string) *AuthError {
	t.Helper()
	var authErr *AuthError
	require.ErrorAs(t, err, &authErr)
	require.Equal(t, name, authErr.Name, authErr.Message)
	require.Equal(t, http.StatusBadRequest, authErr.Status)
	return authErr
}

func TestVerify(t *testing.T) {
	t.Parallel()

	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		r := sign(t, newRequest(t, "POST", "http://sluice.test:8080/", testBody), b.creds, b.now)
		id, err := b.verifier.Authenticate(r, []byte(testBody))
		require.NoError(t, err)
		require.Equal(t, &Identity{AccessKeyID: testKeyID, Principal: testPrincipal,
			Region: "eu-west-1", Service: "codepipeline", SignedAt: b.now}, id)
		principal, err := b.verifier.Verify(r, []byte(testBody))
		require.NoError(t, err)
		require.Equal(t, testPrincipal, principal)
	})

	t.Run("OKQueryAndEncodedPath", func(t *testing.T) {
		t.Parallel()
		for _, rawURL := range []string{
			"http://sluice.test/v1/repos/my%20repo/caf%C3%A9?b=2&a=1&a=0&sp=x%20y&plus=a%2Bb&empty=",
			"http://sluice.test/a%2Fb/c:d@e/~f!g*h?z=%E2%9C%93&A-b=1&A=2",
			"http://sluice.test/x?list-type=2&prefix=&key=a/b/c",
			"http://sluice.test",
		} {
			b := setup(t)
			r := sign(t, newRequest(t, "GET", rawURL, ""), b.creds, b.now)
			_, err := b.verifier.Verify(r, nil)
			require.NoError(t, err, rawURL)
		}
	})

	t.Run("OKRepeatedAndSpacedHeaders", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		req := newRequest(t, "POST", "http://sluice.test/", testBody)
		req.Header.Add("X-Custom", "  two   inner  spaces ")
		req.Header.Add("X-Custom", "second")
		_, err := b.verifier.Verify(sign(t, req, b.creds, b.now), []byte(testBody))
		require.NoError(t, err)
	})

	t.Run("OKContentSha256Header", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		req := newRequest(t, "PUT", "http://sluice.test/object", testBody)
		req.Header.Set("X-Amz-Content-Sha256", sha256Hex([]byte(testBody)))
		_, err := b.verifier.Verify(sign(t, req, b.creds, b.now), []byte(testBody))
		require.NoError(t, err)
	})

	t.Run("OKWithinSkew", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		r := sign(t, newRequest(t, "POST", "http://sluice.test/", testBody), b.creds, b.now.Add(-14*time.Minute))
		_, err := b.verifier.Verify(r, []byte(testBody))
		require.NoError(t, err)
	})

	t.Run("ErrWrongSecret", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		creds := b.creds
		creds.SecretAccessKey = "not the secret"
		r := sign(t, newRequest(t, "POST", "http://sluice.test/", testBody), creds, b.now)
		_, err := b.verifier.Verify(r, []byte(testBody))
		authErr := requireAuthError(t, err, NameInvalidSignature)
		require.Contains(t, authErr.Message, "does not match the signature you provided")
	})

	t.Run("ErrUnknownKey", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		creds := b.creds
		creds.AccessKeyID = "AKIDUNKNOWN"
		r := sign(t, newRequest(t, "POST", "http://sluice.test/", testBody), creds, b.now)
		_, err := b.verifier.Verify(r, []byte(testBody))
		authErr := requireAuthError(t, err, NameUnrecognized)
		require.Equal(t, "The security token included in the request is invalid.", authErr.Message)
	})

	t.Run("ErrTamperedBody", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		r := sign(t, newRequest(t, "POST", "http://sluice.test/", testBody), b.creds, b.now)
		_, err := b.verifier.Verify(r, []byte(`{"maxResults":11}`))
		requireAuthError(t, err, NameInvalidSignature)
	})

	t.Run("ErrTamperedBodyUnderContentSha256", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		req := newRequest(t, "PUT", "http://sluice.test/object", testBody)
		req.Header.Set("X-Amz-Content-Sha256", sha256Hex([]byte(testBody)))
		_, err := b.verifier.Verify(sign(t, req, b.creds, b.now), []byte(`{"maxResults":11}`))
		authErr := requireAuthError(t, err, NameInvalidSignature)
		require.Contains(t, authErr.Message, "x-amz-content-sha256")
	})

	t.Run("ErrTamperedHeader", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		r := sign(t, newRequest(t, "POST", "http://sluice.test/", testBody), b.creds, b.now)
		r.Header.Set("X-Amz-Target", "CodePipeline_20150709.DeletePipeline")
		_, err := b.verifier.Verify(r, []byte(testBody))
		requireAuthError(t, err, NameInvalidSignature)
	})

	t.Run("ErrTamperedQuery", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		r := sign(t, newRequest(t, "GET", "http://sluice.test/x?a=1", ""), b.creds, b.now)
		r.URL.RawQuery = "a=2"
		_, err := b.verifier.Verify(r, nil)
		requireAuthError(t, err, NameInvalidSignature)
	})

	t.Run("ErrMissingAuthorization", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		r := sign(t, newRequest(t, "POST", "http://sluice.test/", testBody), b.creds, b.now)
		r.Header.Del("Authorization")
		_, err := b.verifier.Verify(r, []byte(testBody))
		authErr := requireAuthError(t, err, NameMissingToken)
		require.Equal(t, "Request is missing Authentication Token", authErr.Message)
	})

	t.Run("ErrExpired", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		r := sign(t, newRequest(t, "POST", "http://sluice.test/", testBody), b.creds, b.now.Add(-16*time.Minute))
		_, err := b.verifier.Verify(r, []byte(testBody))
		authErr := requireAuthError(t, err, NameInvalidSignature)
		require.Equal(t, "Signature expired: 20250314T145326Z is now earlier than 20250314T145426Z "+
			"(20250314T150926Z - 15 min.)", authErr.Message)
	})

	t.Run("ErrNotYetCurrent", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.verifier.MaxSkew = 90 * time.Second
		r := sign(t, newRequest(t, "POST", "http://sluice.test/", testBody), b.creds, b.now.Add(2*time.Minute))
		_, err := b.verifier.Verify(r, []byte(testBody))
		authErr := requireAuthError(t, err, NameInvalidSignature)
		require.Contains(t, authErr.Message, "Signature not yet current: 20250314T151126Z")
	})

	t.Run("ErrLookupFailed", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		down := errors.New("database is down")
		b.verifier.Lookup = func(context.Context, string) (string, string, error) { return "", "", down }
		r := sign(t, newRequest(t, "POST", "http://sluice.test/", testBody), b.creds, b.now)
		_, err := b.verifier.Verify(r, []byte(testBody))
		require.ErrorIs(t, err, down)
		var authErr *AuthError
		require.False(t, errors.As(err, &authErr), "a server failure is not the client's fault")
	})
}
