package sigv4

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"sluice/preauth"
)

// countingBody counts what the verifier reads of a request's body.
type countingBody struct {
	r io.ReadCloser
	n int64
}

func (c *countingBody) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

func (c *countingBody) Close() error { return c.r.Close() }

func counted(r *http.Request) (*http.Request, *countingBody) {
	c := &countingBody{r: r.Body}
	r.Body = c
	return r, c
}

const bigBody = 1 << 20

func bigRequest(t *testing.T) *http.Request {
	return newRequest(t, http.MethodPost, "http://localhost:7080/", `{"x":"`+strings.Repeat("a", bigBody)+`"}`)
}

func authName(t *testing.T, err error) string {
	t.Helper()
	var ae *AuthError
	require.True(t, errors.As(err, &ae), "want an *AuthError, got %v", err)
	return ae.Name
}

func TestReadVerifiedOK(t *testing.T) {
	t.Parallel()
	b := setup(t)
	for _, claim := range []bool{false, true} {
		req := bigRequest(t)
		want, _ := io.ReadAll(must(req.GetBody()))
		if claim {
			req.Header.Set("X-Amz-Content-Sha256", sha256Hex(want))
		}
		r, c := counted(sign(t, req, b.creds, b.now))
		got, id, err := b.verifier.ReadVerified(r, 2*bigBody)
		require.NoError(t, err)
		require.Equal(t, want, got)
		require.Equal(t, testPrincipal, id.Principal)
		require.Equal(t, int64(len(want)), c.n)
	}
}

// TestReadVerifiedReadsNothingBeforeTheHeaders: a request refused on its headers has not had
// a byte of its body read.
func TestReadVerifiedReadsNothingBeforeTheHeaders(t *testing.T) {
	t.Parallel()
	b := setup(t)
	cases := map[string]func() *http.Request{
		NameMissingToken: func() *http.Request { return received(t, bigRequest(t)) },
		NameUnrecognized: func() *http.Request {
			creds := b.creds
			creds.AccessKeyID = "AKIDUNKNOWN"
			return sign(t, bigRequest(t), creds, b.now)
		},
		NameInvalidSignature: func() *http.Request { return sign(t, bigRequest(t), b.creds, b.now.Add(-time.Hour)) },
	}
	for name, req := range cases {
		r, c := counted(req())
		_, _, err := b.verifier.ReadVerified(r, 2*bigBody)
		require.Equal(t, name, authName(t, err))
		require.Zero(t, c.n, name)
	}
}

func TestReadVerifiedChecksAClaimedHashBeforeReading(t *testing.T) {
	t.Parallel()
	b := setup(t)
	req := bigRequest(t)
	req.Header.Set("X-Amz-Content-Sha256", strings.Repeat("ab", 32))
	creds := b.creds
	creds.SecretAccessKey = "wrong"
	r, c := counted(sign(t, req, creds, b.now))
	_, _, err := b.verifier.ReadVerified(r, 2*bigBody)
	require.Equal(t, NameInvalidSignature, authName(t, err))
	require.Zero(t, c.n)
}

func TestReadVerifiedRefusesAReplacedBody(t *testing.T) {
	t.Parallel()
	b := setup(t)
	for _, claim := range []bool{false, true} {
		req := newRequest(t, http.MethodPost, "http://localhost:7080/", testBody)
		if claim {
			req.Header.Set("X-Amz-Content-Sha256", sha256Hex([]byte(testBody)))
		}
		r := sign(t, req, b.creds, b.now)
		r.Body = io.NopCloser(strings.NewReader(`{"maxResults":99}`))
		_, _, err := b.verifier.ReadVerified(r, 1<<20)
		require.Equal(t, NameInvalidSignature, authName(t, err))
	}
}

func TestReadVerifiedTooLarge(t *testing.T) {
	t.Parallel()
	b := setup(t)
	const max = 64 << 10
	r, c := counted(sign(t, bigRequest(t), b.creds, b.now))
	_, _, err := b.verifier.ReadVerified(r, max)
	require.ErrorIs(t, err, ErrBodyTooLarge)
	require.Zero(t, c.n, "Content-Length says it is too large")
	r, c = counted(sign(t, bigRequest(t), b.creds, b.now))
	r.ContentLength = -1 // chunked: only reading tells
	_, _, err = b.verifier.ReadVerified(r, max)
	require.ErrorIs(t, err, ErrBodyTooLarge)
	require.Equal(t, int64(max+1), c.n, "reads at most the cap and one byte")
}

func TestReadVerifiedGate(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.verifier.Gate = preauth.New(preauth.Limits{InFlight: 1, Failures: 2, Window: time.Minute}, func() time.Time { return b.now })
	for i := 0; i < 2; i++ {
		_, _, err := b.verifier.ReadVerified(received(t, bigRequest(t)), 2*bigBody)
		require.Equal(t, NameMissingToken, authName(t, err))
	}
	r, c := counted(sign(t, bigRequest(t), b.creds, b.now))
	_, _, err := b.verifier.ReadVerified(r, 2*bigBody)
	require.Equal(t, NameThrottling, authName(t, err), "the address failed twice within the window")
	require.Zero(t, c.n)
	r = sign(t, bigRequest(t), b.creds, b.now)
	r.RemoteAddr = "192.0.2.9:443"
	_, _, err = b.verifier.ReadVerified(r, 2*bigBody)
	require.NoError(t, err, "another address, and the slot was freed")
	held, err := b.verifier.Gate.Enter(t.Context(), "192.0.2.10:1")
	require.NoError(t, err)
	r = sign(t, bigRequest(t), b.creds, b.now)
	r.RemoteAddr = "192.0.2.11:1"
	_, _, err = b.verifier.ReadVerified(r, 2*bigBody)
	require.Equal(t, NameUnavailable, authName(t, err), "the one slot is taken")
	held.Done()
}

func must(rc io.ReadCloser, err error) io.ReadCloser {
	if err != nil {
		panic(err)
	}
	return rc
}
