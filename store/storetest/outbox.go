package storetest

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"sluice"
)

// read returns what consumer reads now.
func (f *fixture) read(consumer string, limit int) []*sluice.OutboxRecord {
	f.t.Helper()
	recs, err := f.s.ReadOutbox(f.ctx, consumer, limit)
	require.NoError(f.t, err)
	return recs
}

func (f *fixture) ack(consumer string, id int64) {
	f.t.Helper()
	require.NoError(f.t, f.s.AckOutbox(f.ctx, consumer, id))
}

func (f *fixture) prune(limit int) int {
	f.t.Helper()
	n, err := f.s.PruneOutbox(f.ctx, time.Time{}, limit)
	require.NoError(f.t, err)
	return n
}

func events(recs []*sluice.OutboxRecord) []sluice.Event {
	out := make([]sluice.Event, len(recs))
	for i, r := range recs {
		out[i] = r.Event
	}
	return out
}

// testOutbox checks sluice.Outbox: cursors, commit order, at-least-once, pruning.
func testOutbox(t *testing.T, s *suite) {
	open := s.open
	t.Run("CommitOrder", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		f.createPipeline("app")
		require.NoError(t, f.s.AddOutboxConsumer(f.ctx, "c"))
		e1, e2, e3, e4 := event("", "ONE", 1), event("app", "TWO", 2), event("app", "THREE", 3), event("app", "FOUR", 4)
		require.NoError(t, f.s.AddEvents(f.ctx, e1))
		require.NoError(t, f.s.InTx(f.ctx, func(x sluice.Executor) error { return x.AddEvents(f.ctx, e2, e3) }))
		f.apply("app", &sluice.Plan{Events: []sluice.Event{e4}})

		recs := f.read("c", 0)
		require.Equal(t, []sluice.Event{e1, e2, e3, e4}, events(recs))
		for i, r := range recs {
			require.Equal(t, r.Event.Time, r.Created)
			if i > 0 {
				require.Greater(t, r.ID, recs[i-1].ID)
			}
		}
		require.Equal(t, []sluice.Event{e1, e2}, events(f.read("c", 2)))
		f.ack("c", recs[1].ID)
		require.Equal(t, []sluice.Event{e3, e4}, events(f.read("c", 0)))
		f.ack("c", recs[0].ID) // never back
		require.Equal(t, []sluice.Event{e3, e4}, events(f.read("c", 0)))
	})

	t.Run("NewConsumerStartsAtTheEnd", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		require.NoError(t, f.s.AddEvents(f.ctx, event("", "BEFORE", 1)))
		require.NoError(t, f.s.AddOutboxConsumer(f.ctx, "c"))
		require.Empty(t, f.read("c", 0))
		after := event("", "AFTER", 2)
		require.NoError(t, f.s.AddEvents(f.ctx, after))
		require.NoError(t, f.s.AddOutboxConsumer(f.ctx, "c")) // keeps its cursor
		require.Equal(t, []sluice.Event{after}, events(f.read("c", 0)))
	})

	t.Run("UnknownConsumer", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		_, err := f.s.ReadOutbox(f.ctx, "nope", 0)
		requireCode(t, err, sluice.ENotFound, "OutboxConsumer")
		requireCode(t, f.s.AckOutbox(f.ctx, "nope", 1), sluice.ENotFound, "OutboxConsumer")
		requireCode(t, f.s.DeleteOutboxConsumer(f.ctx, "nope"), sluice.ENotFound, "OutboxConsumer")
	})

	t.Run("PrunesWhatEveryConsumerPassed", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		require.NoError(t, f.s.AddEvents(f.ctx, event("", "UNREAD", 1)))
		require.Zero(t, f.prune(0), "no consumer: nothing is pruned")
		require.NoError(t, f.s.AddOutboxConsumer(f.ctx, "a"))
		require.NoError(t, f.s.AddOutboxConsumer(f.ctx, "b"))
		for i := range 3 {
			require.NoError(t, f.s.AddEvents(f.ctx, event("", "E", 2+i)))
		}
		recs := f.read("a", 0)
		require.Len(t, recs, 3)
		f.ack("a", recs[2].ID)
		// Only the record from before either consumer is behind both cursors.
		require.Equal(t, 1, f.prune(0))
		f.ack("b", recs[0].ID)
		require.Equal(t, 1, f.prune(0))
		f.ack("b", recs[2].ID)
		require.Equal(t, 1, f.prune(1))
		require.Equal(t, 1, f.prune(0))
		require.Zero(t, f.prune(0))

		next := event("", "NEXT", 9)
		require.NoError(t, f.s.AddEvents(f.ctx, next))
		got := f.read("a", 0)
		require.Equal(t, []sluice.Event{next}, events(got))
		require.Greater(t, got[0].ID, recs[2].ID, "ids are never used again")

		require.NoError(t, f.s.AddOutboxConsumer(f.ctx, "late"))
		require.NoError(t, f.s.DeleteOutboxConsumer(f.ctx, "late"))
		f.ack("a", got[0].ID)
		require.Zero(t, f.prune(0), "b has not passed it")
		require.NoError(t, f.s.DeleteOutboxConsumer(f.ctx, "b"))
		require.Equal(t, 1, f.prune(0))
	})

	t.Run("KeepsRecentRecords", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		require.NoError(t, f.s.AddOutboxConsumer(f.ctx, "c"))
		old, recent := event("", "OLD", 1), event("", "RECENT", 100)
		require.NoError(t, f.s.AddEvents(f.ctx, old, recent))
		recs := f.read("c", 0)
		f.ack("c", recs[1].ID)
		n, err := f.s.PruneOutbox(f.ctx, at(50), 0)
		require.NoError(t, err)
		require.Equal(t, 1, n, "only the record created before the bound goes")
		left, err := f.s.ReadOutboxAfter(f.ctx, 0, 0)
		require.NoError(t, err)
		require.Equal(t, []sluice.Event{recent}, events(left))
	})

	t.Run("ReadAfterAnyRecord", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		end, err := f.s.OutboxEnd(f.ctx)
		require.NoError(t, err)
		e1, e2, e3 := event("", "ONE", 1), event("", "TWO", 2), event("", "THREE", 3)
		require.NoError(t, f.s.AddEvents(f.ctx, e1, e2, e3))
		all, err := f.s.ReadOutboxAfter(f.ctx, end, 0)
		require.NoError(t, err)
		require.Equal(t, []sluice.Event{e1, e2, e3}, events(all))
		rest, err := f.s.ReadOutboxAfter(f.ctx, all[0].ID, 1)
		require.NoError(t, err)
		require.Equal(t, []sluice.Event{e2}, events(rest))
		last, err := f.s.OutboxEnd(f.ctx)
		require.NoError(t, err)
		require.Equal(t, all[2].ID, last)
		none, err := f.s.ReadOutboxAfter(f.ctx, last, 0)
		require.NoError(t, err)
		require.Empty(t, none)
	})

	t.Run("AtLeastOnceAcrossReopen", func(t *testing.T) {
		t.Parallel()
		if s.reopen == nil {
			t.Skip("the adapter cannot reopen a store")
		}
		f := setup(t, open)
		require.NoError(t, f.s.AddOutboxConsumer(f.ctx, "c"))
		e1, e2, e3 := event("", "ONE", 1), event("", "TWO", 2), event("", "THREE", 3)
		require.NoError(t, f.s.AddEvents(f.ctx, e1, e2, e3))
		recs := f.read("c", 0)
		f.ack("c", recs[0].ID) // handled e1; stopped before acknowledging the rest

		f.s = s.reopen(t, f.s)
		require.Equal(t, []sluice.Event{e2, e3}, events(f.read("c", 0)))
		f.ack("c", recs[2].ID)
		f.s = s.reopen(t, f.s)
		require.Empty(t, f.read("c", 0))
	})
}
