package sqlstore

import (
	"context"
	"database/sql"
	"time"
)

const (
	// qHoldLease takes a free or run-out lease, or renews the holder's own; a lease another
	// holder holds past now is left alone, and no row changes.
	qHoldLease = `INSERT INTO leases (name, holder, expires_at) VALUES (?1, ?2, ?4)
ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
WHERE leases.holder = excluded.holder OR leases.expires_at <= ?3`
	qReleaseLease = `DELETE FROM leases WHERE name = ? AND holder = ?`
)

// HoldLease takes or renews name for holder until until (sluice.LeaseStore).
func (db *DB) HoldLease(ctx context.Context, name, holder string, now, until time.Time) (bool, error) {
	var held bool
	err := db.write(ctx, func(c conn) (err error) {
		held, err = c.execOne(ctx, qHoldLease, name, holder, ts(now), ts(until))
		return err
	})
	return held, err
}

// ReleaseLease gives name up when holder holds it.
func (db *DB) ReleaseLease(ctx context.Context, name, holder string) error {
	return db.write(ctx, func(c conn) error {
		_, err := c.exec(ctx, qReleaseLease, name, holder)
		return err
	})
}

// LockRepository takes name's lock across processes on the dialect's session lock, held on
// a connection of its own until unlock; the database drops it if this process dies. SQLite
// has one server per database, whose in-process lock is enough.
func (db *DB) LockRepository(ctx context.Context, name string) (func(), error) {
	if db.d.lockRepo == "" {
		return func() {}, nil
	}
	c, err := db.w.db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := c.ExecContext(ctx, db.d.rewrite(db.d.lockRepo), db.w.convert([]any{name})...); err != nil {
		c.Close()
		return nil, db.w.mapErr(err)
	}
	return func() { unlockRepo(c, db.d.rewrite(db.d.unlockRepo), db.w.convert([]any{name})) }, nil
}

// unlockRepo releases the session lock and gives the connection back; when the unlock
// cannot be sent the connection is dropped instead, which releases the lock too.
func unlockRepo(c *sql.Conn, q string, args []any) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := c.ExecContext(ctx, q, args...); err != nil {
		_ = c.Raw(func(any) error { return err }) // a driver error here marks the connection bad
	}
	_ = c.Close()
}
