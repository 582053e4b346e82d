package console_test

import (
	"io"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestLiveEndsWhenHubCloses: a server shutting down closes the hub, which ends the open
// streams (the browser then reconnects to the next server) instead of holding the shutdown.
func TestLiveEndsWhenHubCloses(t *testing.T) {
	t.Parallel()
	f := setup(t)
	b := f.root()
	req, err := http.NewRequest(http.MethodGet, f.srv.URL+"/live", nil)
	require.NoError(t, err)
	req.Header.Set("Accept", "text/event-stream")
	resp, err := b.client.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	hello := make([]byte, len("retry: 2000\nevent: hello\n"))
	_, err = io.ReadFull(resp.Body, hello)
	require.NoError(t, err)

	f.hub.Close()
	_, err = io.ReadAll(resp.Body) // ends: the stream is over
	require.NoError(t, err)
}
