package eventforward

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/eventbus"
)

const bus = "arn:aws:events:eu-west-1:111122223333:event-bus/sluice"

// fake is a fake EventBridge: it records each PutEvents call's entries and answers each
// entry with the code fail gives it ("" takes it).
type fake struct {
	mu    sync.Mutex
	calls [][]entry
	auth  []string
	fail  func(call int, e entry) string
}

func (f *fake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if r.Header.Get("X-Amz-Target") != "AWSEvents.PutEvents" {
		http.Error(w, `{"__type":"UnknownOperationException"}`, http.StatusBadRequest)
		return
	}
	b, _ := io.ReadAll(r.Body)
	var in struct{ Entries []entry }
	if err := json.Unmarshal(b, &in); err != nil {
		http.Error(w, `{"__type":"SerializationException"}`, http.StatusBadRequest)
		return
	}
	f.calls = append(f.calls, in.Entries)
	f.auth = append(f.auth, r.Header.Get("Authorization"))
	var out putResult
	for _, e := range in.Entries {
		code := ""
		if f.fail != nil {
			code = f.fail(len(f.calls), e)
		}
		if code != "" {
			out.FailedEntryCount++
			out.Entries = append(out.Entries, struct{ EventId, ErrorCode, ErrorMessage string }{"", code, "no"})
		} else {
			out.Entries = append(out.Entries, struct{ EventId, ErrorCode, ErrorMessage string }{"id", "", ""})
		}
	}
	_ = json.NewEncoder(w).Encode(out)
}

func setup(t *testing.T, fail func(int, entry) string) (*Forwarder, *fake) {
	t.Helper()
	fk := &fake{fail: fail}
	srv := httptest.NewServer(fk)
	t.Cleanup(srv.Close)
	scope := eventbus.Scope{ARNScope: sluice.ARNScope{Region: "eu-west-1", Account: "111122223333"}, Salt: "s"}
	return &Forwarder{Bus: bus, Region: "eu-west-1", Endpoint: srv.URL, Scope: scope,
		Credentials: credentials.NewStaticCredentialsProvider("AKIDFORWARD", "secret", ""),
		Log:         slog.New(slog.NewTextHandler(io.Discard, nil))}, fk
}

func records(n int) []*sluice.OutboxRecord {
	var out []*sluice.OutboxRecord
	for i := range n {
		out = append(out, &sluice.OutboxRecord{ID: int64(i + 1), Event: sluice.Event{DetailType: sluice.DetailExecution, State: "FAILED",
			PipelineName: "web", ExecutionID: "e1", Version: 1, Time: time.Date(2026, 12, 7, 10, 0, i, 0, time.UTC)}})
	}
	return out
}

func TestForward(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		f, fk := setup(t, nil)
		require.NoError(t, f.Handle(ctx, records(12)))
		require.Len(t, fk.calls, 2, "ten entries a call")
		require.Len(t, fk.calls[0], 10)
		e := fk.calls[0][0]
		require.Equal(t, "sluice.codepipeline", e.Source, "EventBridge refuses aws.* sources from PutEvents")
		require.Equal(t, sluice.DetailExecution, e.DetailType)
		require.Equal(t, bus, e.EventBusName)
		require.Equal(t, []string{"arn:aws:codepipeline:eu-west-1:111122223333:web"}, e.Resources)
		require.Equal(t, time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC).Unix(), e.Time)
		env := f.Scope.Envelope(records(1)[0])
		require.JSONEq(t, string(env.Detail), e.Detail)
		require.True(t, strings.HasPrefix(fk.auth[0], "AWS4-HMAC-SHA256 Credential=AKIDFORWARD/"), fk.auth[0])
		require.Contains(t, fk.auth[0], "/eu-west-1/events/aws4_request")
	})

	t.Run("ThrottledEntriesGoAgain", func(t *testing.T) {
		t.Parallel()
		f, fk := setup(t, func(call int, e entry) string {
			if call == 1 && e.Time%2 == 1 {
				return "ThrottlingException"
			}
			return ""
		})
		require.NoError(t, f.Handle(ctx, records(4)))
		require.Len(t, fk.calls, 2)
		require.Len(t, fk.calls[1], 2, "only the throttled entries are sent again")
	})

	t.Run("RefusedEntriesAreDropped", func(t *testing.T) {
		t.Parallel()
		f, fk := setup(t, func(int, entry) string { return "MalformedDetail" })
		require.NoError(t, f.Handle(ctx, records(2)))
		require.Len(t, fk.calls, 1)
	})

	t.Run("ErrKeepsFailing", func(t *testing.T) {
		t.Parallel()
		f, fk := setup(t, func(int, entry) string { return "InternalFailure" })
		f.Retries = 1
		require.Error(t, f.Handle(ctx, records(1)), "the batch comes again")
		require.Len(t, fk.calls, 2)
	})

	t.Run("ErrUnreachable", func(t *testing.T) {
		t.Parallel()
		f, _ := setup(t, nil)
		f.Endpoint = "http://127.0.0.1:1"
		require.Error(t, f.Handle(ctx, records(1)))
	})
}
