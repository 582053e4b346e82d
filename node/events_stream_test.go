package node_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"
	"github.com/stretchr/testify/require"

	"sluice/logclient"
)

// streamed is one event of the stream, decoded.
type streamed struct {
	id  int64
	env struct {
		ID         string   `json:"id"`
		DetailType string   `json:"detail-type"`
		Source     string   `json:"source"`
		Resources  []string `json:"resources"`
		Detail     struct {
			Pipeline    string          `json:"pipeline"`
			ExecutionID string          `json:"execution-id"`
			Stage       string          `json:"stage"`
			Action      string          `json:"action"`
			State       string          `json:"state"`
			Trigger     json.RawMessage `json:"execution-trigger"`
			StartTime   string          `json:"start-time"`
		} `json:"detail"`
	}
}

func eventsClient(b *bundle) *logclient.Client {
	return &logclient.Client{BaseURL: b.URL, Credentials: credentials.NewStaticCredentialsProvider(testKeyID, testSecret, "")}
}

// follow reads the stream in the background until stop returns true for an event, and
// returns what it read.
func follow(t *testing.T, c *logclient.Client, p logclient.EventsParams, stop func(streamed) bool) <-chan []streamed {
	t.Helper()
	out := make(chan []streamed, 1)
	ready := make(chan struct{})
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	go func() {
		defer cancel()
		var got []streamed
		done := errors.New("done")
		p.Follow = true
		close(ready)
		_, err := c.Events(ctx, p, func(ev logclient.StreamEvent) error {
			var s streamed
			s.id = ev.ID
			if err := json.Unmarshal([]byte(ev.Data), &s.env); err != nil {
				return err
			}
			got = append(got, s)
			if stop(s) {
				return done
			}
			return nil
		})
		if !errors.Is(err, done) {
			t.Errorf("stream ended: %v", err)
		}
		out <- got
	}()
	<-ready
	return out
}

func TestEventStream(t *testing.T) {
	t.Parallel()
	c := setupConformance(t)
	ec := eventsClient(c.bundle)

	// From the start of what is kept: the pipeline's events, whenever the stream connects.
	got := follow(t, ec, logclient.EventsParams{After: 0, Pipeline: "stream-ok"}, func(s streamed) bool {
		return s.env.DetailType == "CodePipeline Pipeline Execution State Change" && s.env.Detail.State == "SUCCEEDED"
	})
	exec := c.Create(t, pipeline("stream-ok", stage("Build", cmdAction("Compile", "true"))))
	c.WaitStatus(t, "stream-ok", exec, types.PipelineExecutionStatusSucceeded)
	evs := <-got

	var states []string
	for i, s := range evs {
		require.Equal(t, "stream-ok", s.env.Detail.Pipeline, "filtered by pipeline")
		require.Equal(t, exec, s.env.Detail.ExecutionID)
		require.NotEmpty(t, s.env.ID)
		require.NotEmpty(t, s.env.Detail.StartTime)
		if i > 0 {
			require.Greater(t, s.id, evs[i-1].id, "in commit order")
		}
		states = append(states, s.env.Detail.Stage+"/"+s.env.Detail.Action+" "+s.env.Detail.State)
	}
	require.Equal(t, []string{"/ STARTED", "Source/ STARTED", "Source/Source STARTED", "Source/Source SUCCEEDED", "Source/ SUCCEEDED",
		"Build/ STARTED", "Build/Compile STARTED", "Build/Compile SUCCEEDED", "Build/ SUCCEEDED", "/ SUCCEEDED"}, states)
	require.JSONEq(t, `{"trigger-type":"CreatePipeline","trigger-detail":"arn:aws:iam::`+c.Node.Config.Account+`:root"}`, string(evs[0].env.Detail.Trigger))

	t.Run("ResumesWithTheSameIDs", func(t *testing.T) {
		var again []streamed
		_, err := ec.Events(c.ctx, logclient.EventsParams{After: evs[3].id, Pipeline: "stream-ok"}, func(ev logclient.StreamEvent) error {
			var s streamed
			s.id = ev.ID
			require.NoError(t, json.Unmarshal([]byte(ev.Data), &s.env))
			again = append(again, s)
			return nil
		})
		require.NoError(t, err)
		require.Len(t, again, len(evs)-4)
		for i, s := range again {
			require.Equal(t, evs[4+i].env.ID, s.env.ID, "a replayed event keeps its id")
		}
	})
	t.Run("TypeFilter", func(t *testing.T) {
		var n int
		_, err := ec.Events(c.ctx, logclient.EventsParams{After: 0, Pipeline: "stream-ok", Types: []string{"CodePipeline Stage Execution State Change"}},
			func(ev logclient.StreamEvent) error {
				require.Equal(t, "CodePipeline Stage Execution State Change", ev.DetailType)
				n++
				return nil
			})
		require.NoError(t, err)
		require.Equal(t, 4, n)
	})
	t.Run("Unsigned", func(t *testing.T) {
		bad := &logclient.Client{BaseURL: c.URL, Credentials: credentials.NewStaticCredentialsProvider(testKeyID, "wrong-secret", "")}
		_, err := bad.Events(c.ctx, logclient.EventsParams{After: -1}, func(logclient.StreamEvent) error { return nil })
		var le *logclient.Error
		require.ErrorAs(t, err, &le)
		require.Equal(t, 403, le.StatusCode, "a request with a bad signature is refused")
	})
}
