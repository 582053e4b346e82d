package consoletest_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"sluice/node/nodetest"
)

// focused names the element that has the keyboard's focus: its label or text.
func (tb *tab) focused() string {
	tb.t.Helper()
	return strings.TrimSpace(eval[string](tb, `(() => { const e = document.activeElement;
		return (e.labels && e.labels[0] ? e.labels[0].textContent : e.textContent) || ""; })()`))
}

// TestKeyboardOnly: a person without a mouse signs in, skips to the content, reaches a
// waiting approval with Tab and approves it with Enter.
func TestKeyboardOnly(t *testing.T) {
	t.Parallel()
	s := setup(t)
	exec := s.Create(t, approvalPipeline("hello"))
	s.ApprovalToken(t, "hello", "Approval", "Approve")
	tb := newTab(t, s.URL)

	tb.open("/signin")
	require.Equal(t, "Access key ID", tb.focused(), "the key id field has the focus")
	tb.do(chromedp.KeyEvent(nodetest.KeyID), chromedp.KeyEvent("\t"), chromedp.KeyEvent(nodetest.Secret))
	require.Equal(t, 200, tb.navigate("Enter", chromedp.KeyEvent("\r")))
	require.Equal(t, "/", tb.path())

	tb.open("/pipelines/hello")
	tb.do(chromedp.KeyEvent("\t"))
	require.Equal(t, "Skip to content", tb.focused(), "the first stop skips the navigation")
	for i := 0; i < 100 && tb.focused() != "Approve"; i++ {
		tb.do(chromedp.KeyEvent("\t"))
	}
	require.Equal(t, "Approve", tb.focused(), "Tab reaches the approval")
	require.Equal(t, 200, tb.navigate("Enter", chromedp.KeyEvent("\r")))
	s.WaitStatus(t, "hello", exec, types.PipelineExecutionStatusSucceeded)
}
