package service

import (
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
)

func TestEventTypeIDs(t *testing.T) {
	t.Parallel()
	approval := &sluice.ActionTypeID{Category: sluice.CategoryApproval, Owner: "AWS", Provider: "Manual", Version: "1"}
	build := &sluice.ActionTypeID{Category: "Build", Owner: "AWS", Provider: "CodeBuild", Version: "1"}
	for _, c := range []struct {
		name string
		ev   sluice.Event
		want []string
	}{
		{"PipelineFailed", sluice.Event{DetailType: sluice.DetailExecution, State: "FAILED"}, []string{"codepipeline-pipeline-pipeline-execution-failed"}},
		{"StageResumed", sluice.Event{DetailType: sluice.DetailStage, State: "RESUMED"}, []string{"codepipeline-pipeline-stage-execution-resumed"}},
		{"ActionFailed", sluice.Event{DetailType: sluice.DetailAction, State: "FAILED", ActionType: build}, []string{"codepipeline-pipeline-action-execution-failed"}},
		{"ApprovalNeeded", sluice.Event{DetailType: sluice.DetailAction, State: "STARTED", ActionType: approval},
			[]string{"codepipeline-pipeline-action-execution-started", "codepipeline-pipeline-manual-approval-needed"}},
		{"ApprovalRejected", sluice.Event{DetailType: sluice.DetailAction, State: "FAILED", ActionType: approval},
			[]string{"codepipeline-pipeline-action-execution-failed", "codepipeline-pipeline-manual-approval-failed"}},
		{"NoTypeForStopping", sluice.Event{DetailType: sluice.DetailExecution, State: "STOPPING"}, []string{}},
		{"NoTypeForAbandoned", sluice.Event{DetailType: sluice.DetailAction, State: "ABANDONED", ActionType: build}, []string{}},
		{"NotCodePipelines", sluice.Event{DetailType: sluice.DetailApprovalNeeded, State: "NEEDED"}, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			got := EventTypeIDs(&c.ev)
			if len(c.want) == 0 {
				require.Empty(t, got)
				return
			}
			require.Equal(t, c.want, got)
		})
	}
}

func TestChatNotices(t *testing.T) {
	t.Parallel()
	t.Run("SlackEscapesAndLinks", func(t *testing.T) {
		t.Parallel()
		n := &notice{ev: &sluice.Event{DetailType: sluice.DetailExecution, State: "FAILED", PipelineName: "a<b>&c", Attempt: 2},
			region: "eu-west-1", link: "https://sluice.example.com/pipelines/x/executions/1", commit: "1a2b3c4", failedStage: "Build"}
		body := n.slack()
		require.Equal(t, "Pipeline a<b>&c FAILED at stage Build (commit 1a2b3c4)", body["text"])
		blocks := body["blocks"].([]any)
		section := blocks[0].(map[string]any)["text"].(map[string]any)["text"]
		require.Equal(t, ":x: Pipeline a&lt;b&gt;&amp;c FAILED at stage Build (commit 1a2b3c4)\n<https://sluice.example.com/pipelines/x/executions/1|Open execution>", section)
		require.Len(t, blocks, 3)
	})
	t.Run("TeamsCard", func(t *testing.T) {
		t.Parallel()
		n := &notice{ev: &sluice.Event{DetailType: sluice.DetailAction, State: "STARTED", PipelineName: "web", Stage: "Prod", Action: "Approve",
			ActionType: &sluice.ActionTypeID{Category: sluice.CategoryApproval}}, region: "eu-west-1"}
		body := n.teams()
		require.Equal(t, "message", body["type"])
		att := body["attachments"].([]any)[0].(map[string]any)
		require.Equal(t, "application/vnd.microsoft.card.adaptive", att["contentType"])
		card := att["content"].(map[string]any)
		require.Equal(t, "Pipeline web needs an approval at Prod/Approve", card["body"].([]any)[0].(map[string]any)["text"])
		require.NotContains(t, card, "actions", "no console URL, no link")
	})
}
