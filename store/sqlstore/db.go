package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"sluice"
	"sluice/sealbox"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

var _ sluice.Store = (*DB)(nil)

// DB is the SQLite Store. SQLite allows one writer at a time, so every write goes through
// one connection (w) and transactions begin IMMEDIATE: a transaction takes the write lock
// when it starts instead of failing with SQLITE_BUSY when it first writes. That single
// writer also serialises the Updates of all pipelines, which is what Store.Update promises.
type DB struct {
	executor // the resource methods, each call its own transaction
	notes    notifier
	w        *pool // the only writing connection
	r        *pool // read-only connections for Reader methods
	clock    sluice.Clock
	sealer   sluice.Sealer // seals the secret columns (seal.go)
}

type options struct {
	clock       sluice.Clock
	sealer      sluice.Sealer
	busyTimeout time.Duration
	readConns   int
}

// Option changes how Open sets the database up.
type Option func(*options)

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

// OpenSQLite opens (creating when needed) the database file at path and applies any migrations it
// has not seen yet. An in-memory database is not supported: the reader and writer
// connections must see the same file.
func OpenSQLite(path string, opts ...Option) (*DB, error) {
	o := options{clock: systemClock{}, busyTimeout: 5 * time.Second, readConns: 4}
	for _, opt := range opts {
		opt(&o)
	}
	if path == "" || strings.ContainsRune(path, '?') || strings.HasPrefix(path, ":memory:") {
		return nil, fmt.Errorf("sqlite: invalid database path %q", path)
	}
	w, err := openPool(path, o, true)
	if err != nil {
		return nil, err
	}
	if o.sealer == nil {
		o.sealer = sealbox.Ephemeral()
	}
	db := &DB{w: w, clock: o.clock, sealer: o.sealer}
	db.executor = executor{db: db}
	if err := db.migrate(context.Background()); err != nil {
		return nil, errors.Join(err, w.close())
	}
	// Every start opens every sealed value once, so a wrong key fails here, and moves
	// values sealed with an older key to the current one (the key's rotation).
	if err := db.write(context.Background(), func(c conn) error { return db.reseal(context.Background(), c.tx) }); err != nil {
		return nil, errors.Join(fmt.Errorf("sqlite: the sealed secrets: %w", err), w.close())
	}
	if err := db.buildWatches(context.Background()); err != nil {
		return nil, errors.Join(err, w.close())
	}
	if db.r, err = openPool(path, o, false); err != nil {
		return nil, errors.Join(err, w.close())
	}
	err = errors.Join(db.w.prepareAll(context.Background(), append(writeQueries, claimQueries()...)),
		db.r.prepareAll(context.Background(), readQueries))
	if err != nil {
		return nil, errors.Join(err, db.Close())
	}
	return db, nil
}

// openPool opens the writer (one connection) or the read pool. synchronous=NORMAL in WAL
// mode keeps every committed transaction through a crash of the process (the WAL is in the
// OS's page cache); only a power loss or kernel crash can lose the last commits. That is
// the durability Sluice promises, and it saves an fsync per commit on the hot path.
func openPool(path string, o options, writer bool) (*pool, error) {
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", o.busyTimeout.Milliseconds()))
	q.Add("_pragma", "foreign_keys(ON)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Add("_pragma", "temp_store(MEMORY)")
	// Pages stay in the connection's cache (32 MiB writer, 8 MiB per reader) instead of
	// being read again through the OS on every transaction.
	if writer {
		// Deleted and overwritten content is zeroed, so a secret sealed in place (migration
		// 0014) or deleted leaves no plaintext in the file's free space.
		q.Add("_pragma", "secure_delete(ON)")
		q.Add("_pragma", "cache_size(-32768)")
		q.Add("_pragma", "journal_mode(WAL)")
		q.Set("_txlock", "immediate")
	} else {
		q.Add("_pragma", "cache_size(-8192)")
		q.Add("_pragma", "query_only(ON)")
	}
	sdb, err := sql.Open("sqlite", path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	n := max(o.readConns, 1)
	if writer {
		n = 1
	}
	sdb.SetMaxOpenConns(n)
	sdb.SetMaxIdleConns(n)
	sdb.SetConnMaxLifetime(0)
	sdb.SetConnMaxIdleTime(0)
	if err := sdb.Ping(); err != nil {
		return nil, errors.Join(fmt.Errorf("sqlite: open %s: %w", path, err), sdb.Close())
	}
	return newPool(sdb), nil
}

// Close closes both pools. Every transaction has committed or rolled back by then, so the
// file is consistent; the WAL is checkpointed when the last connection closes.
func (db *DB) Close() error {
	var err error
	if db.r != nil {
		err = db.r.close()
	}
	return errors.Join(err, db.w.close())
}
