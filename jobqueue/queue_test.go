package jobqueue

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"sluice"
)

type waited struct {
	jobs []*sluice.Job
	err  error
}

// wait runs Queue.Wait in the background; the test learns of each claim it makes through
// the spy, which it must drain.
func (b *bundle) wait(ctx context.Context, max time.Duration) <-chan waited {
	b.spy.claims = make(chan []*sluice.Job)
	out := make(chan waited, 1)
	go func() {
		jobs, err := b.queue.Wait(ctx, sluice.ClaimParams{Worker: "poller"}, max)
		out <- waited{jobs, err}
	}()
	return out
}

// claim returns the jobs of the next claim the queue makes.
func (b *bundle) claim() []*sluice.Job {
	b.t.Helper()
	select {
	case jobs := <-b.spy.claims:
		return jobs
	case <-time.After(patience):
		b.t.Fatal("the queue made no claim")
		return nil
	}
}

func (b *bundle) waited(ch <-chan waited) waited {
	b.t.Helper()
	select {
	case w := <-ch:
		return w
	case <-time.After(patience):
		b.t.Fatal("Queue.Wait did not return")
		return waited{}
	}
}

func TestQueueWait(t *testing.T) {
	t.Parallel()

	t.Run("WokenByQueuedJob", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		got := b.wait(b.ctx, time.Hour) // far beyond patience: only a wake-up can end it
		require.Empty(t, b.claim(), "the queue starts empty")
		b.create(declaration("app", "Compile")) // queues the source job and wakes the queue
		claimed := b.claim()
		require.Len(t, claimed, 1)
		w := b.waited(got)
		require.NoError(t, w.err)
		require.Len(t, w.jobs, 1)
		require.Equal(t, claimed[0].ID, w.jobs[0].ID)
		require.Equal(t, "Source", w.jobs[0].StageName)
		require.Equal(t, sluice.JobDispatched, w.jobs[0].Status)
		require.Equal(t, "poller", w.jobs[0].Worker)
		require.Zero(t, b.depth())
	})

	t.Run("QueuedBeforeWait", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.create(declaration("app", "Compile"))
		got := b.wait(b.ctx, time.Hour)
		require.Len(t, b.claim(), 1)
		w := b.waited(got)
		require.NoError(t, w.err)
		require.Len(t, w.jobs, 1)
	})

	t.Run("EmptyAfterMax", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		jobs, err := b.queue.Wait(b.ctx, sluice.ClaimParams{Worker: "poller"}, time.Millisecond)
		require.NoError(t, err)
		require.Empty(t, jobs)
	})

	t.Run("WakeWithoutJobKeepsWaiting", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		got := b.wait(b.ctx, time.Hour)
		require.Empty(t, b.claim())
		b.queue.Wake() // nothing was queued: it looks again and goes back to waiting
		require.Empty(t, b.claim())
		b.create(declaration("app", "Compile"))
		require.Len(t, b.claim(), 1)
		require.Len(t, b.waited(got).jobs, 1)
	})

	t.Run("ContextEnds", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		ctx, cancel := context.WithCancel(b.ctx)
		got := b.wait(ctx, time.Hour)
		require.Empty(t, b.claim())
		cancel()
		w := b.waited(got)
		require.ErrorIs(t, w.err, context.Canceled)
		require.Empty(t, w.jobs)
	})
}

func TestQueueClaim(t *testing.T) {
	t.Parallel()

	t.Run("Defaults", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		woken := b.queue.signal.C()
		b.create(declaration("app", "Compile"))
		select { // the queued job's wake-up comes after its commit, from the store's notifier
		case <-woken:
		case <-time.After(patience):
			t.Fatal("queuing a job woke nobody")
		}
		before := b.queue.Wakes()
		jobs, err := b.queue.Claim(b.ctx, sluice.ClaimParams{Worker: "w"})
		require.NoError(t, err)
		require.Len(t, jobs, 1, "Limit 0 claims one job")
		require.Equal(t, b.clock.Now().Add(lease), jobs[0].LeaseExpiresAt, "LeaseFor 0 is the queue's lease")
		require.Equal(t, before, b.queue.Wakes(), "claiming wakes nobody")
	})

	t.Run("WakesCounts", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		start := b.queue.Wakes()
		b.queue.Wake()
		b.queue.Wake()
		require.Equal(t, start+2, b.queue.Wakes())
	})
}
