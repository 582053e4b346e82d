package node

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"sluice"
)

// leaderLease names the lease whose holder runs what replicas on one database must run
// once: the timers, the rescuer, the pollers and schedules, the durable outbox consumers,
// the pruners and the audit export.
const leaderLease = "leader"

// defaultLeaderLease is how long the lease lasts unrenewed: a dead leader's work waits at
// most this long for another replica to take it over.
const defaultLeaderLease = 10 * time.Second

// leader runs tasks while it holds the lease, renewing it every quarter of its length.
// Losing it (another replica took it after a stall, or the database could not renew it for
// most of its length) stops the tasks before another replica can start them; ending
// releases it so another replica takes over at once. A short overlap after a stall is
// possible, which is why each task is safe to run twice: every engine command re-decides
// under its pipeline's lock, and the outbox's routes and starts are idempotent per event.
type leader struct {
	store  sluice.LeaseStore
	holder string
	ttl    time.Duration
	log    *slog.Logger
	tasks  []func(context.Context)
	held   atomic.Bool
	// changed, when set, sees every change of held (tests wait on it).
	changed func(bool)
}

// Held reports whether this server holds the lease now.
func (l *leader) Held() bool { return l.held.Load() }

// Take asks for the lease once, so that a replica that finds it free leads from the moment
// it starts serving; it reports when it took it (zero: it did not).
func (l *leader) Take(ctx context.Context) time.Time {
	now, held, err := l.hold(ctx)
	if err != nil && ctx.Err() == nil {
		l.log.Warn("leader lease: could not ask for it", "err", err)
	}
	if !held {
		return time.Time{}
	}
	l.set(true)
	return now
}

// Run leads from taken (Take's answer) when it is set, and tries for the lease until ctx
// ends, leading whenever it has it.
func (l *leader) Run(ctx context.Context, taken time.Time) {
	for {
		if !taken.IsZero() {
			l.lead(ctx, taken)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(l.ttl / 4):
		}
		taken = l.Take(ctx)
	}
}

// lead runs the tasks from when the lease was taken (at; held is set) until it is lost or
// ctx ends.
func (l *leader) lead(ctx context.Context, at time.Time) {
	l.log.Info("leader lease taken: this server runs the timers, pollers, rescuer and outbox consumers", "holder", l.holder)
	tctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	for _, t := range l.tasks {
		wg.Go(func() { t(tctx) })
	}
	stop := func() {
		cancel()
		wg.Wait()
		l.set(false)
	}
	tick := time.NewTicker(l.ttl / 4)
	defer tick.Stop()
	renewed := at
	for {
		select {
		case <-ctx.Done():
			stop() // the tasks end before another replica may start them
			rctx, done := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
			defer done()
			if err := l.store.ReleaseLease(rctx, leaderLease, l.holder); err != nil {
				l.log.Warn("leader lease: release", "err", err)
			}
			return
		case <-tick.C:
		}
		now, held, err := l.hold(ctx)
		switch {
		case err == nil && held:
			renewed = now
			continue
		case ctx.Err() != nil:
			continue // ending: the next select releases
		case err == nil:
			l.log.Warn("leader lease lost to another server; stopping the leader's work")
			stop()
			return
		case now.Sub(renewed) >= l.ttl*3/4:
			// Another replica may take it a quarter of its length from now: stop first.
			l.log.Warn("leader lease: could not renew it in time; stopping the leader's work", "err", err)
			stop()
			return
		}
	}
}

// hold takes or renews the lease for its whole length from now.
func (l *leader) hold(ctx context.Context) (now time.Time, held bool, err error) {
	now = time.Now()
	held, err = l.store.HoldLease(ctx, leaderLease, l.holder, now, now.Add(l.ttl))
	return now, held, err
}

func (l *leader) set(held bool) {
	l.held.Store(held)
	if l.changed != nil {
		l.changed(held)
	}
}
