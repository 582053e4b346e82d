package logclient_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/api/sigv4"
	"sluice/logclient"
)

const (
	testKeyID  = "AKIALOGCLIENT0000001"
	testSecret = "logclient-secret-000000000000000000000000"
)

// server is an endpoint that checks signatures as the Sluice server does, answers each
// append with the next of statuses (204 when they run out) and keeps what it accepted.
type server struct {
	url      string
	mu       sync.Mutex
	statuses []int
	appends  []string // accepted bodies, in order
	paths    []string
	got      chan struct{} // one token per request answered
}

func setup(t *testing.T, statuses ...int) *server {
	t.Helper()
	s := &server{statuses: statuses, got: make(chan struct{}, 1000)}
	v := &sigv4.Verifier{Lookup: func(_ context.Context, id string) (string, string, error) {
		if id != testKeyID {
			return "", "", sigv4.ErrUnknownKey
		}
		return testSecret, "tester", nil
	}}
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() { s.got <- struct{}{} }()
		body, err := io.ReadAll(r.Body)
		require.NoError(t, err)
		if _, err := v.Verify(r, body); err != nil {
			http.Error(w, err.Error(), http.StatusForbidden)
			return
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		status := http.StatusNoContent
		if len(s.statuses) > 0 {
			status, s.statuses = s.statuses[0], s.statuses[1:]
		}
		if status == http.StatusNoContent {
			s.appends = append(s.appends, string(body))
			s.paths = append(s.paths, r.Method+" "+r.URL.EscapedPath())
		}
		w.WriteHeader(status)
		_, _ = io.WriteString(w, http.StatusText(status))
	}))
	t.Cleanup(hs.Close)
	s.url = hs.URL
	return s
}

func (s *server) sink(flushBytes int, interval time.Duration) *logclient.Sink {
	sink := logclient.New(s.url, credentials.NewStaticCredentialsProvider(testKeyID, testSecret, ""), "eu-west-1")
	sink.FlushBytes, sink.FlushInterval = flushBytes, interval
	return sink
}

// wait waits for n requests to be answered.
func (s *server) wait(t *testing.T, n int) {
	t.Helper()
	for range n {
		select {
		case <-s.got:
		case <-time.After(time.Minute):
			t.Fatal("the server got no request")
		}
	}
}

func (s *server) accepted() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.appends...)
}

var job = sluice.ActionRef{PipelineName: "app", ActionRunID: "run-1"}

func TestSink(t *testing.T) {
	t.Parallel()

	t.Run("BatchesUntilClose", func(t *testing.T) {
		t.Parallel()
		s := setup(t)
		w, err := s.sink(1<<20, time.Hour).Open(t.Context(), job)
		require.NoError(t, err)
		for _, p := range []string{"one\n", "two\n", "three\n"} {
			_, err := io.WriteString(w, p)
			require.NoError(t, err)
		}
		require.Empty(t, s.accepted())
		require.NoError(t, w.Close())
		require.Equal(t, []string{"one\ntwo\nthree\n"}, s.accepted())
		require.Equal(t, []string{"POST /v1/logs/app/run-1"}, s.paths)
	})
	t.Run("SendsWhenFull", func(t *testing.T) {
		t.Parallel()
		s := setup(t)
		w, err := s.sink(8, time.Hour).Open(t.Context(), job)
		require.NoError(t, err)
		_, err = io.WriteString(w, "12345678\n")
		require.NoError(t, err)
		s.wait(t, 1)
		require.Equal(t, []string{"12345678\n"}, s.accepted())
		require.NoError(t, w.Close())
	})
	t.Run("SendsAfterInterval", func(t *testing.T) {
		t.Parallel()
		s := setup(t)
		w, err := s.sink(1<<20, time.Millisecond).Open(t.Context(), job)
		require.NoError(t, err)
		_, err = io.WriteString(w, "tick\n")
		require.NoError(t, err)
		s.wait(t, 1)
		require.Equal(t, []string{"tick\n"}, s.accepted())
		require.NoError(t, w.Close())
	})
	t.Run("SplitsWhatTheServerTakes", func(t *testing.T) {
		t.Parallel()
		s := setup(t)
		w, err := s.sink(0, time.Hour).Open(t.Context(), job)
		require.NoError(t, err)
		big := strings.Repeat("0123456789abcdef", 160<<10) // 2.5 MiB in one write
		_, err = io.WriteString(w, big)
		require.NoError(t, err)
		require.NoError(t, w.Close())
		got := s.accepted()
		require.Len(t, got, 3)
		for _, part := range got {
			require.LessOrEqual(t, len(part), 1<<20)
		}
		require.Equal(t, big, strings.Join(got, ""))
	})
	t.Run("RetriesAfterAFailure", func(t *testing.T) {
		t.Parallel()
		s := setup(t, http.StatusServiceUnavailable)
		w, err := s.sink(1<<20, time.Millisecond).Open(t.Context(), job)
		require.NoError(t, err)
		_, err = io.WriteString(w, "first\n")
		require.NoError(t, err)
		s.wait(t, 2) // refused once, then taken
		_, err = io.WriteString(w, "second\n")
		require.NoError(t, err)
		require.NoError(t, w.Close())
		require.Equal(t, "first\nsecond\n", strings.Join(s.accepted(), ""))
	})
	t.Run("ErrRefusedStopsSending", func(t *testing.T) {
		t.Parallel()
		s := setup(t, http.StatusConflict)
		w, err := s.sink(1<<20, time.Millisecond).Open(t.Context(), job)
		require.NoError(t, err)
		_, err = io.WriteString(w, "late\n")
		require.NoError(t, err)
		s.wait(t, 1)
		_, err = io.WriteString(w, "later\n")
		require.NoError(t, err)
		err = w.Close()
		var e *logclient.Error
		require.ErrorAs(t, err, &e)
		require.Equal(t, http.StatusConflict, e.StatusCode)
		require.Empty(t, s.accepted())
	})
	t.Run("ErrWrongKey", func(t *testing.T) {
		t.Parallel()
		s := setup(t)
		sink := logclient.New(s.url, credentials.NewStaticCredentialsProvider(testKeyID, "wrong", ""), "")
		w, err := sink.Open(t.Context(), job)
		require.NoError(t, err)
		_, err = io.WriteString(w, "x")
		require.NoError(t, err)
		var e *logclient.Error
		require.ErrorAs(t, w.Close(), &e)
		require.Equal(t, http.StatusForbidden, e.StatusCode)
	})
	t.Run("ErrNoPipeline", func(t *testing.T) {
		t.Parallel()
		_, err := setup(t).sink(0, 0).Open(t.Context(), sluice.ActionRef{ActionRunID: "run-1"})
		require.True(t, sluice.IsCode(err, sluice.EInvalid))
	})
	t.Run("SendsAfterTheJobIsCanceled", func(t *testing.T) {
		t.Parallel()
		s := setup(t)
		ctx, cancel := context.WithCancel(t.Context())
		w, err := s.sink(1<<20, time.Hour).Open(ctx, job)
		require.NoError(t, err)
		_, err = io.WriteString(w, "stopped here\n")
		require.NoError(t, err)
		cancel()
		require.NoError(t, w.Close())
		require.Equal(t, []string{"stopped here\n"}, s.accepted())
	})
}

func TestClientOpenError(t *testing.T) {
	t.Parallel()
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "action execution 'x' of pipeline 'app' not found", http.StatusNotFound)
	}))
	t.Cleanup(hs.Close)
	c := &logclient.Client{BaseURL: hs.URL, Credentials: credentials.NewStaticCredentialsProvider(testKeyID, testSecret, "")}
	_, err := c.Open(t.Context(), logclient.ReadParams{Pipeline: "app", ActionExecutionID: "x"})
	var e *logclient.Error
	require.ErrorAs(t, err, &e)
	require.Equal(t, http.StatusNotFound, e.StatusCode)
	require.Equal(t, "action execution 'x' of pipeline 'app' not found", e.Message)
}
