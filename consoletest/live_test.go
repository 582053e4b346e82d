package consoletest_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"
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

// TestPipelineFollowsChanges: a pipeline's view shows a change made elsewhere (an approval
// answered through the API) without being reloaded.
func TestPipelineFollowsChanges(t *testing.T) {
	t.Parallel()
	s := setup(t)
	exec := s.Create(t, approvalPipeline("hello"))
	token := s.ApprovalToken(t, "hello", "Approval", "Approve")
	tb := newTab(t, s.URL)
	tb.signInRoot()
	tb.open("/pipelines/hello")
	tb.waitFor("button", "Approve")
	tb.mark()

	_, err := s.CP.PutApprovalResult(s.ctx, &codepipeline.PutApprovalResultInput{PipelineName: aws.String("hello"),
		StageName: aws.String("Approval"), ActionName: aws.String("Approve"), Token: aws.String(token),
		Result: &types.ApprovalResult{Status: types.ApprovalStatusApproved, Summary: aws.String("from the CLI")}})
	require.NoError(t, err)
	s.WaitStatus(t, "hello", exec, types.PipelineExecutionStatusSucceeded)
	tb.wait("the approval answered on the page", func() bool { return !tb.has("button", "Approve") })
	require.Contains(t, tb.text(), "from the CLI")
	require.True(t, tb.marked(), "the view changed in place, without a reload")
}

// TestExecutionFollowsChanges: an execution's page shows its end (here after an approval
// answered through the API) without being reloaded.
func TestExecutionFollowsChanges(t *testing.T) {
	t.Parallel()
	s := setup(t)
	exec := s.Create(t, approvalPipeline("hello"))
	token := s.ApprovalToken(t, "hello", "Approval", "Approve")
	tb := newTab(t, s.URL)
	tb.signInRoot()
	tb.open("/pipelines/hello/executions/" + exec)
	tb.waitFor("heading", "Timeline")
	require.Contains(t, tb.text(), "InProgress")
	tb.mark()

	_, err := s.CP.PutApprovalResult(s.ctx, &codepipeline.PutApprovalResultInput{PipelineName: aws.String("hello"),
		StageName: aws.String("Approval"), ActionName: aws.String("Approve"), Token: aws.String(token),
		Result: &types.ApprovalResult{Status: types.ApprovalStatusApproved, Summary: aws.String("from the CLI")}})
	require.NoError(t, err)
	s.WaitStatus(t, "hello", exec, types.PipelineExecutionStatusSucceeded)
	tb.wait("the execution's end on the page", func() bool { return !strings.Contains(tb.text(), "InProgress") })
	require.Contains(t, tb.text(), "Succeeded")
	require.True(t, tb.marked(), "the page changed in place, without a reload")
}
