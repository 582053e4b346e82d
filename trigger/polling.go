package trigger

import (
	"context"
	"log/slog"
	"math/rand/v2"
	"time"
)

// Round is one poll round of one kind of source: a ConnectionRound (connections' branches)
// or an ObjectRound (S3 objects and image tags).
type Round interface {
	PollOnce(ctx context.Context) error
}

// Polling is the one poll loop of the sources that live outside Sluice: every Round at
// once, which catches up on what changed while the server was down, then every Interval,
// varied by up to a fifth either way so that servers started together do not poll in step.
// A source that fails backs off in its Round (see backoffs).
type Polling struct {
	Rounds   []Round
	Interval time.Duration // 0 turns polling off
	Log      *slog.Logger
}

// Run polls until ctx ends.
func (p *Polling) Run(ctx context.Context) {
	if p.Interval <= 0 {
		return
	}
	for {
		for _, r := range p.Rounds {
			if err := r.PollOnce(ctx); err != nil && ctx.Err() == nil {
				p.Log.Error("poll sources for changes", "err", err)
			}
		}
		t := time.NewTimer(jitter(p.Interval, rand.Float64())) //nolint:gosec // jitter, not a secret
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
	}
}

// jitter varies d by up to a fifth either way; r is in [0, 1).
func jitter(d time.Duration, r float64) time.Duration {
	return time.Duration(float64(d) * (0.8 + 0.4*r))
}
