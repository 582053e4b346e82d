package jobqueue

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"sluice"
)

// Rescuer closes jobs whose lease expired: a job never acknowledged goes back to the queue;
// an acknowledged one fails its action with a message saying the worker stopped
// responding, so a pipeline never hangs on a dead worker.
type Rescuer struct {
	Store sluice.JobStore
	Clock sluice.Clock
	Fail  func(context.Context, sluice.JobResult) error
	// Wake, when set, is called after jobs went back to the queue so waiting workers take
	// them now (Queue.Wake); without it they wait for their next look.
	Wake     func()
	Interval time.Duration
	Log      *slog.Logger
}

// Run rescues every Interval until ctx ends.
func (r *Rescuer) Run(ctx context.Context) {
	t := time.NewTicker(r.Interval)
	defer t.Stop()
	for {
		if err := r.RescueOnce(ctx); err != nil && ctx.Err() == nil {
			r.Log.Error("rescue jobs", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// RescueOnce handles every job whose lease has expired now.
func (r *Rescuer) RescueOnce(ctx context.Context) error {
	jobs, err := r.Store.ExpiredJobs(ctx, r.Clock.Now(), 100)
	if err != nil {
		return err
	}
	requeued := false
	for _, j := range jobs {
		if err := r.rescue(ctx, j); err != nil {
			r.Log.Warn("rescue job", "job", j.ID, "err", err)
		} else if j.Status == sluice.JobDispatched {
			requeued = true
		}
	}
	if requeued && r.Wake != nil {
		r.Wake()
	}
	return nil
}

func (r *Rescuer) rescue(ctx context.Context, j *sluice.Job) error {
	if j.Status == sluice.JobDispatched {
		return r.Store.RequeueJob(ctx, j.ID, j.Nonce)
	}
	return r.Interrupted(ctx, j, fmt.Sprintf("The worker %s running this job stopped responding (its lease expired at %s); the action was interrupted.", j.Worker, j.LeaseExpiresAt.UTC().Format(time.RFC3339)))
}

// Interrupted fails a job's action with msg.
func (r *Rescuer) Interrupted(ctx context.Context, j *sluice.Job, msg string) error {
	err := r.Fail(ctx, sluice.JobResult{JobID: j.ID, Success: false, ErrorType: sluice.FailureSystemUnavailable, ErrorMessage: msg})
	if sluice.IsCode(err, sluice.EInvalidJobState) {
		return nil // finished meanwhile
	}
	return err
}
