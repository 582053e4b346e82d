package alarm

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
	"sluice/jobqueue"
)

var now = time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)

type fixedClock struct{}

func (fixedClock) Now() time.Time { return now }

// store is the job store as the watcher uses it: claims hand out the queued jobs, and lease
// extensions are counted (or refused with extendErr).
type store struct {
	sluice.JobStore // the methods the watcher does not call
	mu              sync.Mutex
	queued          []*sluice.Job
	extended        int
	extendErr       error
}

func (s *store) ClaimJobs(_ context.Context, p sluice.ClaimParams) ([]*sluice.Job, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := min(p.Limit, len(s.queued))
	jobs := s.queued[:n]
	s.queued = s.queued[n:]
	for _, j := range jobs {
		j.Status, j.Worker, j.Nonce = sluice.JobDispatched, p.Worker, "nonce-"+j.ID
		if p.Acknowledge {
			j.Status = sluice.JobInProgress
		}
		j.LeaseExpiresAt = p.Now.Add(p.LeaseFor)
	}
	return jobs, nil
}

func (s *store) ExtendLease(context.Context, string, string, time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.extended++
	return s.extendErr
}

func (s *store) extensions() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.extended
}

// bundle is a watcher on a fake store, with what it reported.
type bundle struct {
	w       *Watcher
	store   *store
	reports chan sluice.JobResult
}

// setup returns a watcher of the Prometheus at url that checks every 50ms.
func setup(t *testing.T, url string) *bundle {
	t.Helper()
	st := &store{}
	b := &bundle{store: st, reports: make(chan sluice.JobResult, 10)}
	b.w = &Watcher{Queue: &jobqueue.Queue{Store: st, Clock: fixedClock{}, Lease: time.Minute}, URL: url,
		Report: func(_ context.Context, _ *sluice.Job, res sluice.JobResult) error {
			b.reports <- res
			return nil
		},
		Worker: sluice.LocalWorker("server-1", "alarms").String(), Interval: 50 * time.Millisecond,
		Backoff: time.Millisecond, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	b.w.defaults()
	return b
}

// job is a claimed rule job with configuration cfg.
func job(cfg map[string]string) *sluice.Job {
	return &sluice.Job{ID: "job-1", Nonce: "nonce-1", ActionType: Type, Status: sluice.JobInProgress, PipelineName: "app",
		StageName: "Deploy", ActionName: "NoAlerts",
		Data: sluice.JobData{ActionTypeID: Type, Configuration: cfg, Condition: sluice.ConditionOnSuccess}}
}

// result is the one result the watch reported.
func (b *bundle) result(t *testing.T) sluice.JobResult {
	t.Helper()
	require.Len(t, b.reports, 1)
	res := <-b.reports
	require.Equal(t, "job-1", res.JobID)
	require.Equal(t, "nonce-1", res.Nonce)
	return res
}

// failure is the one result reported, a failure.
func (b *bundle) failure(t *testing.T) sluice.JobResult {
	t.Helper()
	res := b.result(t)
	require.False(t, res.Success, "the rule passed: %s", res.Summary)
	require.Equal(t, res.ErrorMessage, res.Summary)
	return res
}

// answering serves h as a Prometheus would be reached.
func answering(t *testing.T, h http.HandlerFunc) string {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}
