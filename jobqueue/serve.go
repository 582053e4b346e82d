package jobqueue

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"sluice"
)

// Serve runs the claim loop of a job runner: while fewer than capacity jobs run, it asks
// claim for up to as many jobs as there is room for (claim may wait for them: a long poll)
// and runs each in its own goroutine with run. It stops when ctx ends, or when claim returns
// an error, which Serve returns once the jobs it started have returned. Claim handles the
// failures it can outlive itself (it logs them and waits before it returns no jobs), so a
// failing source is not asked in a busy loop.
//
// The server's job runners (provider/lambda, provider/alarm) claim from a Queue
// (Queue.Consume); the remote worker long-polls the API. Serve needs nothing but the
// standard library, so the remote worker takes nothing of the server with it.
func Serve[J any](ctx context.Context, capacity int, claim func(ctx context.Context, limit int) ([]J, error), run func(J)) error {
	s := slots(make(chan struct{}, max(capacity, 1)))
	var wg sync.WaitGroup
	defer wg.Wait()
	for ctx.Err() == nil {
		free := s.acquire(ctx)
		if free == 0 {
			break
		}
		jobs, err := claim(ctx, free)
		s.release(free - len(jobs))
		for _, j := range jobs {
			wg.Go(func() {
				defer s.release(1)
				run(j)
			})
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// Consume serves the jobs of p from the queue (Serve, claiming with Wait): up to capacity
// at once, each claimed as soon as it is queued and run with run, until ctx ends. p.Limit
// is set to the room there is; a store that fails is logged and asked again a second later.
func (q *Queue) Consume(ctx context.Context, p sluice.ClaimParams, capacity int, log *slog.Logger, run func(*sluice.Job)) {
	_ = Serve(ctx, capacity, func(ctx context.Context, limit int) ([]*sluice.Job, error) {
		p.Limit = limit
		jobs, err := q.Wait(ctx, p, safetyNet)
		if err != nil && ctx.Err() == nil {
			log.Error("claim jobs", "types", p.Types, "err", err)
			sleepCtx(ctx, time.Second) // the store is failing: do not spin
		}
		return jobs, nil
	}, run)
}

// safetyNet is how long a consumer waits for a wake-up before it looks at the queue anyway,
// as the in-process pool does: every job queued wakes it at once.
const safetyNet = time.Minute

// slots bound the jobs a runner runs at once: a slot is taken for each.
type slots chan struct{}

// acquire waits for a free slot and takes every free one; 0 when ctx ended.
func (s slots) acquire(ctx context.Context) int {
	select {
	case s <- struct{}{}:
	case <-ctx.Done():
		return 0
	}
	n := 1
	for {
		select {
		case s <- struct{}{}:
			n++
		default:
			return n
		}
	}
}

func (s slots) release(n int) {
	for range n {
		<-s
	}
}
