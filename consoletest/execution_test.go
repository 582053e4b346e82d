package consoletest_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"
	"github.com/stretchr/testify/require"

	"sluice/node/nodetest"
)

// TestExecutionLooks: the history, an execution's page with its timeline and an action's
// log, on a wide screen and a phone's: nothing wider than the screen, a timeline bar per
// stage and action with its title, and line times on the log. With SLUICE_SCREENSHOTS=1 it
// saves them.
func TestExecutionLooks(t *testing.T) {
	t.Parallel()
	s := setup(t)
	exec := s.Create(t, nodetest.Pipeline("site", nodetest.Stage("Build",
		nodetest.CmdAction("Compile", "echo compiling", "echo 'main.go: ok'"),
		nodetest.CmdAction("Lint", "echo 'main.go:3: unused import' >&2", "exit 1"))))
	s.WaitStatus(t, "site", exec, types.PipelineExecutionStatusFailed)
	tb := newTab(t, s.URL)
	tb.signInRoot()

	tb.open("/pipelines/site/executions")
	tb.waitFor("heading", "Execution history")
	tb.waitFor("link", exec)
	tb.screenshot("history-wide", 1280)
	tb.screenshot("history-phone", 390)

	require.Equal(t, 200, tb.submit("link", exec))
	tb.waitFor("heading", "Timeline")
	require.Equal(t, 5, eval[int](tb, `document.querySelectorAll("svg.timeline rect").length`), "Source, Build and three actions")
	titles := eval[string](tb, `[...document.querySelectorAll("svg.timeline rect title")].map(t => t.textContent).join("\n")`)
	require.Contains(t, titles, "Action Lint: Failed")
	require.Contains(t, titles, "Stage Build: Failed")
	tb.screenshot("execution-wide", 1280)
	tb.screenshot("execution-phone", 390)

	var lint string
	for _, r := range s.ActionRuns(t, "site", exec) {
		if aws.ToString(r.ActionName) == "Lint" {
			lint = aws.ToString(r.ActionExecutionId)
		}
	}
	tb.open("/pipelines/site/actions/" + lint)
	tb.waitFor("heading", "Build / Lint")
	require.Contains(t, tb.logText(), "main.go:3: unused import")
	require.Positive(t, eval[int](tb, `document.querySelectorAll("#log time.ts").length`), "lines show their times")
	require.True(t, strings.Contains(tb.text(), "Failed"))
	tb.screenshot("action-log-wide", 1280)
	tb.screenshot("action-log-phone", 390)
}
