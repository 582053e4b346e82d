package consoletest_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"sluice/config"
	"sluice/node/nodetest"
)

// mark marks the document shown, so a test can tell that the page was not reloaded.
func (tb *tab) mark() {
	tb.t.Helper()
	eval[bool](tb, `window.sluiceTestMark = true`)
}

// marked says whether the document marked is still the one shown (no reload).
func (tb *tab) marked() bool {
	tb.t.Helper()
	return eval[bool](tb, `window.sluiceTestMark === true`)
}

// TestListFollowsExecutions: the pipelines list shows an execution started elsewhere (here
// through the API) without being reloaded.
func TestListFollowsExecutions(t *testing.T) {
	t.Parallel()
	s := setup(t)
	first := s.Create(t, nodetest.Pipeline("hello", nodetest.Stage("Approve", nodetest.Approval("OK"))))
	tb := newTab(t, s.URL)
	tb.signInRoot()
	tb.waitFor("link", first[:8])
	tb.mark()

	next := s.start(t, "hello")
	tb.waitFor("link", next[:8])
	require.True(t, tb.marked(), "the list changed in place, without a reload")
}

// TestListReconnectsAfterRestart: a list left open while the server restarts reconnects by
// itself and follows changes again.
func TestListReconnectsAfterRestart(t *testing.T) {
	t.Parallel()
	addr := nodetest.FreeAddr(t) // the restarted server answers at the same address
	s := setupWith(t, func(c *config.Server) { c.Listen = addr })
	first := s.Create(t, nodetest.Pipeline("hello", nodetest.Stage("Approve", nodetest.Approval("OK"))))
	tb := newTab(t, s.URL)
	tb.signInRoot()
	tb.waitFor("link", first[:8])
	tb.mark()

	s.Restart(t)
	next := s.start(t, "hello")
	tb.waitFor("link", next[:8])
	require.True(t, tb.marked(), "the list changed in place, without a reload")

	again := s.start(t, "hello")
	tb.waitFor("link", again[:8])
	require.True(t, tb.marked())
}
