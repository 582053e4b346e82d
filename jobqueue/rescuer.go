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
	// Lease is what Recover gives remote workers' jobs in progress to reach a server again.
	Lease time.Duration
	Log   *slog.Logger
	// Explain, by worker kind (sluice.ParseWorkerID of the job's worker), words the failure
	// of that kind's expired jobs: the failure type and message. Kinds without an entry get
	// a message saying the worker stopped responding.
	Explain map[sluice.WorkerKind]func(*sluice.Job) (failureType, message string)
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
	if explain, ok := r.Explain[sluice.ParseWorkerID(j.Worker).Kind]; ok {
		return r.fail(ctx, j, explain)
	}
	return r.Interrupted(ctx, j, fmt.Sprintf("The worker %s running this job stopped responding (its lease expired at %s); the action was interrupted.", j.Worker, j.LeaseExpiresAt.UTC().Format(time.RFC3339)))
}

// Interrupted fails a job's action with msg.
func (r *Rescuer) Interrupted(ctx context.Context, j *sluice.Job, msg string) error {
	return r.fail(ctx, j, func(*sluice.Job) (string, string) { return sluice.FailureSystemUnavailable, msg })
}

func (r *Rescuer) fail(ctx context.Context, j *sluice.Job, explain func(*sluice.Job) (string, string)) error {
	typ, msg := explain(j)
	err := r.Fail(ctx, sluice.JobResult{JobID: j.ID, Success: false, ErrorType: typ, ErrorMessage: msg})
	if sluice.IsCode(err, sluice.EInvalidJobState) {
		return nil // finished meanwhile
	}
	return err
}
