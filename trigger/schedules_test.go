package trigger

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/store/sqlite"
)

// pinnedClock is a clock tests move by hand.
type pinnedClock struct{ at atomic.Pointer[time.Time] }

func (c *pinnedClock) Now() time.Time  { return *c.at.Load() }
func (c *pinnedClock) set(t time.Time) { c.at.Store(&t) }

func TestSchedules(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	setup := func(t *testing.T) (*sqlite.DB, *pinnedClock, func() *Schedules, func() []*sluice.OutboxRecord) {
		db, err := sqlite.Open(filepath.Join(t.TempDir(), "sluice.db"))
		require.NoError(t, err)
		t.Cleanup(func() { _ = db.Close() })
		ctx := context.Background()
		require.NoError(t, db.AddOutboxConsumer(ctx, "test"))
		require.NoError(t, db.PutEventRule(ctx, &sluice.EventRule{Name: "every-minute", ARN: "arn:aws:events:eu-west-1:111122223333:rule/every-minute",
			ScheduleExpression: "rate(1 minute)", State: sluice.RuleEnabled, Created: t0, Modified: t0, NextFire: t0.Add(time.Minute)}))
		clock := &pinnedClock{}
		clock.set(t0)
		runner := func() *Schedules {
			return &Schedules{Store: db, Clock: clock, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
		}
		read := func() []*sluice.OutboxRecord {
			recs, err := db.ReadOutbox(ctx, "test", 0)
			require.NoError(t, err)
			if len(recs) > 0 {
				require.NoError(t, db.AckOutbox(ctx, "test", recs[len(recs)-1].ID))
			}
			return recs
		}
		return db, clock, runner, read
	}

	t.Run("FiresOnTimeOnce", func(t *testing.T) {
		t.Parallel()
		_, clock, runner, read := setup(t)
		ctx := context.Background()
		clock.set(t0.Add(30 * time.Second))
		next, ok, err := runner().FireDue(ctx)
		require.NoError(t, err)
		require.True(t, ok)
		require.Equal(t, t0.Add(time.Minute), next)
		require.Empty(t, read())

		clock.set(t0.Add(time.Minute + 2*time.Second))
		next, _, err = runner().FireDue(ctx)
		require.NoError(t, err)
		require.Equal(t, t0.Add(2*time.Minute), next)
		recs := read()
		require.Len(t, recs, 1)
		ev := recs[0].Event
		require.Equal(t, sluice.DetailScheduled, ev.DetailType)
		require.Equal(t, sluice.SourceSchedule, ev.Source)
		require.Equal(t, "arn:aws:events:eu-west-1:111122223333:rule/every-minute", ev.Rule)
		require.Equal(t, t0.Add(time.Minute), ev.Time, "the event's time is the fire time")

		_, _, err = runner().FireDue(ctx)
		require.NoError(t, err)
		require.Empty(t, read(), "fired once")
	})

	t.Run("MissedFiresAreNotMadeUp", func(t *testing.T) {
		t.Parallel()
		db, clock, runner, read := setup(t)
		ctx := context.Background()
		clock.set(t0.Add(10*time.Minute + 30*time.Second))
		next, _, err := runner().FireDue(ctx)
		require.NoError(t, err)
		require.Len(t, read(), 1)
		require.Equal(t, t0.Add(11*time.Minute), next)
		r, err := db.GetEventRule(ctx, "every-minute")
		require.NoError(t, err)
		require.Equal(t, t0.Add(11*time.Minute), r.NextFire)
	})

	t.Run("RunnersRacingFireOnce", func(t *testing.T) {
		t.Parallel()
		_, clock, runner, read := setup(t)
		clock.set(t0.Add(time.Minute))
		var wg sync.WaitGroup
		for range 4 {
			wg.Go(func() {
				_, _, err := runner().FireDue(context.Background())
				require.NoError(t, err)
			})
		}
		wg.Wait()
		require.Len(t, read(), 1)
	})

	t.Run("FailureBeforeCommitLosesNoFire", func(t *testing.T) {
		t.Parallel()
		db, clock, runner, read := setup(t)
		ctx := context.Background()
		clock.set(t0.Add(time.Minute))
		broken := runner()
		broken.Store = failingEvents{db} // the process dies between moving the rule and adding its event
		_, _, err := broken.FireDue(ctx)
		require.Error(t, err)
		r, err := db.GetEventRule(ctx, "every-minute")
		require.NoError(t, err)
		require.Equal(t, t0.Add(time.Minute), r.NextFire, "the move rolled back with the event")
		_, _, err = runner().FireDue(ctx)
		require.NoError(t, err)
		require.Len(t, read(), 1)
	})

	t.Run("RunWakesOnNewRule", func(t *testing.T) {
		t.Parallel()
		db, clock, runner, _ := setup(t)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		wake, err := db.Listen(ctx, sluice.TopicOutbox)
		require.NoError(t, err)
		r := runner()
		r.Idle = time.Hour // only a wake-up can make it fire in this test's time
		done := make(chan error, 1)
		go func() { done <- r.Run(ctx) }()
		clock.set(t0.Add(5 * time.Minute))
		// A rule put with a fire time in the past wakes the runner, which fires it.
		require.NoError(t, db.PutEventRule(ctx, &sluice.EventRule{Name: "now", ARN: "arn:aws:events:eu-west-1:111122223333:rule/now",
			ScheduleExpression: "rate(1 hour)", State: sluice.RuleEnabled, Created: t0, Modified: t0, NextFire: t0.Add(time.Minute)}))
		select {
		case <-wake:
		case <-time.After(time.Minute):
			t.Fatal("the runner fired nothing")
		}
		cancel()
		require.NoError(t, <-done)
	})
}

// failingEvents is a store whose transactions cannot add events.
type failingEvents struct{ *sqlite.DB }

func (f failingEvents) InTx(ctx context.Context, fn func(sluice.Executor) error) error {
	return f.DB.InTx(ctx, func(x sluice.Executor) error { return fn(failingAdd{x}) })
}

type failingAdd struct{ sluice.Executor }

func (failingAdd) AddEvents(context.Context, ...sluice.Event) error { return errors.New("killed") }
