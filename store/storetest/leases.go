package storetest

import (
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
)

// testLeases checks sluice.JobStore: AcknowledgeJob, ExtendLease, RequeueJob, ExpiredJobs,
// LeasedJobs and GetJob.
func testLeases(t *testing.T, open func(*testing.T) sluice.Store) {
	// claimed stores one job claimed (Dispatched) by worker-1 with a lease until at(100)+lease.
	claimed := func(t *testing.T) (*fixture, *sluice.Job) {
		f := setup(t, open)
		f.createPipeline("app")
		f.queuedJobs("app", 1, buildType)
		jobs := claim(f, sluice.ClaimParams{Limit: 1})
		require.Len(t, jobs, 1)
		return f, jobs[0]
	}
	// finish moves the job to Succeeded through Apply, as the engine does.
	finish := func(f *fixture, j *sluice.Job) {
		done := *j
		done.Status = sluice.JobSucceeded
		f.apply("app", update(&done, string(j.Status)))
	}

	t.Run("AcknowledgeOK", func(t *testing.T) {
		t.Parallel()
		f, j := claimed(t)
		got, err := f.s.AcknowledgeJob(f.ctx, j.ID, j.Nonce, at(900))
		require.NoError(t, err)
		require.Equal(t, sluice.JobInProgress, got.Status)
		require.Equal(t, at(900), got.LeaseExpiresAt)
		require.Equal(t, j.Nonce, got.Nonce)
		got, err = f.s.AcknowledgeJob(f.ctx, j.ID, j.Nonce, at(950)) // again: only the lease moves
		require.NoError(t, err)
		require.Equal(t, sluice.JobInProgress, got.Status)
		require.Equal(t, at(950), got.LeaseExpiresAt)
	})

	t.Run("AcknowledgeErrs", func(t *testing.T) {
		t.Parallel()
		f, j := claimed(t)
		_, err := f.s.AcknowledgeJob(f.ctx, j.ID, "stale", at(900))
		requireCode(t, err, sluice.EInvalidNonce, "")
		_, err = f.s.AcknowledgeJob(f.ctx, "nope", j.Nonce, at(900))
		requireCode(t, err, sluice.ENotFound, "Job")
		finish(f, j)
		_, err = f.s.AcknowledgeJob(f.ctx, j.ID, j.Nonce, at(900))
		requireCode(t, err, sluice.EInvalidJobState, "")
	})

	t.Run("ExtendLease", func(t *testing.T) {
		t.Parallel()
		f, j := claimed(t)
		require.NoError(t, f.s.ExtendLease(f.ctx, j.ID, j.Nonce, at(700)))
		got, err := f.s.GetJob(f.ctx, j.ID)
		require.NoError(t, err)
		require.Equal(t, at(700), got.LeaseExpiresAt)
		require.Equal(t, sluice.JobDispatched, got.Status)

		requireCode(t, f.s.ExtendLease(f.ctx, j.ID, "stale", at(800)), sluice.EInvalidNonce, "")
		requireCode(t, f.s.ExtendLease(f.ctx, "nope", j.Nonce, at(800)), sluice.ENotFound, "Job")
		finish(f, got)
		requireCode(t, f.s.ExtendLease(f.ctx, j.ID, j.Nonce, at(800)), sluice.EInvalidJobState, "")
	})

	t.Run("Requeue", func(t *testing.T) {
		t.Parallel()
		f, j := claimed(t)
		requireCode(t, f.s.RequeueJob(f.ctx, j.ID, "stale"), sluice.EInvalidNonce, "")
		require.NoError(t, f.s.RequeueJob(f.ctx, j.ID, j.Nonce))
		got, err := f.s.GetJob(f.ctx, j.ID)
		require.NoError(t, err)
		require.Equal(t, sluice.JobQueued, got.Status)
		require.Empty(t, got.Worker)
		require.Empty(t, got.Nonce)
		requireDepth(t, f, 1)
		_, err = f.s.AcknowledgeJob(f.ctx, j.ID, j.Nonce, at(900)) // the old claim is void
		requireCode(t, err, sluice.EInvalidNonce, "")

		again := claim(f, sluice.ClaimParams{Limit: 1, Acknowledge: true})
		require.Len(t, again, 1)
		require.NotEqual(t, j.Nonce, again[0].Nonce)
		requireCode(t, f.s.RequeueJob(f.ctx, j.ID, again[0].Nonce), sluice.EInvalidJobState, "")
		requireCode(t, f.s.RequeueJob(f.ctx, "nope", "x"), sluice.ENotFound, "Job")
	})

	t.Run("ExpiredJobs", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		f.createPipeline("app")
		f.queuedJobs("app", 5, buildType)
		early := claim(f, sluice.ClaimParams{Limit: 2, Now: at(0), LeaseFor: lease})
		late := claim(f, sluice.ClaimParams{Limit: 1, Now: at(10), LeaseFor: lease})
		finished := claim(f, sluice.ClaimParams{Limit: 1, Now: at(0), LeaseFor: lease})
		finish(f, finished[0])
		// One job stays queued: it has no lease to expire.

		expiry := at(0).Add(lease)
		got, err := f.s.ExpiredJobs(f.ctx, expiry.Add(-1), 10)
		require.NoError(t, err)
		require.Empty(t, got)
		got, err = f.s.ExpiredJobs(f.ctx, expiry, 10)
		require.NoError(t, err)
		require.ElementsMatch(t, ids(early, jobID), ids(got, jobID))
		got, err = f.s.ExpiredJobs(f.ctx, at(10).Add(lease), 10)
		require.NoError(t, err)
		require.Len(t, got, 3)
		require.Equal(t, late[0].ID, got[2].ID) // the oldest lease first
		got, err = f.s.ExpiredJobs(f.ctx, at(10).Add(lease), 1)
		require.NoError(t, err)
		require.Len(t, got, 1)
	})

	t.Run("LeasedJobs", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		f.createPipeline("app")
		f.queuedJobs("app", 5, buildType)
		late := claim(f, sluice.ClaimParams{Limit: 1, Now: at(10), LeaseFor: lease})
		early := claim(f, sluice.ClaimParams{Limit: 1, Now: at(0), LeaseFor: lease, Acknowledge: true})
		finished := claim(f, sluice.ClaimParams{Limit: 1, Now: at(0), LeaseFor: lease})
		finish(f, finished[0])
		// Two jobs stay queued and one finished: none is held by a worker.

		got, err := f.s.LeasedJobs(f.ctx)
		require.NoError(t, err)
		require.Equal(t, []string{early[0].ID, late[0].ID}, ids(got, jobID), "the oldest lease first")
		require.Equal(t, sluice.JobInProgress, got[0].Status)
		require.Equal(t, sluice.JobDispatched, got[1].Status)
	})

	t.Run("GetJobErrNotFound", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		_, err := f.s.GetJob(f.ctx, "nope")
		requireCode(t, err, sluice.ENotFound, "Job")
	})
}
