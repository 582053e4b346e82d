package consoletest_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"
	"github.com/stretchr/testify/require"

	"sluice/node/nodetest"
)

// TestActionLogFollowsToItsEnd: a person opens a running action's page and watches its log
// grow, without reloading, until the run ends and the page says how.
func TestActionLogFollowsToItsEnd(t *testing.T) {
	t.Parallel()
	s := setup(t)
	g := nodetest.NewGate(t)
	exec := s.Create(t, nodetest.Pipeline("talk", nodetest.Stage("Build",
		nodetest.CmdAction("Talk", "echo 'first line'", g.Wait(), "echo 'last line'"))))
	s.WaitAction(t, "talk", "Build", "Talk", types.ActionExecutionStatusInProgress)
	var run string
	for _, r := range s.ActionRuns(t, "talk", exec) {
		if aws.ToString(r.ActionName) == "Talk" {
			run = aws.ToString(r.ActionExecutionId)
		}
	}
	require.NotEmpty(t, run)
	tb := newTab(t, s.URL)
	tb.signInRoot()
	tb.open("/pipelines/talk/actions/" + run)
	tb.waitFor("heading", "Build / Talk")
	tb.wait("the first line", func() bool { return strings.Contains(tb.logText(), "first line") })
	tb.mark()
	require.NotContains(t, tb.logText(), "last line")

	g.Open(t)
	tb.wait("the last line", func() bool { return strings.Contains(tb.logText(), "last line") })
	tb.wait("the end of the run", func() bool { return strings.Contains(tb.text(), "The run ended: Succeeded.") })
	require.True(t, tb.marked(), "the log grew in place, without a reload")
	s.WaitStatus(t, "talk", exec, types.PipelineExecutionStatusSucceeded)
}

// logText is the text of the page's log (the element of role log).
func (tb *tab) logText() string {
	tb.t.Helper()
	return eval[string](tb, `(document.querySelector("[role=log]") || {}).textContent || ""`)
}

// TestDefinitionErrorAtField: a person saves a definition with a mistake; nothing is saved,
// and the page shows the error under the line of the field it names.
func TestDefinitionErrorAtField(t *testing.T) {
	t.Parallel()
	s := setup(t)
	s.Create(t, approvalPipeline("hello"))
	tb := newTab(t, s.URL)
	tb.signInRoot()
	tb.open("/pipelines/hello/definition/edit")
	doc := eval[string](tb, `document.getElementById("definition").value`)
	require.Contains(t, doc, "Manual")
	tb.fill("Definition (JSON or YAML)", strings.Replace(doc, "Manual", "Manul", 1))
	require.Equal(t, 400, tb.submit("button", "Save as the next version"))

	tb.waitFor("heading", "Nothing was saved: 1 problem")
	// The line holding the mistake carries the error (aria-describedby names it).
	bad := eval[[]string](tb, `[...document.querySelectorAll("li[aria-describedby]")].map(li => li.textContent)`)
	require.Len(t, bad, 1)
	require.Contains(t, bad[0], "Manul")
	require.Contains(t, bad[0], "Fix it in the editor")
	require.Equal(t, "true", eval[string](tb, `document.getElementById("definition").getAttribute("aria-invalid")`))
	p := s.State(t, "hello")
	require.Equal(t, int32(1), aws.ToInt32(p.PipelineVersion), "nothing was saved")
}
