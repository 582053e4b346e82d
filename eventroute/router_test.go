package eventroute

import (
	"context"
	"encoding/json"
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/eventbus"
)

func setup(t *testing.T) (*Router, *[]sluice.PublishInput) {
	var got []sluice.PublishInput
	r := &Router{Scope: eventbus.Scope{ARNScope: sluice.ARNScope{Region: "eu-west-1", Account: "111122223333"}, Salt: "s"},
		ConsoleURL: "https://sluice.example.com/", Log: slog.New(slog.DiscardHandler),
		Publish: func(_ context.Context, in sluice.PublishInput) error { got = append(got, in); return nil }}
	return r, &got
}

func approvalRecord(id int64, topic string) *sluice.OutboxRecord {
	return &sluice.OutboxRecord{ID: id, Event: sluice.Event{Source: sluice.SourceSluice, DetailType: sluice.DetailApprovalNeeded,
		State: "NEEDED", PipelineName: "web", ExecutionID: "e1", Stage: "Prod", Action: "Approve", ActionRunID: "tok",
		Time: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC),
		Approval: &sluice.ApprovalNotice{NotificationARN: topic, Token: "tok", CustomData: "Check the canary dashboard",
			Expires: time.Date(2025, 1, 9, 3, 4, 59, 0, time.UTC)}}}
}

func TestApprovalMessage(t *testing.T) {
	t.Parallel()
	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		r, got := setup(t)
		require.NoError(t, r.Handle(t.Context(), []*sluice.OutboxRecord{approvalRecord(5, "arn:aws:sns:eu-west-1:111122223333:ops")}))
		require.Len(t, *got, 1)
		in := (*got)[0]
		require.Equal(t, "arn:aws:sns:eu-west-1:111122223333:ops", in.TopicARN)
		require.Equal(t, "APPROVAL NEEDED: AWS CodePipeline web for action Approve", in.Subject)
		require.Equal(t, "json", in.MessageStructure)
		require.Equal(t, eventbus.EventID("s", 5), in.DedupeKey, "a redelivered event publishes under the same key")
		var structured map[string]string
		require.NoError(t, json.Unmarshal([]byte(in.Message), &structured))
		require.JSONEq(t, `{"region":"eu-west-1","consoleLink":"https://sluice.example.com/pipelines/web",
		  "approval":{"pipelineName":"web","stageName":"Prod","actionName":"Approve","token":"tok","expires":"2025-01-09T03:04Z",
		  "externalEntityLink":null,"approvalReviewLink":"https://sluice.example.com/pipelines/web#approve-Prod-Approve",
		  "customData":"Check the canary dashboard"}}`, structured["default"])
		require.Contains(t, structured["email"], "Approve or reject: https://sluice.example.com/pipelines/web#approve-Prod-Approve")
		require.Contains(t, structured["email"], "Additional information: Check the canary dashboard")
	})
	t.Run("NoTopicNoMessage", func(t *testing.T) {
		t.Parallel()
		r, got := setup(t)
		require.NoError(t, r.Handle(t.Context(), []*sluice.OutboxRecord{approvalRecord(5, "")}))
		require.Empty(t, *got)
	})
	t.Run("GoneTopicIsNotRetried", func(t *testing.T) {
		t.Parallel()
		r, _ := setup(t)
		r.Publish = func(context.Context, sluice.PublishInput) error {
			return sluice.Errorf(sluice.ENotFound, "Topic", "Topic does not exist")
		}
		require.NoError(t, r.Handle(t.Context(), []*sluice.OutboxRecord{approvalRecord(5, "arn:aws:sns:eu-west-1:111122223333:gone")}))
	})
	t.Run("LongNamesAreCut", func(t *testing.T) {
		t.Parallel()
		s := approvalSubject("a-very-long-pipeline-name-indeed-yes", "Approve")
		require.Equal(t, "APPROVAL NEEDED: AWS CodePipeline a-very-long-pipeline-nam... for action Approve", s)
		require.LessOrEqual(t, len(approvalSubject(string(make([]byte, 100)), string(make([]byte, 100)))), 100)
	})
}

func TestRoutesInOrder(t *testing.T) {
	t.Parallel()
	r, _ := setup(t)
	var seen []string
	r.Rules = func(_ context.Context, env *eventbus.Envelope) error {
		seen = append(seen, "rules:"+env.ID)
		return nil
	}
	r.Notifications = func(_ context.Context, env *eventbus.Envelope) error {
		seen = append(seen, "notify:"+env.ID)
		return nil
	}
	recs := []*sluice.OutboxRecord{{ID: 1, Event: sluice.Event{DetailType: sluice.DetailExecution, State: "STARTED", PipelineName: "web"}},
		{ID: 2, Event: sluice.Event{DetailType: sluice.DetailExecution, State: "FAILED", PipelineName: "web"}}}
	require.NoError(t, r.Handle(t.Context(), recs))
	id1, id2 := eventbus.EventID("s", 1), eventbus.EventID("s", 2)
	require.Equal(t, []string{"rules:" + id1, "notify:" + id1, "rules:" + id2, "notify:" + id2}, seen)

	r.Rules = func(context.Context, *eventbus.Envelope) error {
		return sluice.Errorf(sluice.EInternal, "", "database is locked")
	}
	require.Error(t, r.Handle(t.Context(), recs), "a transient failure leaves the batch to come again")
}
