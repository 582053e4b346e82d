package outbox_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/outbox"
	"sluice/store/sqlite"
)

type bundle struct {
	db   *sqlite.DB
	got  chan []string // the states of each batch handled
	fail error         // Handle's answer while set
	c    *outbox.Consumer
}

func setup(t *testing.T) *bundle {
	t.Helper()
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "sluice.db"))
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, db.Close()) })
	b := &bundle{db: db, got: make(chan []string, 16)}
	b.c = &outbox.Consumer{Name: "test", Store: db, Batch: 2, Gap: time.Nanosecond,
		Handle: func(_ context.Context, recs []*sluice.OutboxRecord) error {
			if b.fail != nil {
				return b.fail
			}
			var states []string
			for _, r := range recs {
				states = append(states, r.Event.State)
			}
			b.got <- states
			return nil
		}}
	require.NoError(t, b.c.Register(t.Context()))
	return b
}

func (b *bundle) add(t *testing.T, states ...string) {
	t.Helper()
	for _, s := range states {
		require.NoError(t, b.db.AddEvents(t.Context(), sluice.Event{State: s, PipelineName: "app"}))
	}
}

// handled collects what Handle saw until now.
func (b *bundle) handled() []string {
	var out []string
	for {
		select {
		case s := <-b.got:
			out = append(out, s...)
		default:
			return out
		}
	}
}

func TestDrain(t *testing.T) {
	t.Parallel()

	t.Run("HandlesInCommitOrderAndPrunes", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.add(t, "A", "B", "C")
		require.NoError(t, b.c.Drain(t.Context()))
		require.Equal(t, []string{"A", "B", "C"}, b.handled())
		require.NoError(t, b.c.Drain(t.Context()))
		require.Empty(t, b.handled())
		n, err := b.db.PruneOutbox(t.Context(), time.Time{}, 0)
		require.NoError(t, err)
		require.Zero(t, n, "the drain pruned what it passed")
	})

	t.Run("AFailedBatchComesAgain", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.add(t, "A", "B", "C")
		b.fail = errors.New("boom")
		require.ErrorIs(t, b.c.Drain(t.Context()), b.fail)
		b.fail = nil
		b.add(t, "D")
		require.NoError(t, b.c.Drain(t.Context()))
		require.Equal(t, []string{"A", "B", "C", "D"}, b.handled())
	})

	t.Run("AHandledBatchIsAcknowledgedWhenCtxEndsMeanwhile", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.add(t, "A")
		ctx, cancel := context.WithCancel(t.Context())
		handle := b.c.Handle
		b.c.Handle = func(ctx context.Context, recs []*sluice.OutboxRecord) error {
			cancel() // as a scrape's request ends while its drain handles a batch
			return handle(ctx, recs)
		}
		_ = b.c.Drain(ctx) // the prune after the acknowledgement may fail: ctx has ended
		b.c.Handle = handle
		require.NoError(t, b.c.Drain(t.Context()))
		require.Equal(t, []string{"A"}, b.handled(), "handled once")
	})
}

func TestPrune(t *testing.T) {
	t.Parallel()

	// second registers another consumer on b's store, handling nothing.
	second := func(t *testing.T, b *bundle, retain time.Duration) *outbox.Consumer {
		c := &outbox.Consumer{Name: "second", Store: b.db, Retain: retain,
			Handle: func(context.Context, []*sluice.OutboxRecord) error { return nil }}
		require.NoError(t, c.Register(t.Context()))
		return c
	}
	kept := func(t *testing.T, b *bundle) []string {
		recs, err := b.db.ReadOutboxAfter(t.Context(), 0, 0)
		require.NoError(t, err)
		var states []string
		for _, r := range recs {
			states = append(states, r.Event.State)
		}
		return states
	}

	t.Run("KeepsWhatAConsumerHasNotPassed", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		other := second(t, b, 0)
		b.add(t, "A", "B", "C")
		require.NoError(t, b.c.Drain(t.Context()))
		require.Equal(t, []string{"A", "B", "C"}, b.handled())
		require.Equal(t, []string{"A", "B", "C"}, kept(t, b), "the second consumer has not read them")
		require.NoError(t, other.Drain(t.Context()))
		require.Empty(t, kept(t, b), "both consumers passed them: the drain pruned them")
	})

	t.Run("KeepsRecentRecordsForTheEventStream", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		other := second(t, b, time.Hour)
		b.add(t, "A", "B")
		require.NoError(t, b.c.Drain(t.Context()))
		require.NoError(t, other.Drain(t.Context()))
		require.Equal(t, []string{"A", "B"}, kept(t, b), "added less than the retention ago")
	})

	t.Run("PrunesMoreThanABatch", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		events := make([]sluice.Event, 2500)
		for i := range events {
			events[i] = sluice.Event{State: "E", PipelineName: "app"}
		}
		require.NoError(t, b.db.AddEvents(t.Context(), events...))
		b.c.Handle = func(context.Context, []*sluice.OutboxRecord) error { return nil }
		b.c.Batch = 1000
		require.NoError(t, b.c.Drain(t.Context()))
		require.Empty(t, kept(t, b))
	})
}

func TestRunWakesOnCommit(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.c.Interval = time.Hour // only a wake-up can bring B in time
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() { defer close(done); b.c.Run(ctx) }()
	b.add(t, "A")
	require.Equal(t, []string{"A"}, <-b.got) // Run is listening by now
	b.add(t, "B")
	require.Equal(t, []string{"B"}, <-b.got)
	cancel()
	<-done
}

// A volatile consumer reads from the end at its Register, keeps its cursor to itself and
// holds nothing back from pruning: a durable cursor of its name is dropped.
func TestVolatile(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := t.Context()
	require.NoError(t, b.db.AddOutboxConsumer(ctx, "live")) // as an earlier version kept it
	b.add(t, "before")
	var got []string
	live := &outbox.Consumer{Name: "live", Store: b.db, Volatile: true, Batch: 2,
		Handle: func(_ context.Context, recs []*sluice.OutboxRecord) error {
			for _, r := range recs {
				got = append(got, r.Event.State)
			}
			return nil
		}}
	require.NoError(t, live.Register(ctx))
	require.True(t, sluice.IsCode(b.db.DeleteOutboxConsumer(ctx, "live"), sluice.ENotFound), "the durable cursor is gone")
	b.add(t, "A", "B", "C")
	require.NoError(t, live.Drain(ctx))
	require.Equal(t, []string{"A", "B", "C"}, got, "what committed after Register, in order")
	require.NoError(t, live.Drain(ctx))
	require.Len(t, got, 3, "each once")
	require.NoError(t, b.c.Drain(ctx))
	recs, err := b.db.ReadOutboxAfter(ctx, 0, 0)
	require.NoError(t, err)
	require.Empty(t, recs, "the durable consumer pruned everything: the volatile one held nothing back")
}
