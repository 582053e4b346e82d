package logclient_test

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/stretchr/testify/require"

	"sluice/client"
	"sluice/logclient"
)

// `sluice logs` and a worker's log sink send a request again when its connection broke
// before the answer (the server closed a kept-alive connection as the request went out).
func TestRequestsRetryABrokenConnection(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// The first two requests of each pair of calls lose their connection: closed, reset.
		if n := calls.Add(1); n%3 != 0 {
			conn, _, err := w.(http.Hijacker).Hijack()
			if err != nil {
				t.Error(err)
				return
			}
			if n%3 == 2 {
				_ = conn.(*net.TCPConn).SetLinger(0)
			}
			_ = conn.Close()
			return
		}
		if r.Method == http.MethodPost {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		_, _ = w.Write([]byte("hello\n"))
	}))
	t.Cleanup(hs.Close)
	c := &logclient.Client{BaseURL: hs.URL, Credentials: credentials.NewStaticCredentialsProvider(testKeyID, testSecret, "")}

	log, err := c.Open(t.Context(), logclient.ReadParams{Pipeline: "app", ActionExecutionID: "run-1"})
	require.NoError(t, err)
	body, err := io.ReadAll(log)
	require.NoError(t, err)
	require.NoError(t, log.Close())
	require.Equal(t, "hello\n", string(body))

	require.NoError(t, c.Append(t.Context(), "app", "run-1", []byte("more\n")))
	require.EqualValues(t, 6, calls.Load())
	require.Less(t, 2, client.Attempts)
}
