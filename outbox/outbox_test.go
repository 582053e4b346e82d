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
