package jobqueue

import (
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"sluice"
)

func (b *bundle) rescuer() *Rescuer {
	return &Rescuer{Store: b.db, Clock: b.clock, Fail: b.engine.JobResult, Interval: time.Minute,
		Log: slog.New(slog.DiscardHandler)}
}

// claimSource starts pipeline app and has a remote worker claim its source job.
func (b *bundle) claimSource(acknowledge bool) (exec string, job *sluice.Job) {
	b.t.Helper()
	exec = b.create(declaration("app", "Compile"))
	jobs, err := b.queue.Claim(b.ctx, sluice.ClaimParams{Worker: "remote-1", Acknowledge: acknowledge})
	require.NoError(b.t, err)
	require.Len(b.t, jobs, 1)
	return exec, jobs[0]
}

func (b *bundle) actionRun(exec, stage, action string) *sluice.ActionRun {
	b.t.Helper()
	runs, _, err := b.db.ListActionRuns(b.ctx, "app", sluice.ActionRunFilter{ExecutionID: exec})
	require.NoError(b.t, err)
	for _, r := range runs {
		if r.StageName == stage && r.ActionName == action {
			return r
		}
	}
	b.t.Fatalf("no action run %s/%s", stage, action)
	return nil
}

func TestRescuer(t *testing.T) {
	t.Parallel()

	t.Run("AcknowledgedJobFailsItsAction", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		exec, job := b.claimSource(true)
		require.Equal(t, sluice.JobInProgress, job.Status)
		r := b.rescuer()

		require.NoError(t, r.RescueOnce(b.ctx))
		require.Equal(t, sluice.JobInProgress, b.job(job.ID).Status, "the lease has not expired yet")

		b.clock.Add(lease)
		require.NoError(t, r.RescueOnce(b.ctx))
		require.Equal(t, sluice.JobFailed, b.job(job.ID).Status)
		run := b.actionRun(exec, "Source", "Source")
		require.Equal(t, sluice.ActionFailed, run.Status)
		require.Equal(t, sluice.FailureSystemUnavailable, run.ErrorCode)
		require.Contains(t, run.ErrorMessage, "remote-1")
		require.Contains(t, run.ErrorMessage, "stopped responding")
		require.Equal(t, sluice.ExecutionFailed, b.execStatus("app", exec))

		require.NoError(t, r.RescueOnce(b.ctx), "a closed job is not rescued twice")
	})

	t.Run("DispatchedJobRequeued", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		exec, job := b.claimSource(false)
		require.Equal(t, sluice.JobDispatched, job.Status)
		require.Zero(t, b.depth())

		b.clock.Add(lease)
		require.NoError(t, b.rescuer().RescueOnce(b.ctx))
		stored := b.job(job.ID)
		require.Equal(t, sluice.JobQueued, stored.Status)
		require.Empty(t, stored.Worker)
		require.Empty(t, stored.Nonce)
		require.Equal(t, 1, b.depth())
		require.Equal(t, sluice.ActionInProgress, b.actionRun(exec, "Source", "Source").Status)
		require.Equal(t, sluice.ExecutionInProgress, b.execStatus("app", exec))

		again, err := b.queue.Claim(b.ctx, sluice.ClaimParams{Worker: "remote-2"})
		require.NoError(t, err)
		require.Len(t, again, 1)
		require.Equal(t, job.ID, again[0].ID)
		require.NotEqual(t, job.Nonce, again[0].Nonce)
		err = b.queue.Store.ExtendLease(b.ctx, job.ID, job.Nonce, b.clock.Now().Add(lease))
		require.True(t, sluice.IsCode(err, sluice.EInvalidNonce), "the first worker's nonce is stale: %v", err)
	})

	t.Run("RequeueWakesWaitingWorkers", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		_, job := b.claimSource(false)
		got := b.wait(b.ctx, time.Hour)
		require.Empty(t, b.claim(), "the only job is dispatched")
		r := b.rescuer()
		r.Wake = b.queue.Wake
		b.clock.Add(lease)
		require.NoError(t, r.RescueOnce(b.ctx))
		// The store's notice of the job's creation reaches the queue on its own goroutine: when
		// it comes late, the waiter looks once more, in vain, before the rescue's wake-up.
		jobs := b.claim()
		for len(jobs) == 0 {
			jobs = b.claim()
		}
		require.Len(t, jobs, 1)
		w := b.waited(got)
		require.NoError(t, w.err)
		require.Len(t, w.jobs, 1)
		require.Equal(t, job.ID, w.jobs[0].ID)
	})

	t.Run("ExplainedByWorkerKind", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		exec := b.create(declaration("app", "Compile"))
		jobs, err := b.queue.Claim(b.ctx, sluice.ClaimParams{Worker: "fn:instance-1", Acknowledge: true})
		require.NoError(t, err)
		require.Len(t, jobs, 1)
		r := b.rescuer()
		r.Explain = map[sluice.WorkerKind]func(*sluice.Job) (string, string){
			"fn": func(j *sluice.Job) (string, string) { return sluice.FailureJobFailed, "no answer for " + j.ActionName },
		}
		b.clock.Add(lease)
		require.NoError(t, r.RescueOnce(b.ctx))
		run := b.actionRun(exec, "Source", "Source")
		require.Equal(t, sluice.ActionFailed, run.Status)
		require.Equal(t, sluice.FailureJobFailed, run.ErrorCode)
		require.Equal(t, "no answer for Source", run.ErrorMessage)
	})

	t.Run("InterruptedAfterResultIsNoError", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		_, job := b.claimSource(true)
		require.NoError(t, b.engine.JobResult(b.ctx, sluice.JobResult{JobID: job.ID, Nonce: job.Nonce, Success: true}))
		require.NoError(t, b.rescuer().Interrupted(b.ctx, job, "late"))
	})
}
