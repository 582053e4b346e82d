package jobqueue

import (
	"context"
	"sync/atomic"
	"time"

	"sluice"
)

// Queue claims jobs for workers and wakes them when jobs are queued.
type Queue struct {
	Store sluice.JobStore
	Clock sluice.Clock
	// Lease is how long a claimed job stays with its worker without a heartbeat.
	Lease  time.Duration
	signal Signal
	wakes  atomic.Uint64
}

// Wake tells waiting workers that jobs were queued.
func (q *Queue) Wake() {
	q.wakes.Add(1)
	q.signal.Notify()
}

// Follow wakes the queue's waiting workers after every committed notification of
// sluice.TopicJobs (a job inserted or put back Queued) until ctx ends. The store, not the
// writer, tells: so the commits of any writer of the store wake them, another server's too
// once the store carries notifications between processes. It returns once subscribed.
func (q *Queue) Follow(ctx context.Context, n sluice.Notifier) error {
	ch, err := n.Listen(ctx, sluice.TopicJobs)
	if err != nil {
		return err
	}
	go func() {
		for range ch { // closed when ctx ends
			q.Wake()
		}
	}()
	return nil
}

// Wakes counts Wake calls: a worker that saw the queue empty at one count need not look
// again until it changes.
func (q *Queue) Wakes() uint64 { return q.wakes.Load() }

// Claim takes up to p.Limit queued jobs at once.
func (q *Queue) Claim(ctx context.Context, p sluice.ClaimParams) ([]*sluice.Job, error) {
	p.Now = q.Clock.Now()
	if p.LeaseFor == 0 {
		p.LeaseFor = q.Lease
	}
	if p.Limit <= 0 {
		p.Limit = 1
	}
	return q.Store.ClaimJobs(ctx, p)
}

// Wait claims jobs, waiting up to max for one to be queued (a long poll); it returns no
// jobs and no error when max passes.
func (q *Queue) Wait(ctx context.Context, p sluice.ClaimParams, max time.Duration) ([]*sluice.Job, error) {
	timer := time.NewTimer(max)
	defer timer.Stop()
	for {
		woken := q.signal.C()
		jobs, err := q.Claim(ctx, p)
		if err != nil || len(jobs) > 0 {
			return jobs, err
		}
		select {
		case <-woken:
		case <-timer.C:
			return nil, nil
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}
