package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"sluice"
	"sluice/keylock"
	"sluice/sealbox"
)

var _ sluice.Store = (*DB)(nil)

// DB is the Store on one engine. On SQLite, w is the only writing connection and r a pool
// of read-only ones; on PostgreSQL both are the same pool (see the package doc).
type DB struct {
	executor // the resource methods, each call its own transaction
	d        *dialect
	notes    notifier
	w        *pool // where writes run
	r        *pool // where Reader methods run
	clock    sluice.Clock
	sealer   sluice.Sealer // seals the secret columns (seal.go)
	// turns lets one Update of each pipeline at a time through, in this process, before it
	// takes a connection (PostgreSQL). An Update waiting for its pipeline's advisory lock
	// would hold a pooled connection idle: a burst on a few pipelines held all but one or two,
	// and every other read, the access-key lookup of each request among them, queued for
	// those. The advisory lock still orders the Updates of different processes.
	turns keylock.Locks
}

type options struct {
	clock       sluice.Clock
	sealer      sluice.Sealer
	busyTimeout time.Duration
	readConns   int
	pool        PoolConfig
	waiting     func(err error) // told each time a PostgreSQL not up yet is tried again
}

// Option changes how Open sets the database up.
type Option func(*options)

// WithWaiting sets what is told, with the error, each time Open tries again a PostgreSQL
// that is not up yet (a server logs it, so an operator sees why its start waits).
func WithWaiting(f func(err error)) Option { return func(o *options) { o.waiting = f } }

// WithClock sets the clock that stamps migrations and events without a time.
func WithClock(c sluice.Clock) Option { return func(o *options) { o.clock = c } }

// WithSealer sets the Sealer that encrypts every secret the store keeps (see seal.go).
// Without it the store seals with a key made for this DB value alone (sealbox.Ephemeral), so
// that a reopened file cannot read what it sealed: enough for tests, never for a server.
func WithSealer(s sluice.Sealer) Option { return func(o *options) { o.sealer = s } }

// WithBusyTimeout sets how long a statement waits for another process's lock (default 5s).
func WithBusyTimeout(d time.Duration) Option { return func(o *options) { o.busyTimeout = d } }

// WithReadConns sets the size of the read pool (default 4).
func WithReadConns(n int) Option { return func(o *options) { o.readConns = n } }

type systemClock struct{}

func (systemClock) Now() time.Time { return time.Now() }

// open finishes what every engine's Open does once its pools are open: it applies the
// migrations, opens every sealed value, builds the watch index and prepares the hot
// statements. w may be r (PostgreSQL's one pool).
func open(d *dialect, w, r *pool, o options) (*DB, error) {
	if o.sealer == nil {
		o.sealer = sealbox.Ephemeral()
	}
	db := &DB{d: d, w: w, clock: o.clock, sealer: o.sealer}
	db.executor = executor{db: db}
	fail := func(err error) (*DB, error) {
		if r != w {
			err = errors.Join(err, r.close())
		}
		return nil, errors.Join(err, w.close())
	}
	if err := db.migrate(context.Background()); err != nil {
		return fail(err)
	}
	// Every start opens every sealed value once, so a wrong key fails here, and moves
	// values sealed with an older key to the current one (the key's rotation).
	if err := db.write(context.Background(), func(c conn) error { return db.reseal(context.Background(), c.tx) }); err != nil {
		return fail(fmt.Errorf("%s: the sealed secrets: %w", d.name, err))
	}
	if err := db.buildWatches(context.Background()); err != nil {
		return fail(err)
	}
	db.r = r
	err := errors.Join(db.w.prepareAll(context.Background(), append(writeQueries, claimQueries()...)),
		db.r.prepareAll(context.Background(), readQueries))
	if err != nil {
		return nil, errors.Join(err, db.Close())
	}
	return db, nil
}

// Close closes both pools. Every transaction has committed or rolled back by then, so the
// file is consistent; the WAL is checkpointed when the last connection closes.
func (db *DB) Close() error {
	var err error
	if db.r != nil && db.r != db.w {
		err = db.r.close()
	}
	if db.d.close != nil {
		err = errors.Join(err, db.d.close())
	}
	return errors.Join(err, db.w.close())
}
