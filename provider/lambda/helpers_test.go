package lambda

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/jobcreds"
	"sluice/jobqueue"
	"sluice/jobwire"
)

var now = time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)

type fixedClock struct{}

func (fixedClock) Now() time.Time { return now }

type fixedIDs struct{}

func (fixedIDs) NewID() string { return "delivery-1" }

// store is the job store as the invoker uses it: claims hand out the queued jobs, and
// acknowledgements are recorded (or refused with ackErr).
type store struct {
	sluice.JobStore // the methods the invoker does not call
	mu              sync.Mutex
	queued          []*sluice.Job
	acks            map[string]time.Time
	ackErr          error
	acked           chan string
}

func (s *store) ClaimJobs(_ context.Context, p sluice.ClaimParams) ([]*sluice.Job, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := min(p.Limit, len(s.queued))
	jobs := s.queued[:n]
	s.queued = s.queued[n:]
	for _, j := range jobs {
		j.Status, j.Worker, j.Nonce = sluice.JobDispatched, p.Worker, "nonce-"+j.ID
		j.LeaseExpiresAt = p.Now.Add(p.LeaseFor)
	}
	return jobs, nil
}

func (s *store) AcknowledgeJob(_ context.Context, id, _ string, until time.Time) (*sluice.Job, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ackErr != nil {
		return nil, s.ackErr
	}
	s.acks[id] = until
	select {
	case s.acked <- id:
	default:
	}
	return &sluice.Job{ID: id, Status: sluice.JobInProgress}, nil
}

// functions is a registry of one function per name.
type functions map[string]*sluice.Function

func (f functions) GetFunction(_ context.Context, name string) (*sluice.Function, error) {
	if fn, ok := f[name]; ok {
		return fn, nil
	}
	return nil, sluice.Errorf(sluice.ENotFound, "Function", "Function not found: %s", name)
}

// bundle is an invoker on a fake store, with what it reported.
type bundle struct {
	inv     *Invoker
	store   *store
	mu      sync.Mutex
	reports []sluice.JobResult
}

const secret = "0123456789abcdef-secret"

// setup returns an invoker whose function "fn" is served by h.
func setup(t *testing.T, h http.HandlerFunc) *bundle {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	st := &store{acks: map[string]time.Time{}, acked: make(chan string, 10)}
	b := &bundle{store: st}
	b.inv = &Invoker{Queue: &jobqueue.Queue{Store: st, Clock: fixedClock{}, Lease: time.Minute},
		Functions: functions{"fn": {Name: "fn", URL: srv.URL + "/hook", Secret: secret}},
		Wire: &jobwire.Maker{Account: "000000000000", Issuer: jobcreds.New("root"),
			Locate: func(key string) (string, string) { return "sluice-artifacts", key }},
		Report: func(_ context.Context, _ *sluice.Job, res sluice.JobResult) error {
			b.mu.Lock()
			defer b.mu.Unlock()
			b.reports = append(b.reports, res)
			return nil
		},
		IDs: fixedIDs{}, Worker: string(sluice.WorkerLambda) + ":test", Window: 5 * time.Minute, Backoff: time.Millisecond,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	b.inv.defaults()
	return b
}

// job is a claimed Lambda job naming function.
func job(function string) *sluice.Job {
	return &sluice.Job{ID: "job-1", Nonce: "nonce-1", ActionType: Type, Status: sluice.JobDispatched, PipelineName: "app",
		Data: sluice.JobData{Configuration: map[string]string{"FunctionName": function, "UserParameters": "hello"}}}
}

// failure is the one result reported.
func (b *bundle) failure(t *testing.T) sluice.JobResult {
	t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	require.Len(t, b.reports, 1)
	require.False(t, b.reports[0].Success)
	return b.reports[0]
}

func (b *bundle) noReport(t *testing.T) {
	t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	require.Empty(t, b.reports)
}
