package trigger

import (
	"context"
	"log/slog"
	"time"

	"sluice"
	"sluice/schedule"
)

// ScheduleStore is what the schedule runner reads and writes.
type ScheduleStore interface {
	DueEventRules(ctx context.Context, now time.Time, limit int) ([]*sluice.EventRule, error)
	NextEventRuleFire(ctx context.Context) (time.Time, bool, error)
	InTx(ctx context.Context, fn func(sluice.Executor) error) error
	Listen(ctx context.Context, topic string) (<-chan struct{}, error)
}

// Schedules fires EventBridge rules' schedules: for each due rule it adds a Scheduled Event
// naming the rule to the outbox and moves the rule's next fire time, in one transaction
// guarded by the fire time it read. A crash before the commit leaves the rule due (it fires
// when the runner starts again); after it, the event is in the outbox and the rule moved.
// Two runners that read the same rule fire it once. Fires missed while the server was down
// are not made up: the rule fires once for the first of them and then at its next time
// after now, as a rule does not queue fires.
type Schedules struct {
	Store ScheduleStore
	Clock sluice.Clock
	// Idle is the longest the runner sleeps without a wake-up (0: a minute): a bound on how
	// late a fire is when the clock jumps.
	Idle time.Duration
	Log  *slog.Logger
}

const dueBatch = 100

// Run fires due rules until ctx ends, woken by the next fire time and by TopicEventRules.
func (s *Schedules) Run(ctx context.Context) error {
	wake, err := s.Store.Listen(ctx, sluice.TopicEventRules)
	if err != nil {
		return err
	}
	idle := s.Idle
	if idle <= 0 {
		idle = time.Minute
	}
	for {
		wait := idle
		next, ok, err := s.FireDue(ctx)
		if err != nil {
			s.Log.Error("schedules: fire due rules", "err", err)
		} else if ok {
			wait = min(max(next.Sub(s.Clock.Now()), 0), idle)
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-wake:
		case <-t.C:
		}
		t.Stop()
	}
}

// FireDue fires every rule due at the clock's now and returns the next fire time (false:
// none scheduled).
func (s *Schedules) FireDue(ctx context.Context) (time.Time, bool, error) {
	now := s.Clock.Now()
	for {
		due, err := s.Store.DueEventRules(ctx, now, dueBatch)
		if err != nil {
			return time.Time{}, false, err
		}
		for _, r := range due {
			if err := s.fire(ctx, r, now); err != nil {
				return time.Time{}, false, err
			}
		}
		if len(due) < dueBatch {
			break
		}
	}
	return s.Store.NextEventRuleFire(ctx)
}

// fire adds r's scheduled event for its fire time and moves NextFire past now.
func (s *Schedules) fire(ctx context.Context, r *sluice.EventRule, now time.Time) error {
	var next time.Time
	if sch, err := schedule.Parse(r.ScheduleExpression); err == nil {
		next = sch.Next(r.NextFire)
		if !next.After(now) {
			next = sch.Next(now)
		}
	} else {
		s.Log.Warn("schedules: a rule's schedule does not parse; it fires no more", "rule", r.ARN, "err", err)
	}
	return s.Store.InTx(ctx, func(x sluice.Executor) error {
		moved, err := x.AdvanceEventRule(ctx, r.Name, r.NextFire, next)
		if err != nil || !moved {
			return err // another runner fired it, or the rule changed
		}
		return x.AddEvents(ctx, sluice.Event{Source: sluice.SourceSchedule, DetailType: sluice.DetailScheduled, Rule: r.ARN,
			Time: r.NextFire})
	})
}
