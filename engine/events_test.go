package engine

import (
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
)

// events collects every event of every plan the harness applies.
func (h *harness) eventsOf(do func()) []sluice.Event {
	var out []sluice.Event
	before := h.last
	do()
	if h.last != before && h.last != nil {
		out = append(out, h.last.Events...)
	}
	return out
}

func findEvent(evs []sluice.Event, detail, state, action string) *sluice.Event {
	for i := range evs {
		if evs[i].DetailType == detail && evs[i].State == state && evs[i].Action == action {
			return &evs[i]
		}
	}
	return nil
}

func TestEventFields(t *testing.T) {
	t.Parallel()
	t.Run("StartedCarriesTriggerAndStart", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, threeStages(sluice.ModeQueued))
		var id string
		evs := h.eventsOf(func() { id = h.start() })
		ev := findEvent(evs, sluice.DetailExecution, "STARTED", "")
		require.NotNil(t, ev)
		require.Equal(t, &sluice.Trigger{Type: sluice.TriggerStartPipelineExecution}, ev.Trigger)
		require.Equal(t, 1, ev.Attempt)
		require.Equal(t, h.exec(id).StartTime, ev.StartTime)
		act := findEvent(evs, sluice.DetailAction, "STARTED", "Src")
		require.NotNil(t, act, "the source action starts in the same decision")
		require.Equal(t, &sluice.ActionTypeID{Category: "Source", Owner: "AWS", Provider: "CodeCommit", Version: "1"}, act.ActionType)
	})
	t.Run("ActionResultAndArtifacts", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, threeStages(sluice.ModeQueued))
		id := h.start()
		evs := h.eventsOf(func() { h.succeed(id, "Source", "Src") })
		ok := findEvent(evs, sluice.DetailAction, "SUCCEEDED", "Src")
		require.NotNil(t, ok)
		require.Len(t, ok.OutputArtifacts, 1)
		require.Equal(t, "Code", ok.OutputArtifacts[0].Name)
		require.NotNil(t, ok.Result)
		started := findEvent(evs, sluice.DetailAction, "STARTED", "A")
		require.NotNil(t, started)
		require.Len(t, started.InputArtifacts, 1)
		evs = h.eventsOf(func() { h.fail(id, "S2", "A") })
		failed := findEvent(evs, sluice.DetailAction, "FAILED", "A")
		require.NotNil(t, failed)
		require.Equal(t, sluice.FailureJobFailed, failed.Result.ErrorCode)
		require.Equal(t, "Compute", failed.ActionType.Category)
	})
	t.Run("ApprovalNeeded", func(t *testing.T) {
		t.Parallel()
		gate := approval("Gate", 1)
		gate.Configuration = map[string]string{"NotificationArn": "arn:aws:sns:us-east-1:000000000000:ops",
			"CustomData": "look #{codepipeline.PipelineExecutionId}", "ExternalEntityLink": "https://example.com/x"}
		h := newHarness(t, sluice.PipelineDeclaration{Stages: []sluice.StageDeclaration{source(), stage("Prod", gate)}})
		id := h.start()
		evs := h.eventsOf(func() { h.succeed(id, "Source", "Src") })
		need := findEvent(evs, sluice.DetailApprovalNeeded, "NEEDED", "Gate")
		require.NotNil(t, need)
		require.Equal(t, sluice.SourceSluice, need.Source)
		run := h.run(id, "Prod", "Gate")
		require.Equal(t, run.ID, need.Approval.Token, "the token is the action execution id")
		require.Equal(t, run.Deadline, need.Approval.Expires)
		require.Equal(t, "arn:aws:sns:us-east-1:000000000000:ops", need.Approval.NotificationARN)
		require.Equal(t, "look "+id, need.Approval.CustomData, "custom data is resolved")
	})
	t.Run("StopComment", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, threeStages(sluice.ModeQueued))
		id := h.start()
		evs := h.eventsOf(func() { h.must(Stop{ExecutionID: id, Reason: "bad build"}) })
		ev := findEvent(evs, sluice.DetailExecution, "STOPPING", "")
		require.NotNil(t, ev)
		require.Equal(t, "bad build", ev.StopComment)
	})
}
