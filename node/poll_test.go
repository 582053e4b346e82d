package node_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"
	"github.com/stretchr/testify/require"
)

// gitTraffic stands between Sluice and a git server and counts what git asked it: ref
// advertisements (every ls-remote and fetch starts with one) and fetches (an upload-pack
// request that wants objects, in either protocol version).
type gitTraffic struct {
	mu      sync.Mutex
	adverts int
	fetches int
}

func (g *gitTraffic) proxy(t *testing.T, target string) string {
	t.Helper()
	u, err := url.Parse(target)
	require.NoError(t, err)
	rp := httputil.NewSingleHostReverseProxy(u)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.HasSuffix(r.URL.Path, "/info/refs"):
			g.add(&g.adverts)
		case r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/git-upload-pack"):
			body, err := io.ReadAll(r.Body)
			require.NoError(t, err)
			r.Body = io.NopCloser(bytes.NewReader(body))
			if wantsObjects(t, body, r.Header.Get("Content-Encoding")) {
				g.add(&g.fetches)
			}
		}
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// wantsObjects reports whether an upload-pack request asks for objects ("want <id>"
// lines); protocol v2's ls-refs, all an ls-remote sends, has none.
func wantsObjects(t *testing.T, body []byte, encoding string) bool {
	if encoding == "gzip" {
		zr, err := gzip.NewReader(bytes.NewReader(body))
		require.NoError(t, err)
		body, err = io.ReadAll(zr)
		require.NoError(t, err)
	}
	return bytes.Contains(body, []byte("want "))
}

func (g *gitTraffic) add(n *int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	*n++
}

// since returns the counts and starts counting again.
func (g *gitTraffic) since() (adverts, fetches int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	adverts, fetches = g.adverts, g.fetches
	g.adverts, g.fetches = 0, 0
	return adverts, fetches
}

// TestConnectionPolling: a poll round starts a pipeline whose branch moved, pinned to the new
// head, and a branch that did not move costs one ls-remote: no fetch, no execution.
func TestConnectionPolling(t *testing.T) {
	t.Parallel()
	traffic := &gitTraffic{}
	h := setupHooks(t, func(b *bundle) string { return traffic.proxy(t, b.URL) + "/v1/repos" })
	ctx := context.Background()
	h.pushTo(t, "main", map[string]string{"app.txt": "v1\n"})
	h.create(t, "polled", h.source("main", "true"), nil)
	h.create(t, "not-polled", h.source("main", "false"), nil)
	for _, name := range []string{"polled", "not-polled"} {
		h.waitSource(t, name, *h.executions(t, name)[0].PipelineExecutionId)
	}

	traffic.since()
	require.NoError(t, h.Node.ConnectionRound.PollOnce(ctx))
	adverts, fetches := traffic.since()
	require.Equal(t, 1, adverts, "one ls-remote for the one polled branch")
	require.Zero(t, fetches, "an unchanged branch is not fetched")
	require.Len(t, h.executions(t, "polled"), 1, "an unchanged branch starts nothing")

	second := h.pushTo(t, "main", map[string]string{"app.txt": "v2\n"})
	require.NoError(t, h.Node.ConnectionRound.PollOnce(ctx))
	execs := h.executions(t, "polled")
	require.Len(t, execs, 2)
	require.Equal(t, &types.ExecutionTrigger{TriggerType: types.TriggerTypePollForSourceChanges, TriggerDetail: aws.String(h.arn)}, execs[0].Trigger)
	require.Equal(t, second, aws.ToString(execs[0].SourceRevisions[0].RevisionId))
	require.Len(t, h.executions(t, "not-polled"), 1, "DetectChanges false is not polled")
	h.waitSource(t, "polled", *execs[0].PipelineExecutionId)
	_, fetches = traffic.since()
	require.Positive(t, fetches, "the started source action fetched (and the count sees fetches)")

	require.NoError(t, h.Node.ConnectionRound.PollOnce(ctx))
	_, fetches = traffic.since()
	require.Zero(t, fetches)
	require.Len(t, h.executions(t, "polled"), 2, "the moved branch started once")
}
