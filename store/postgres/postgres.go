// Package postgres is the Store on PostgreSQL, for several servers on one database. The SQL
// is shared with the SQLite store in store/sqlstore (see postgres.go there for isolation,
// locks and notifications); this package names its PostgreSQL entry points.
package postgres

import (
	"context"

	"sluice"
	"sluice/store/sqlstore"
)

// DB is the PostgreSQL Store.
type DB = sqlstore.DB

// Option changes how Open sets the database up.
type Option = sqlstore.Option

// PoolConfig sizes the connection pool.
type PoolConfig = sqlstore.PoolConfig

// Open connects to the database at dsn (postgres://user@host:5432/name?sslmode=disable, or
// key=value pairs) and applies any migrations it has not seen yet. The tables live in the
// connection's schema (search_path, "public" by default).
func Open(ctx context.Context, dsn string, opts ...Option) (*DB, error) {
	return sqlstore.OpenPostgres(ctx, dsn, opts...)
}

// WithWaiting sets what is told each time Open tries again a database not up yet.
func WithWaiting(f func(err error)) Option { return sqlstore.WithWaiting(f) }

// WithClock sets the clock that stamps migrations and events without a time.
func WithClock(c sluice.Clock) Option { return sqlstore.WithClock(c) }

// WithSealer sets the Sealer that encrypts every secret the store keeps. Without it the
// store seals with a key made for this DB value alone, enough for tests, never for a server.
func WithSealer(s sluice.Sealer) Option { return sqlstore.WithSealer(s) }

// WithPool sizes the connection pool.
func WithPool(p PoolConfig) Option { return sqlstore.WithPool(p) }
