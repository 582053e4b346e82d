package jobqueue

import (
	"context"
	"log/slog"
	"time"

	"sluice"
)

// KeepLease extends the lease of a job claimed from the queue every third of the lease
// until stopped. When the store says the job is no longer the claimer's (closed, handed to
// another worker, or deleted with its pipeline), it calls closed with that error and stops:
// closed stops the job's work rather than let it run to its deadline. Other failures are
// logged and the next tick tries again.
func (q *Queue) KeepLease(ctx context.Context, job *sluice.Job, log *slog.Logger, closed func(error)) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(q.Lease / 3)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			err := q.Store.ExtendLease(ctx, job.ID, job.Nonce, q.Clock.Now().Add(q.Lease))
			switch {
			case err == nil || ctx.Err() != nil:
			case sluice.IsCode(err, sluice.ENotFound), sluice.IsCode(err, sluice.EInvalidJobState), sluice.IsCode(err, sluice.EInvalidNonce):
				closed(err)
				return
			default:
				log.Warn("extend lease", "job", job.ID, "err", err)
			}
		}
	}()
	return func() { cancel(); <-done }
}
