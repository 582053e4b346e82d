package hookserve

import (
	"bufio"
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/preauth"
	"sluice/trigger"
)

// readCounter counts what the handler reads of a request's body.
type readCounter struct {
	r io.Reader
	n int64
}

func (c *readCounter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// postCounted delivers a chunked body (its size told only by reading) and counts what was
// read of it.
func (b *bundle) postCounted(t *testing.T, header http.Header, body []byte) (int, answer, int64) {
	t.Helper()
	src := &readCounter{r: bytes.NewReader(body)}
	req := httptest.NewRequest(http.MethodPost, "/v1/webhooks/c-1", src)
	req.ContentLength = -1
	req.Header = header.Clone()
	rec := httptest.NewRecorder()
	b.handler.ServeHTTP(rec, req)
	var a answer
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &a), rec.Body.String())
	return rec.Code, a, src.n
}

func sign(secret string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// bigPush is a signed GitHub push of about size bytes (a padded commit message).
func bigPush(t *testing.T, size int, secret string) (http.Header, []byte) {
	t.Helper()
	sha := strings.Repeat("b", 40)
	body, err := json.Marshal(map[string]any{"ref": "refs/heads/main", "before": strings.Repeat("1", 40), "after": sha,
		"repository":  map[string]string{"full_name": "acme/app"},
		"head_commit": map[string]string{"id": sha, "message": strings.Repeat("m", size), "timestamp": "2026-01-02T03:04:05Z"}})
	require.NoError(t, err)
	return http.Header{"Content-Type": {"application/json"}, "X-Github-Event": {"push"},
		"X-Hub-Signature-256": {sign(secret, body)}}, body
}

func TestDeliveriesBeforeAuthentication(t *testing.T) {
	t.Parallel()

	t.Run("UnsignedReadsNothing", func(t *testing.T) {
		t.Parallel()
		b := setup(t, pipeline("p", connSource("acme/app", "main")))
		h, body := bigPush(t, trigger.MaxWebhookBody-1024, "s")
		h.Del("X-Hub-Signature-256")
		status, a, read := b.postCounted(t, h, body)
		require.Equal(t, http.StatusForbidden, status)
		require.Contains(t, a.Message, "signature missing")
		require.Zero(t, read)
	})

	t.Run("WrongSignatureIsRefusedAfterReadingOnce", func(t *testing.T) {
		t.Parallel()
		b := setup(t, pipeline("p", connSource("acme/app", "main")))
		h, body := bigPush(t, 4*preauth.InMemory, "another secret")
		status, a, read := b.postCounted(t, h, body)
		require.Equal(t, http.StatusForbidden, status)
		require.Contains(t, a.Message, "does not match")
		require.Equal(t, int64(len(body)), read)
		require.Empty(t, b.started(t, "p"))
		sum := sha256.Sum256(body)
		require.Equal(t, "sha256:"+hex.EncodeToString(sum[:]), b.deliveries(t)[0].DeliveryID, "the log names it by its digest")
	})

	t.Run("TooLargeReadsAtMostTheCap", func(t *testing.T) {
		t.Parallel()
		b := setup(t, pipeline("p", connSource("acme/app", "main")))
		h, body := bigPush(t, trigger.MaxWebhookBody+1024, "s")
		status, _, read := b.postCounted(t, h, body)
		require.Equal(t, http.StatusRequestEntityTooLarge, status)
		require.Equal(t, int64(trigger.MaxWebhookBody+1), read)
	})

	t.Run("SignedLargeDeliveryStarts", func(t *testing.T) {
		t.Parallel()
		b := setup(t, pipeline("p", connSource("acme/app", "main")))
		h, body := bigPush(t, 2<<20, "s") // spooled past InMemory, read back once verified
		status, a, _ := b.postCounted(t, h, body)
		require.Equal(t, http.StatusOK, status, a.Message)
		require.Equal(t, sluice.DeliveryStarted, a.Result)
		require.Len(t, b.started(t, "p"), 1)
	})

	t.Run("FailuresAreThrottled", func(t *testing.T) {
		t.Parallel()
		gate := preauth.New(preauth.Limits{Failures: 2, Window: time.Hour}, nil)
		b := setupLimited(t, sluice.ProviderGitHub, Limits{Gate: gate}, pipeline("p", connSource("acme/app", "main")))
		h, body := bigPush(t, 10, "wrong")
		for i := 0; i < 2; i++ {
			status, _, _ := b.postCounted(t, h, body)
			require.Equal(t, http.StatusForbidden, status)
		}
		h, body = bigPush(t, 10, "s")
		status, _, read := b.postCounted(t, h, body)
		require.Equal(t, http.StatusTooManyRequests, status, "even a signed delivery, from that address, until the window passes")
		require.Zero(t, read)
	})
}

// TestSlowBodyIsCutOff: a sender that stops in the middle of its body is answered and its
// connection closed once the body's deadline passes.
func TestSlowBodyIsCutOff(t *testing.T) {
	t.Parallel()
	b := setupLimited(t, sluice.ProviderGitHub, Limits{BodyTimeout: 50 * time.Millisecond}, pipeline("p", connSource("acme/app", "main")))
	srv := httptest.NewServer(b.handler)
	t.Cleanup(srv.Close)
	conn, err := net.Dial("tcp", srv.Listener.Addr().String())
	require.NoError(t, err)
	defer conn.Close()
	h, body := bigPush(t, 10, "s")
	_, err = io.WriteString(conn, "POST /v1/webhooks/c-1 HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"+
		"X-Github-Event: push\r\nX-Hub-Signature-256: "+h.Get("X-Hub-Signature-256")+"\r\n"+
		"Content-Length: "+itoa(len(body))+"\r\n\r\n"+string(body[:len(body)/2]))
	require.NoError(t, err)
	// Nothing more is sent: the server's answer (and the connection's end) is the signal.
	require.NoError(t, conn.SetReadDeadline(time.Now().Add(time.Minute))) // a hang fails, not blocks
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusBadRequest, resp.StatusCode)
	require.True(t, resp.Close, "the connection is closed")
	require.Empty(t, b.started(t, "p"))
}

func itoa(n int) string { return strconv.Itoa(n) }

// deadlineRecorder records the read deadlines a handler sets through http.ResponseController.
type deadlineRecorder struct {
	*httptest.ResponseRecorder
	deadlines []time.Time
}

func (d *deadlineRecorder) SetReadDeadline(t time.Time) error {
	d.deadlines = append(d.deadlines, t)
	return nil
}

// TestBodyDeadlineIsLiftedOnceRead: the work after a delivery's body is read is not under
// the body's deadline; a delivery refused before its body was read keeps it.
func TestBodyDeadlineIsLiftedOnceRead(t *testing.T) {
	t.Parallel()
	b := setup(t, pipeline("p", connSource("acme/app", "main")))
	for _, secret := range []string{"s", "wrong"} {
		h, body := bigPush(t, 10, secret)
		h.Set("X-GitHub-Delivery", "d-"+secret)
		if secret == "wrong" {
			h.Del("X-Hub-Signature-256")
		}
		req := httptest.NewRequest(http.MethodPost, "/v1/webhooks/c-1", bytes.NewReader(body))
		req.Header = h
		rec := &deadlineRecorder{ResponseRecorder: httptest.NewRecorder()}
		b.handler.ServeHTTP(rec, req)
		require.NotEmpty(t, rec.deadlines)
		require.False(t, rec.deadlines[0].IsZero())
		if secret == "s" {
			require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
			require.Len(t, rec.deadlines, 2)
			require.True(t, rec.deadlines[1].IsZero(), "lifted once the body is read")
		} else {
			require.Equal(t, http.StatusForbidden, rec.Code)
			require.Len(t, rec.deadlines, 1, "kept on a refusal")
		}
	}
}
