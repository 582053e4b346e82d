package sluice

import (
	"context"
	"time"
)

// LeaseStore hands out named leases, one holder each, for what several servers on one
// database must run once (pollers, timers, the rescuer, the outbox's consumers, retention):
// a holder renews its lease well before it runs out, and when the holder dies the lease
// runs out and another server takes it. Times are the callers' clocks, so the servers'
// clocks must agree to well within a lease's length.
type LeaseStore interface {
	// HoldLease takes the lease name for holder until until, or renews it when holder holds
	// it already; it reports whether holder holds it afterwards. A lease another holder
	// holds past now is left alone (false).
	HoldLease(ctx context.Context, name, holder string, now, until time.Time) (bool, error)
	// ReleaseLease gives up name when holder holds it, so that another server may take it
	// at once; otherwise it changes nothing.
	ReleaseLease(ctx context.Context, name, holder string) error
}

// RepositoryLocker makes the writes to one hosted repository take turns across the servers
// sharing its directory (a push, a commit, the repository's creation and deletion).
type RepositoryLocker interface {
	// LockRepository waits until name's lock is free and takes it, until unlock is called
	// or the process dies. A store with one process returns at once: the server's own
	// in-process lock is then enough.
	LockRepository(ctx context.Context, name string) (unlock func(), err error)
}
