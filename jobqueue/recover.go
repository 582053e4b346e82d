package jobqueue

import (
	"context"
	"fmt"

	"sluice"
)

// Recover settles, once when server starts and before its pool claims anything, the jobs
// held when it last stopped. Its own in-process jobs died with it: they fail as interrupted.
// A remote worker's job in progress kept running while the server was down, unable to
// heartbeat: it gets a whole Lease from now to reach a server again. Every other job is
// left to its lease: the in-process jobs of other servers on the same store, whose pools
// still heartbeat, and Lambda jobs, whose functions report through the API whichever
// server answers (the rescuer fails them when their window passes).
func (r *Rescuer) Recover(ctx context.Context, server string) error {
	jobs, err := r.Store.LeasedJobs(ctx)
	if err != nil {
		return err
	}
	for _, j := range jobs {
		w := sluice.ParseWorkerID(j.Worker)
		switch {
		case w.Kind == sluice.WorkerLocal && (w.Server == server || w.Server == ""):
			// No server id: held before servers had ids, when only one server used a store.
			msg := "The Sluice server restarted while this action was running; the action was interrupted."
			if j.Data.Condition != "" {
				msg = "The Sluice server restarted while this rule was being evaluated; the rule was interrupted."
			}
			if err := r.Interrupted(ctx, j, msg); err != nil {
				return fmt.Errorf("fail interrupted job %s: %w", j.ID, err)
			}
		case w.Kind == sluice.WorkerRemote && j.Status == sluice.JobInProgress:
			err := r.Store.ExtendLease(ctx, j.ID, j.Nonce, r.Clock.Now().Add(r.Lease))
			if err != nil && !sluice.IsCode(err, sluice.EInvalidJobState) {
				return fmt.Errorf("extend the lease of remote job %s: %w", j.ID, err)
			}
		}
	}
	return nil
}
