// Package sqlite is the embedded Store: one SQLite file, the default. The SQL is shared with
// the PostgreSQL store in store/sqlstore; this package names its SQLite entry points.
package sqlite

import (
	"time"

	"sluice"
	"sluice/store/sqlstore"
)

// DB is the SQLite Store.
type DB = sqlstore.DB

// Option changes how Open sets the database up.
type Option = sqlstore.Option

// Open opens (creating when needed) the database file at path and applies any migrations it
// has not seen yet. An in-memory database is not supported: the reader and writer
// connections must see the same file.
func Open(path string, opts ...Option) (*DB, error) { return sqlstore.OpenSQLite(path, opts...) }

// WithClock sets the clock that stamps migrations and events without a time.
func WithClock(c sluice.Clock) Option { return sqlstore.WithClock(c) }

// WithSealer sets the Sealer that encrypts every secret the store keeps. Without it the
// store seals with a key made for this DB value alone, enough for tests, never for a server.
func WithSealer(s sluice.Sealer) Option { return sqlstore.WithSealer(s) }

// WithBusyTimeout sets how long a statement waits for another process's lock (default 5s).
func WithBusyTimeout(d time.Duration) Option { return sqlstore.WithBusyTimeout(d) }

// WithReadConns sets the size of the read pool (default 4).
func WithReadConns(n int) Option { return sqlstore.WithReadConns(n) }
