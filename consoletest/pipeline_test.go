package consoletest_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"
	"github.com/stretchr/testify/require"

	"sluice/node/nodetest"
)

// approvalPipeline is a source and a stage waiting for a manual approval.
func approvalPipeline(name string) *types.PipelineDeclaration {
	return nodetest.Pipeline(name, nodetest.Stage("Approval", nodetest.Approval("Approve")))
}

// TestOpenPipelineAndRelease: from the list a person opens a pipeline, sees its stages and
// releases a change: a new execution starts.
func TestOpenPipelineAndRelease(t *testing.T) {
	t.Parallel()
	s := setup(t)
	first := s.Create(t, approvalPipeline("hello"))
	s.ApprovalToken(t, "hello", "Approval", "Approve")
	tb := newTab(t, s.URL)
	tb.signInRoot()
	require.Equal(t, 200, tb.submit("link", "hello"))
	require.Equal(t, "/pipelines/hello", tb.path())
	tb.waitFor("heading", "Source")
	tb.waitFor("heading", "Approval")
	tb.waitFor("link", first[:8])

	require.Equal(t, 200, tb.submit("button", "Release change"))
	execs := s.Executions(t, "hello")
	require.Len(t, execs, 2, "Release change started an execution")
	tb.waitFor("link", aws.ToString(execs[0].PipelineExecutionId)[:8])
}

// TestApprove: a person approves a waiting approval with a comment, and the execution goes
// on to succeed.
func TestApprove(t *testing.T) {
	t.Parallel()
	s := setup(t)
	exec := s.Create(t, approvalPipeline("hello"))
	s.ApprovalToken(t, "hello", "Approval", "Approve")
	tb := newTab(t, s.URL)
	tb.signInRoot()
	tb.open("/pipelines/hello")
	tb.waitFor("button", "Approve")
	tb.fill("Comment", "Looks good to me")
	require.Equal(t, 200, tb.submit("button", "Approve"))
	s.WaitStatus(t, "hello", exec, types.PipelineExecutionStatusSucceeded)
	latest := nodetest.StageState(t, s.State(t, "hello"), "Approval").ActionStates[0].LatestExecution
	require.Equal(t, "Looks good to me", aws.ToString(latest.Summary))
	require.False(t, tb.has("button", "Approve"), "the approval is answered")
}

// TestDisableAndEnableTransition: a person disables the transition into a stage with a
// reason, sees it on the page, then enables it again.
func TestDisableAndEnableTransition(t *testing.T) {
	t.Parallel()
	s := setup(t)
	s.Create(t, approvalPipeline("hello"))
	tb := newTab(t, s.URL)
	tb.signInRoot()
	tb.open("/pipelines/hello")
	tb.do(click("DisclosureTriangle", "Disable transition"))
	tb.fill("Reason", "Freeze for the release")
	require.Equal(t, 200, tb.submit("button", "Disable"))
	in := nodetest.StageState(t, s.State(t, "hello"), "Approval").InboundTransitionState
	require.False(t, in.Enabled)
	require.Equal(t, "Freeze for the release", aws.ToString(in.DisabledReason))
	require.Contains(t, tb.text(), "Freeze for the release")

	require.Equal(t, 200, tb.submit("button", "Enable transition"))
	in = nodetest.StageState(t, s.State(t, "hello"), "Approval").InboundTransitionState
	require.True(t, in.Enabled)
	require.NotContains(t, tb.text(), "Freeze for the release")
}

// TestRetryFailedStage: a stage failed; once its cause is gone a person retries its failed
// actions and the execution succeeds.
func TestRetryFailedStage(t *testing.T) {
	t.Parallel()
	s := setup(t)
	g := nodetest.NewGate(t)
	exec := s.Create(t, nodetest.Pipeline("flaky", nodetest.Stage("Build", nodetest.CmdAction("Check", g.Check()))))
	s.WaitStatus(t, "flaky", exec, types.PipelineExecutionStatusFailed)
	tb := newTab(t, s.URL)
	tb.signInRoot()
	tb.open("/pipelines/flaky")
	tb.waitFor("button", "Retry failed actions")
	g.Open(t)
	require.Equal(t, 200, tb.submit("button", "Retry failed actions"))
	s.WaitStatus(t, "flaky", exec, types.PipelineExecutionStatusSucceeded)
	tb.wait("the stage shown succeeded", func() bool { return !tb.has("button", "Retry failed actions") })
}

// TestReadOnlyUserSeesNoControls: a user whose policy only reads sees the pipeline, its
// stages and its approval, and none of the controls.
func TestReadOnlyUserSeesNoControls(t *testing.T) {
	t.Parallel()
	s := setup(t)
	s.Create(t, approvalPipeline("hello"))
	s.ApprovalToken(t, "hello", "Approval", "Approve")
	id, secret := s.user(t, "reader", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
		"Action":["codepipeline:Get*","codepipeline:List*"],"Resource":"*"}]}`)
	tb := newTab(t, s.URL)
	tb.signIn(id, secret)
	tb.waitFor("link", "hello")
	require.False(t, tb.has("link", "Create pipeline"))
	tb.open("/pipelines/hello")
	tb.waitFor("heading", "Approval")
	require.Contains(t, tb.text(), "Waiting for approval")
	for _, name := range []string{"Release change", "Approve", "Reject", "Retry failed actions", "Retry all actions", "Disable", "Stop"} {
		require.False(t, tb.has("button", name), "a read-only user is offered %q", name)
	}
	require.False(t, tb.has("DisclosureTriangle", "Disable transition"))
	require.False(t, tb.has("DisclosureTriangle", "Stop execution"))
}
