package consoletest_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"
	"github.com/stretchr/testify/require"

	"sluice/node/nodetest"
)

// showcase fills a server with pipelines in the states a list shows: one waiting for an
// approval, one that built, one whose build failed.
func showcase(t *testing.T, s *server) {
	t.Helper()
	s.Create(t, nodetest.Pipeline("release", nodetest.Stage("Build", nodetest.CmdAction("Compile", "echo compiled")),
		nodetest.Stage("Approve", nodetest.Approval("Ship"))))
	built := s.Create(t, nodetest.Pipeline("build", nodetest.Stage("Build", nodetest.CmdAction("Compile", "echo compiled"))))
	s.WaitStatus(t, "build", built, types.PipelineExecutionStatusSucceeded)
	broken := s.Create(t, nodetest.Pipeline("lint", nodetest.Stage("Check", nodetest.CmdAction("Lint", "echo 'main.go:3: unused import' >&2; exit 1"))))
	s.WaitStatus(t, "lint", broken, types.PipelineExecutionStatusFailed)
	again := s.start(t, "build")
	s.WaitStatus(t, "build", again, types.PipelineExecutionStatusSucceeded)
	s.ApprovalToken(t, "release", "Approve", "Ship")
}

// TestListLooks: the pipelines list on a wide screen and a phone's, in the light and the
// dark theme (the system's setting, emulated): nothing wider than the screen, every
// status readable, and the dark theme really dark. With SLUICE_SCREENSHOTS=1 it saves them.
func TestListLooks(t *testing.T) {
	t.Parallel()
	s := setup(t)
	showcase(t, s)
	tb := newTab(t, s.URL)
	tb.signInRoot()
	for _, name := range []string{"release", "build", "lint"} {
		tb.waitFor("link", name)
	}
	require.Contains(t, tb.text(), "Failed")
	require.Contains(t, tb.text(), "Succeeded")
	tb.screenshot("pipelines-wide", 1280)
	tb.screenshot("pipelines-phone", 390)

	require.Equal(t, "rgb(255, 255, 255)", tb.background())
	tb.scheme("dark")
	require.Equal(t, "rgb(13, 17, 23)", tb.background(), "the dark theme follows the system")
	tb.screenshot("pipelines-dark", 1280)
}

// background is the page's background colour as the browser computed it.
func (tb *tab) background() string {
	tb.t.Helper()
	return eval[string](tb, `getComputedStyle(document.body).backgroundColor`)
}

// TestPipelineLooks: a pipeline's view, waiting for an approval after a build, on a wide
// screen, a phone's and in the dark theme.
func TestPipelineLooks(t *testing.T) {
	t.Parallel()
	s := setup(t)
	showcase(t, s)
	tb := newTab(t, s.URL)
	tb.signInRoot()
	tb.open("/pipelines/release")
	tb.waitFor("button", "Approve")
	tb.screenshot("pipeline-wide", 1280)
	tb.screenshot("pipeline-phone", 390)
	tb.scheme("dark")
	tb.screenshot("pipeline-dark", 1280)
}
