package api

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/require"

	"sluice/preauth"
)

// readCounter counts what the server reads of a request's body.
type readCounter struct {
	r io.Reader
	n int64
}

func (c *readCounter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// bigCall is a 10 MB request (over maxBody) whose body is counted; sent chunked, so only
// reading tells its size.
func bigCall(url string) (*http.Request, *readCounter) {
	body := &readCounter{r: bytes.NewReader(make([]byte, 10<<20))}
	req := httptest.NewRequest(http.MethodPost, url, body)
	req.ContentLength = -1
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", pipelineTarget+"ListPipelines")
	return req, body
}

// TestUnauthenticatedBodiesAreBounded: an unsigned request has nothing of its body read; one
// signed with a wrong secret has at most the cap read before it is refused.
func TestUnauthenticatedBodiesAreBounded(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	req, body := bigCall("http://sluice.test/")
	h.serve(req).requireError(t, "MissingAuthenticationTokenException")
	require.Zero(t, body.n)

	req, body = bigCall("http://sluice.test/")
	creds := aws.Credentials{AccessKeyID: harnessKeyID, SecretAccessKey: "not-the-secret"}
	require.NoError(t, h.signer.SignHTTP(t.Context(), creds, req, strings.Repeat("0", 64), "codepipeline", harnessRegion, time.Now()))
	h.serve(req).requireError(t, "ValidationException", "larger than")
	require.LessOrEqual(t, body.n, int64(maxBody+1))

	req, body = bigCall("http://sluice.test" + LogPath + "fixture/" + strings.Repeat("0", 8))
	rec := httptest.NewRecorder()
	h.srv.LogHandler().ServeHTTP(rec, req)
	require.Equal(t, http.StatusForbidden, rec.Code)
	require.Zero(t, body.n, "the log endpoint reads nothing of an unsigned append")
}

// TestFailedAttemptsAreThrottled: past the gate's failures an address is answered
// ThrottlingException, signed or not, until the window has passed; others go on.
func TestFailedAttemptsAreThrottled(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	now := time.Now()
	clock := func() time.Time { return now }
	h.srv.Verifier.Gate = preauth.New(preauth.Limits{Failures: 3, Window: time.Minute}, clock)
	unsigned := func(addr string) *response {
		req := httptest.NewRequest(http.MethodPost, "http://sluice.test/", strings.NewReader(`{}`))
		req.Header.Set("X-Amz-Target", pipelineTarget+"ListPipelines")
		req.RemoteAddr = addr
		return h.serve(req)
	}
	for i := 0; i < 3; i++ {
		unsigned("203.0.113.5:1000").requireError(t, "MissingAuthenticationTokenException")
	}
	r := unsigned("203.0.113.5:1001")
	require.Equal(t, http.StatusTooManyRequests, r.status)
	require.Equal(t, "ThrottlingException", r.apiError(t).Type)
	// httptest's own address has not failed: it goes on.
	require.Equal(t, http.StatusOK, h.call(t, pipelineTarget+"ListPipelines", []byte(`{}`)).status)
	now = now.Add(time.Minute)
	unsigned("203.0.113.5:1002").requireError(t, "MissingAuthenticationTokenException")
}

// deadlineRecorder records the read deadlines a handler sets through http.ResponseController.
type deadlineRecorder struct {
	*httptest.ResponseRecorder
	deadlines []time.Time
}

func (d *deadlineRecorder) SetReadDeadline(t time.Time) error {
	d.deadlines = append(d.deadlines, t)
	return nil
}

// TestBodyDeadline: the body is read under a deadline, lifted once it is read, so a long
// poll or a log follow is not cut off; a refused request keeps it, so its unread body is not
// waited for.
func TestBodyDeadline(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.srv.BodyTimeout = time.Hour
	serve := func(req *http.Request) *deadlineRecorder {
		rec := &deadlineRecorder{ResponseRecorder: httptest.NewRecorder()}
		h.srv.ServeHTTP(rec, req)
		return rec
	}
	body := []byte(`{}`)
	req := httptest.NewRequest(http.MethodPost, "http://sluice.test/", bytes.NewReader(body))
	req.Header.Set("X-Amz-Target", pipelineTarget+"ListPipelines")
	h.sign(t, req, body)
	rec := serve(req)
	require.Equal(t, http.StatusOK, rec.Code)
	require.Len(t, rec.deadlines, 2)
	require.WithinDuration(t, time.Now().Add(time.Hour), rec.deadlines[0], time.Minute)
	require.True(t, rec.deadlines[1].IsZero(), "lifted once the body is read")

	req = httptest.NewRequest(http.MethodPost, "http://sluice.test/", bytes.NewReader(body))
	req.Header.Set("X-Amz-Target", pipelineTarget+"ListPipelines")
	rec = serve(req)
	require.Equal(t, http.StatusBadRequest, rec.Code)
	require.Len(t, rec.deadlines, 1, "kept on a refusal")
}
