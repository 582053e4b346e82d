package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/codecommit"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"
	"github.com/stretchr/testify/require"

	"sluice/client"
	"sluice/logclient"
)

// eventSink is an HTTP receiver of EventBridge events, as a rule's HTTP target posts them.
type eventSink struct {
	mu     sync.Mutex
	byID   map[string]string // event id -> its key; a duplicate must have the same key
	keys   map[string]bool
	posts  int
	signal chan struct{}
}

func newEventSink(t *testing.T) (*eventSink, string) {
	s := &eventSink{byID: map[string]string{}, keys: map[string]bool{}, signal: make(chan struct{}, 1)}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		var ev eventKeyed
		if err := json.Unmarshal(body, &ev); err != nil {
			t.Errorf("the receiver got a body that is not an event: %s", body)
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		s.mu.Lock()
		if prev, ok := s.byID[ev.ID]; ok && prev != ev.key() {
			t.Errorf("event %s came twice with different contents: %s, then %s", ev.ID, prev, ev.key())
		}
		s.byID[ev.ID] = ev.key()
		s.keys[ev.key()] = true
		s.posts++
		s.mu.Unlock()
		select {
		case s.signal <- struct{}{}:
		default:
		}
	}))
	t.Cleanup(srv.Close)
	return s, srv.URL
}

// eventKeyed is what identifies a state change: its level, execution, stage, action (run)
// and state.
type eventKeyed struct {
	ID         string `json:"id"`
	DetailType string `json:"detail-type"`
	Detail     struct {
		ExecutionID       string `json:"execution-id"`
		Stage             string `json:"stage"`
		ActionExecutionID string `json:"action-execution-id"`
		State             string `json:"state"`
	} `json:"detail"`
}

func (e eventKeyed) key() string {
	d := e.Detail
	return fmt.Sprintf("%s|%s|%s|%s|%s", e.DetailType, d.ExecutionID, d.Stage, d.ActionExecutionID, d.State)
}

func (s *eventSink) has(key string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.keys[key]
}

func (s *eventSink) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.byID)
}

// TestEventsSurviveKill kills the server with SIGKILL while executions run and checks that
// afterwards every state change of the history reached an HTTP receiver: the events written
// before the kill are delivered after the restart (at least once, each with one id), and
// every event in the server's stream and every execution and action run of the history has
// its events at the receiver.
func TestEventsSurviveKill(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	data := filepath.Join(root, "data")
	addr := freeAddr(t)
	srv := startServer(t, data, addr, "--sandbox=off", "--allow-local-destinations")
	url := "http://" + addr
	cp, cc := clients(url, testKeyID, testSecret)
	ctx := context.Background()
	sink, sinkURL := newEventSink(t)

	creds := credentials.NewStaticCredentialsProvider(testKeyID, testSecret, "")
	events := client.New(url, "us-east-1", creds, nil)
	require.NoError(t, events.Call(ctx, "AWSEvents.PutRule", "events", map[string]any{"Name": "everything",
		"EventPattern": `{"source":["aws.codepipeline"]}`}, nil))
	require.NoError(t, events.Call(ctx, "AWSEvents.PutTargets", "events", map[string]any{"Rule": "everything",
		"Targets": []map[string]any{{"Id": "receiver", "Arn": sinkURL + "/events"}}}, nil))

	_, err := cc.CreateRepository(ctx, &codecommit.CreateRepositoryInput{RepositoryName: aws.String("app")})
	require.NoError(t, err)
	b := &bundle{URL: url, CP: cp, CC: cc}
	pushApp(t, b, "hello")
	p := pipeline("busy",
		stage("Build", cmdAction("One", "sleep 0.2"), cmdAction("Two", "sleep 0.3"), cmdAction("Three", "true")),
		stage("Deploy", cmdAction("Ship", "sleep 0.2"), cmdAction("Check", "true")))
	p.Stages[0].Actions[0].Configuration["RepositoryName"] = "app"
	p.ExecutionMode = types.ExecutionModeParallel
	_, err = cp.CreatePipeline(ctx, &codepipeline.CreatePipelineInput{Pipeline: p})
	require.NoError(t, err)
	for range 5 {
		_, err := cp.StartPipelineExecution(ctx, &codepipeline.StartPipelineExecutionInput{Name: aws.String("busy")})
		require.NoError(t, err)
	}
	// Kill it in the middle: some events delivered, many written and not yet sent.
	for sink.count() < 15 {
		<-sink.signal
	}
	srv.kill()
	srv = startServer(t, data, addr, "--sandbox=off", "--allow-local-destinations")

	var execs []types.PipelineExecutionSummary
	poll(t, "every execution to end", func() bool {
		out, err := cp.ListPipelineExecutions(ctx, &codepipeline.ListPipelineExecutionsInput{PipelineName: aws.String("busy")})
		require.NoError(t, err)
		execs = out.PipelineExecutionSummaries
		for _, e := range execs {
			if e.Status == types.PipelineExecutionStatusInProgress || e.Status == types.PipelineExecutionStatusStopping {
				return false
			}
		}
		return len(execs) == 6
	})

	// What the history says happened: each execution started and ended, each action run
	// ended (and, when it did not fail at once, started).
	want := map[string]bool{}
	for _, e := range execs {
		id := aws.ToString(e.PipelineExecutionId)
		want[fmt.Sprintf("CodePipeline Pipeline Execution State Change|%s|||STARTED", id)] = true
		want[fmt.Sprintf("CodePipeline Pipeline Execution State Change|%s|||%s", id, eventState(string(e.Status)))] = true
	}
	runs, err := cp.ListActionExecutions(ctx, &codepipeline.ListActionExecutionsInput{PipelineName: aws.String("busy"), MaxResults: aws.Int32(100)})
	require.NoError(t, err)
	require.NotEmpty(t, runs.ActionExecutionDetails)
	for _, r := range runs.ActionExecutionDetails {
		prefix := fmt.Sprintf("CodePipeline Action Execution State Change|%s|%s|%s|", aws.ToString(r.PipelineExecutionId), aws.ToString(r.StageName), aws.ToString(r.ActionExecutionId))
		want[prefix+"STARTED"] = true
		want[prefix+eventState(string(r.Status))] = true
	}
	// What the server's own stream kept: every event it emitted.
	ec := &logclient.Client{BaseURL: url, Credentials: creds}
	_, err = ec.Events(ctx, logclient.EventsParams{After: 0, Pipeline: "busy"}, func(ev logclient.StreamEvent) error {
		var k eventKeyed
		require.NoError(t, json.Unmarshal([]byte(ev.Data), &k))
		want[k.key()] = true
		return nil
	})
	require.NoError(t, err)

	poll(t, "every state change at the receiver", func() bool {
		for k := range want {
			if !sink.has(k) {
				return false
			}
		}
		return true
	})
	t.Logf("%d state changes, %d distinct events received, %d posts (duplicates are redeliveries)", len(want), sink.count(), sink.posts)
	_ = srv
}

// eventState is the event state of an API status.
func eventState(status string) string {
	switch status {
	case "Cancelled":
		return "CANCELED"
	default:
		out := []byte(status)
		for i, c := range out {
			if c >= 'a' && c <= 'z' {
				out[i] = c - 'a' + 'A'
			}
		}
		return string(out)
	}
}
