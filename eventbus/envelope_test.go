package eventbus

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"sluice"
)

func TestEnvelope(t *testing.T) {
	t.Parallel()
	scope := Scope{ARNScope: sluice.ARNScope{Region: "eu-west-1", Account: "111122223333"}, Bucket: "sluice-artifacts", Salt: "srv"}
	start := time.Date(2025, 1, 2, 3, 0, 0, 123e6, time.UTC)
	rec := &sluice.OutboxRecord{ID: 42, Event: sluice.Event{DetailType: sluice.DetailAction, State: "FAILED", PipelineName: "web",
		ExecutionID: "e1", Stage: "Build", Action: "Compile", ActionRunID: "a1", Version: 4, Attempt: 1, StartTime: start,
		Time:       time.Date(2025, 1, 2, 3, 4, 5, 999, time.UTC),
		ActionType: &sluice.ActionTypeID{Owner: "AWS", Provider: "CodeBuild", Category: "Build", Version: "1"},
		Result:     &sluice.EventResult{Summary: "Build terminated with state: FAILED", ExternalID: "web-build:x", ErrorCode: "JobFailed"}}}

	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		got := string(scope.Envelope(rec).JSON())
		require.JSONEq(t, `{"version":"0","id":"`+EventID("srv", 42)+`","detail-type":"CodePipeline Action Execution State Change",
		 "source":"aws.codepipeline","account":"111122223333","time":"2025-01-02T03:04:05Z","region":"eu-west-1",
		 "resources":["arn:aws:codepipeline:eu-west-1:111122223333:web"],
		 "detail":{"pipeline":"web","execution-id":"e1","start-time":"2025-01-02T03:00:00.123Z","stage":"Build","action":"Compile",
		  "action-execution-id":"a1","state":"FAILED","region":"eu-west-1",
		  "type":{"owner":"AWS","provider":"CodeBuild","category":"Build","version":"1"},
		  "execution-result":{"external-execution-summary":"Build terminated with state: FAILED","external-execution-id":"web-build:x","error-code":"JobFailed"},
		  "version":4.0,"pipeline-execution-attempt":1.0}}`, got)
		require.Contains(t, got, `"version":4.0,"pipeline-execution-attempt":1.0`, "numbers keep their fraction as AWS writes them")
	})
	t.Run("StableID", func(t *testing.T) {
		t.Parallel()
		require.Equal(t, scope.Envelope(rec).ID, scope.Envelope(rec).ID)
		require.NotEqual(t, EventID("srv", 42), EventID("srv", 43))
		require.NotEqual(t, EventID("srv", 42), EventID("other", 42))
		require.Regexp(t, `^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`, EventID("srv", 42))
	})
	t.Run("Scheduled", func(t *testing.T) {
		t.Parallel()
		r := &sluice.OutboxRecord{ID: 7, Event: sluice.Event{Source: sluice.SourceSchedule, DetailType: sluice.DetailScheduled,
			Rule: "arn:aws:events:eu-west-1:111122223333:rule/nightly", Time: start}}
		var v map[string]any
		require.NoError(t, json.Unmarshal(scope.Envelope(r).JSON(), &v))
		require.Equal(t, "aws.events", v["source"])
		require.Equal(t, []any{"arn:aws:events:eu-west-1:111122223333:rule/nightly"}, v["resources"])
		require.Equal(t, map[string]any{}, v["detail"])
	})
}
