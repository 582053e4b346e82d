package console_test

import (
	"io"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/service"
)

// pipeBadge fetches a badge without signing in.
func (f *fixture) pipeBadge(name string) (*http.Response, string) {
	resp, err := http.Get(f.srv.URL + "/badge/" + name + ".svg")
	require.NoError(f.t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(f.t, err)
	return resp, string(body)
}

func TestBadge(t *testing.T) {
	t.Parallel()
	on := sluice.Tag{Key: service.BadgeTag, Value: service.BadgeOn}
	t.Run("OnShowsLatestStatus", func(t *testing.T) {
		t.Parallel()
		f := setup(t)
		f.pipeCreate(pipeApprovalDecl("app", ""), on)
		resp, body := f.pipeBadge("app")
		require.Equal(t, http.StatusOK, resp.StatusCode)
		require.Equal(t, "image/svg+xml; charset=utf-8", resp.Header.Get("Content-Type"))
		require.Contains(t, resp.Header.Get("Cache-Control"), "no-cache")
		require.Contains(t, body, "<svg")
		require.Contains(t, body, `aria-label="pipeline: InProgress"`)
		require.Contains(t, body, `fill="#0969da"`)
		f.pipeRunSources()
		_, err := f.core.PutApprovalResult(f.ctx, rootCaller, service.ApprovalParams{Pipeline: "app", Stage: "Review", Action: "Gate",
			Token: f.pipeGateToken("app"), Approved: true})
		require.NoError(t, err)
		_, body = f.pipeBadge("app")
		require.Contains(t, body, `aria-label="pipeline: Succeeded"`)
		require.Contains(t, body, `fill="#1a7f37"`)
	})
	t.Run("OffIsNotFound", func(t *testing.T) {
		t.Parallel()
		f := setup(t)
		f.pipeCreate(pipeApprovalDecl("plain", ""))
		f.pipeCreate(pipeApprovalDecl("off", ""), sluice.Tag{Key: service.BadgeTag, Value: "off"})
		_, missing := f.pipeBadge("nope")
		for _, name := range []string{"plain", "off", "nope"} {
			resp, body := f.pipeBadge(name)
			require.Equal(t, http.StatusNotFound, resp.StatusCode, name)
			require.Equal(t, missing, body, "%s: no difference between no such pipeline and badge off", name)
		}
		resp, _ := f.browser().get("/badge/plain")
		require.Equal(t, http.StatusNotFound, resp.StatusCode, "only .svg")
	})
}
