package node_test

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/node/nodetest"
)

// consolePage signs in to the server's console with the root key and returns the page at
// path, where the sign-in sends the browser.
func consolePage(t *testing.T, b *nodetest.Bundle, path string) string {
	t.Helper()
	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	web := &http.Client{Jar: jar}
	resp, err := web.PostForm(b.URL+"/signin", url.Values{"access_key_id": {nodetest.KeyID},
		"secret_access_key": {nodetest.Secret}, "next": {path}})
	require.NoError(t, err)
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode, string(body))
	return string(body)
}

// TestConsoleRepositoryAfterPush: a commit pushed with git over HTTP shows on the
// repository's console page, with the clone URL the server serves it at.
func TestConsoleRepositoryAfterPush(t *testing.T) {
	t.Parallel()
	b := nodetest.Setup(t)
	b.SeedRepo(t, "site")
	body := consolePage(t, b, "/repositories/site")
	require.Contains(t, body, `readonly value="`+b.URL+`/v1/repos/site"`)
	require.Contains(t, body, "Recent commits on main")
	require.Contains(t, body, "First commit")
}

// TestConsoleWorkersAfterPoll: a worker that polled the API shows on the workers page with
// its labels.
func TestConsoleWorkersAfterPoll(t *testing.T) {
	t.Parallel()
	b := nodetest.Setup(t)
	in := map[string]any{"worker": "ci-box", "labels": []string{"arm64"}, "waitSeconds": 0,
		"actionTypeIds": []sluice.ActionTypeID{{Category: "Compute", Owner: "AWS", Provider: "Commands", Version: "1"}}}
	require.NoError(t, b.SignedCall(context.Background(), "SluiceWorker_20261129.PollForWorkerJobs", in, nil))
	body := consolePage(t, b, "/workers")
	require.Contains(t, body, "ci-box")
	require.Contains(t, body, "<li>arm64</li>")
	require.Contains(t, body, `<span class="status ok">Connected</span>`)
}
