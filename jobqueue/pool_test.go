package jobqueue

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/engine"
)

var _ engine.Dispatcher = (*Pool)(nil)

// requireDirect checks a job reached its worker straight from the engine: claimed by no
// one, nothing in the queue, and already in progress for the pool in the store.
func (b *bundle) requireDirect(c *call) {
	b.t.Helper()
	require.False(b.t, b.spy.wasClaimed(c.job.ID), "job %s went through a claim", c.job.ActionName)
	require.Zero(b.t, b.depth())
	require.Equal(b.t, sluice.JobInProgress, c.job.Status)
	require.Equal(b.t, "local:test", c.job.Worker)
	require.NotEmpty(b.t, c.job.Nonce)
	stored := b.job(c.job.ID)
	require.Equal(b.t, sluice.JobInProgress, stored.Status)
	require.Equal(b.t, c.job.Worker, stored.Worker)
	require.Equal(b.t, c.job.Nonce, stored.Nonce)
	require.Equal(b.t, b.clock.Now().Add(lease), stored.LeaseExpiresAt)
}

func TestPoolDelivery(t *testing.T) {
	t.Parallel()

	t.Run("DirectToFreeWorker", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.start(2)
		exec := b.create(declaration("app", "Compile"))
		src := b.next()
		require.Equal(t, "Source", src.job.StageName)
		b.requireDirect(src)
		src.succeed()
		require.Equal(t, src.job.ID, b.reported().job.ID)
		require.Equal(t, sluice.JobSucceeded, b.job(src.job.ID).Status)

		build := b.next() // the source's result started the Build stage
		require.Equal(t, "Compile", build.job.ActionName)
		b.requireDirect(build)
		require.Equal(t, sluice.ExecutionInProgress, b.execStatus("app", exec))
		build.succeed()
		b.reported()
		require.Equal(t, sluice.ExecutionSucceeded, b.execStatus("app", exec))
	})

	t.Run("ReportingWorkerTakesNextAction", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.start(1)
		exec := b.create(declaration("app", "Compile"))
		src := b.next()
		b.requireDirect(src)
		src.succeed()
		b.reported()
		build := b.next() // queued while its only worker was reporting, it would need a claim
		b.requireDirect(build)
		build.fail("compile error")
		require.False(t, b.reported().res.Success)
		require.Equal(t, sluice.ExecutionFailed, b.execStatus("app", exec))
	})

	t.Run("QueuedWhileBusyClaimedWhenFree", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.start(1)
		exec := b.create(declaration("app", "Compile", "Test"))
		src := b.next()
		src.succeed()
		b.reported()
		first := b.next()
		require.Equal(t, 1, b.depth(), "the parallel action waits in the queue while the only worker is busy")
		first.succeed()
		b.reported()
		second := b.next()
		require.True(t, b.spy.wasClaimed(second.job.ID))
		require.Zero(t, b.depth())
		require.Equal(t, sluice.JobInProgress, second.job.Status)
		require.Equal(t, "local:test", second.job.Worker)
		require.ElementsMatch(t, []string{"Compile", "Test"}, []string{first.job.ActionName, second.job.ActionName})
		require.Equal(t, sluice.ExecutionInProgress, b.execStatus("app", exec))
		second.succeed()
		b.reported()
		require.Equal(t, sluice.ExecutionSucceeded, b.execStatus("app", exec))
	})

	t.Run("OtherTypesStayQueued", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.pool.Types = []sluice.ActionTypeID{commandsType}
		b.start(1)
		b.create(declaration("app", "Compile"))
		require.Equal(t, 1, b.depth(), "the pool does not run CodeCommit here")
		jobs, err := b.queue.Claim(b.ctx, sluice.ClaimParams{Worker: "remote"})
		require.NoError(t, err)
		require.Len(t, jobs, 1)
		require.Equal(t, "Source", jobs[0].StageName)
	})
}

func TestPoolCancel(t *testing.T) {
	t.Parallel()

	t.Run("CancelsRunningJob", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.start(1)
		b.create(declaration("app", "Compile"))
		c := b.next()
		b.pool.Cancel("no-such-job")
		require.NoError(t, c.ctx.Err(), "cancelling another job leaves this one running")
		b.pool.Cancel(c.job.ID)
		b.done(c)
		require.ErrorIs(t, c.ctx.Err(), context.Canceled)
		r := b.reported() // the pool still reports what the runner returned
		require.False(t, r.res.Success)
		require.Equal(t, c.job.Nonce, r.res.Nonce)
	})

	t.Run("AbandonedActionCancelsJob", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.start(1)
		exec := b.create(declaration("app", "Compile"))
		c := b.next()
		require.NoError(t, b.engine.Stop(b.ctx, "app", exec, true, "stop now"))
		b.done(c)
		r := <-b.reports
		require.True(t, sluice.IsCode(r.err, sluice.EInvalidJobState), "the job was closed before its result: %v", r.err)
		require.Equal(t, sluice.ExecutionStopped, b.execStatus("app", exec))
	})

	t.Run("DeletedPipelineStopsJob", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.queue.Lease = 30 * time.Millisecond // heartbeats tick while the test waits on the job
		b.start(1)
		b.create(declaration("app", "Compile"))
		c := b.next()
		require.NoError(t, b.engine.DeletePipeline(b.ctx, "app"))
		b.done(c) // the next heartbeat finds the job gone and stops it
	})

	t.Run("BeforeStart", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.pool.Cancel("no-such-job")
	})
}

// done waits for the context of a running job to end.
func (b *bundle) done(c *call) {
	b.t.Helper()
	select {
	case <-c.ctx.Done():
	case <-time.After(patience):
		b.t.Fatal("the job's context was not cancelled")
	}
}

func TestPoolDispatcher(t *testing.T) {
	t.Parallel()

	queued := func(id string) *sluice.Job {
		return &sluice.Job{ID: id, ActionType: commandsType, Status: sluice.JobQueued}
	}

	t.Run("ReleaseGivesSlotBack", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.start(1)
		var d engine.Dispatcher = b.pool
		now := b.clock.Now()
		first, second := queued("j1"), queued("j2")
		require.True(t, d.Reserve(first, now))
		require.Equal(t, sluice.JobInProgress, first.Status)
		require.Equal(t, "local:test", first.Worker)
		require.NotEmpty(t, first.Nonce)
		require.Equal(t, now.Add(lease), first.LeaseExpiresAt)

		require.False(t, d.Reserve(second, now), "the only worker is reserved")
		require.Equal(t, sluice.JobQueued, second.Status)
		require.Empty(t, second.Worker)

		d.Release(first) // its plan did not commit
		require.Equal(t, sluice.JobQueued, first.Status)
		require.Empty(t, first.Worker)
		require.Empty(t, first.Nonce)
		require.True(t, d.Reserve(second, now), "the released worker is free again")
		d.Release(second)
	})

	t.Run("NoncesDiffer", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.start(2)
		first, second := queued("j1"), queued("j2")
		require.True(t, b.pool.Reserve(first, b.clock.Now()))
		require.True(t, b.pool.Reserve(second, b.clock.Now()))
		require.NotEqual(t, first.Nonce, second.Nonce)
		b.pool.Release(first)
		b.pool.Release(second)
	})

	t.Run("OtherTypeNotReserved", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.start(1)
		job := queued("j1")
		job.ActionType = sluice.ActionTypeID{Category: sluice.CategoryDeploy, Owner: sluice.OwnerCustom, Provider: "Rollout", Version: "1"}
		require.False(t, b.pool.Reserve(job, b.clock.Now()))
		require.Equal(t, sluice.JobQueued, job.Status)
	})

	t.Run("NotStartedReservesNothing", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		require.False(t, b.pool.Reserve(queued("j1"), b.clock.Now()))
	})
}

func TestPoolSlots(t *testing.T) {
	t.Parallel()

	t.Run("IdleWorkerClaimsWhenReservationReleased", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.start(1)
		pending := &sluice.Job{ID: "pending", ActionType: commandsType, Status: sluice.JobQueued}
		require.True(t, b.pool.Reserve(pending, b.clock.Now()), "a plan in flight holds the only worker")
		b.create(declaration("app", "Compile")) // so its source job is queued, and the queue woken
		require.Equal(t, 1, b.depth())
		b.idle() // the worker saw the wake-up but had no slot to claim with
		b.pool.Release(pending)
		c := b.next()
		require.Equal(t, "Source", c.job.StageName)
		require.True(t, b.spy.wasClaimed(c.job.ID))
	})

	t.Run("ClaimRetriedAfterStoreError", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.start(1)
		b.engine.Dispatcher = nil // queue the job instead of handing it over
		b.spy.broken.Store(true)
		b.create(declaration("app", "Compile"))
		c := b.next()
		require.Equal(t, "Source", c.job.StageName)
		require.False(t, b.spy.broken.Load(), "the first claim failed")
		require.True(t, b.spy.wasClaimed(c.job.ID))
	})

	t.Run("StoppedPoolReservesNothing", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		stop := b.start(2)
		stop()
		job := &sluice.Job{ID: "late", ActionType: commandsType, Status: sluice.JobQueued}
		require.False(t, b.pool.Reserve(job, b.clock.Now()), "no worker is left to deliver to")
		require.Equal(t, sluice.JobQueued, job.Status)
	})
}
