package engine

import (
	"context"
	"math"
	"sync/atomic"
	"time"
)

// Timers fires action deadlines (approval expiry, action timeouts). Deadlines live in the
// store, so a deadline that passed while the server was down fires at start-up: late, never
// lost. Wake is called when new deadlines may be earlier than the one it sleeps towards.
type Timers struct {
	Engine *Engine
	// Idle bounds a sleep when no deadline is pending, as a safety net.
	Idle time.Duration
	wake chan struct{}
	// target is when Run next looks, in unix nanoseconds; Schedule wakes it only for an
	// earlier deadline, so starting an action does not cost two queries.
	target atomic.Int64
}

// NewTimers returns timers for e.
func NewTimers(e *Engine) *Timers {
	return &Timers{Engine: e, Idle: time.Minute, wake: make(chan struct{}, 1)}
}

// Schedule tells Run about a new deadline; it wakes Run only when the deadline comes before
// the time Run sleeps towards.
func (t *Timers) Schedule(deadline time.Time) {
	if deadline.UnixNano() < t.target.Load() {
		t.Wake()
	}
}

// Wake makes Run look at the deadlines again.
func (t *Timers) Wake() {
	select {
	case t.wake <- struct{}{}:
	default:
	}
}

// Run fires due deadlines until ctx ends.
func (t *Timers) Run(ctx context.Context) {
	for ctx.Err() == nil {
		t.target.Store(math.MaxInt64) // while looking, every new deadline wakes the next look
		t.fireDue(ctx)
		wait := t.Idle
		if next, ok, err := t.Engine.Store.NextDeadline(ctx); err == nil && ok {
			// A deadline already past after firing belongs to an action that cannot time out
			// any more; do not spin on it.
			wait = min(wait, max(next.Sub(t.Engine.Clock.Now()), 50*time.Millisecond))
		}
		t.target.Store(t.Engine.Clock.Now().Add(wait).UnixNano())
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
		case <-t.wake:
		case <-timer.C:
		}
		timer.Stop()
	}
}

func (t *Timers) fireDue(ctx context.Context) {
	refs, err := t.Engine.Store.DueActions(ctx, t.Engine.Clock.Now())
	if err != nil {
		t.Engine.Log.Error("read due actions", "err", err)
		return
	}
	for _, ref := range refs {
		if err := t.Engine.Timeout(ctx, ref); err != nil {
			t.Engine.Log.Error("fire action deadline", "action", ref.ActionRunID, "err", err)
		}
	}
}
