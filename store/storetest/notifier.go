package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"sluice"
)

// listen subscribes to topic for the rest of the test.
func (f *fixture) listen(topic string) <-chan struct{} {
	f.t.Helper()
	ch, err := f.s.Listen(f.ctx, topic)
	require.NoError(f.t, err)
	return ch
}

// wake waits for a wake-up on ch (the test's deadline bounds the wait).
func (f *fixture) wake(ch <-chan struct{}) {
	f.t.Helper()
	select {
	case _, ok := <-ch:
		require.True(f.t, ok, "the subscription ended")
	case <-f.ctx.Done():
		f.t.Fatal("no wake-up before the test's deadline")
	}
}

// requireQuiet checks that ch holds no wake-up now.
func requireQuiet(t *testing.T, ch <-chan struct{}) {
	t.Helper()
	select {
	case <-ch:
		t.Fatal("a wake-up came")
	default:
	}
}

// testNotifier checks sluice.Notifier.Listen, sluice.Executor.Notify and the notifications of
// sluice.Executor.AddEvents, sluice.Tx.Apply and sluice.JobStore.RequeueJob.
func testNotifier(t *testing.T, open func(*testing.T) sluice.Store) {
	t.Run("StoreNotifiesAtOnce", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		a := f.listen("a")
		require.NoError(t, f.s.Notify(f.ctx, "a"))
		f.wake(a)
	})

	t.Run("TransactionNotifiesAfterCommit", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		a := f.listen("a")
		require.NoError(t, f.s.InTx(f.ctx, func(x sluice.Executor) error {
			require.NoError(t, x.Notify(f.ctx, "a"))
			requireQuiet(t, a)
			return nil
		}))
		f.wake(a)
	})

	t.Run("RollbackNotifiesNothing", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		a, b := f.listen("a"), f.listen("b")
		boom := errors.New("boom")
		require.Same(t, boom, f.s.Update(f.ctx, "app", func(tx sluice.Tx) error {
			require.NoError(t, tx.Notify(f.ctx, "a"))
			return boom
		}))
		require.Same(t, boom, f.s.InTx(f.ctx, func(x sluice.Executor) error {
			require.NoError(t, x.Notify(f.ctx, "a"))
			return boom
		}))
		require.NoError(t, f.s.InTx(f.ctx, func(x sluice.Executor) error { return x.Notify(f.ctx, "b") }))
		f.wake(b) // wake-ups come in commit order: one of a would be here by now
		requireQuiet(t, a)
	})

	t.Run("StoreWritesNotify", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		f.createPipeline("app")
		outbox, jobs, timers := f.listen(sluice.TopicOutbox), f.listen(sluice.TopicJobs), f.listen(sluice.TopicTimers)
		require.NoError(t, f.s.AddEvents(f.ctx, event("app", "STARTED", 1)))
		f.wake(outbox)

		e := f.execution("app", sluice.ExecutionInProgress)
		r := f.actionRun(e, "Build", "Compile", sluice.ActionInProgress)
		r.Deadline = at(100)
		plan := insert(e, r, f.job(r, "app", buildType))
		plan.Events = []sluice.Event{event("app", "STARTED", 2)}
		f.apply("app", plan)
		f.wake(outbox)
		f.wake(jobs)
		f.wake(timers)

		claimed, err := f.s.ClaimJobs(f.ctx, sluice.ClaimParams{Worker: "w", Limit: 1, Now: at(3), LeaseFor: time.Minute,
			Types: []sluice.ActionTypeID{buildType}})
		require.NoError(t, err)
		require.Len(t, claimed, 1)
		require.NoError(t, f.s.RequeueJob(f.ctx, claimed[0].ID, claimed[0].Nonce))
		f.wake(jobs)
	})

	t.Run("RuleRunDeadlineNotifiesTimers", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		f.createPipeline("app")
		timers, marker := f.listen(sluice.TopicTimers), f.listen("marker")
		e := f.execution("app", sluice.ExecutionInProgress)
		f.apply("app", insert(e, f.ruleRun(e, "Build", sluice.ConditionOnSuccess, "Gate", sluice.RuleInProgress)))
		require.NoError(t, f.s.Notify(f.ctx, "marker"))
		f.wake(marker) // wake-ups come in commit order: one of timers would be here by now
		requireQuiet(t, timers)

		r := f.ruleRun(e, "Build", sluice.ConditionOnSuccess, "Alarm", sluice.RuleInProgress)
		r.Deadline = at(100)
		f.apply("app", insert(r))
		f.wake(timers)
	})

	t.Run("EndsWithContext", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		ctx, cancel := context.WithCancel(f.ctx)
		ch, err := f.s.Listen(ctx, "a")
		require.NoError(t, err)
		cancel()
		for range ch { // a wake-up may still be waiting; then the channel closes
		}
	})
}
