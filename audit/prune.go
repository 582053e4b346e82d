package audit

import (
	"context"
	"log/slog"
	"time"

	"sluice"
)

// DefaultRetention is how long events are kept: CloudTrail's event history keeps 90 days.
const DefaultRetention = 90 * 24 * time.Hour

// Pruner deletes the events older than Retention, at start and then every Interval.
type Pruner struct {
	Store     sluice.AuditLog
	Clock     sluice.Clock
	Retention time.Duration // 0 keeps every event
	Interval  time.Duration // default an hour
	Log       *slog.Logger
}

// Run prunes until ctx ends.
func (p *Pruner) Run(ctx context.Context) {
	if p.Retention <= 0 {
		return
	}
	every := p.Interval
	if every <= 0 {
		every = time.Hour
	}
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		if n, err := p.Prune(ctx); err != nil && ctx.Err() == nil {
			p.Log.Error("audit: prune", "err", err)
		} else if n > 0 {
			p.Log.Info("audit: pruned events past the retention", "events", n, "retention", p.Retention)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// Prune deletes the events older than the retention, a batch at a time, and returns how many.
func (p *Pruner) Prune(ctx context.Context) (int, error) {
	before, total := p.Clock.Now().Add(-p.Retention), 0
	for {
		n, err := p.Store.PruneAuditEvents(ctx, before, 1000)
		total += n
		if err != nil || n < 1000 {
			return total, err
		}
	}
}
