package sqlite

import (
	"context"
	"fmt"

	"sluice"
)

// Update runs fn in one IMMEDIATE transaction on the writer. The single writer already
// serialises all pipelines, so no per-pipeline lock is needed. fn's error rolls back and is
// returned unchanged; a panic in fn rolls back and panics again. fn must write only through
// its Tx: the writer's one connection is busy until fn returns, so a DB method that writes
// (ClaimJobs, TagResource, ...) called from fn would wait for it forever.
func (db *DB) Update(ctx context.Context, pipelineName string, fn func(sluice.Tx) error) error {
	stx, err := db.w.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: begin: %w", err)
	}
	committed := false
	defer func() {
		if !committed {
			_ = stx.Rollback() // the transaction's error (or panic) is the one worth reporting
		}
	}()
	if err := fn(&tx{db: db, c: conn{p: db.w, tx: stx}, name: pipelineName}); err != nil {
		return err
	}
	committed = true
	if err := stx.Commit(); err != nil {
		return fmt.Errorf("sqlite: commit: %w", err)
	}
	return nil
}

// tx is one pipeline's transaction; every row it writes belongs to that pipeline.
type tx struct {
	db   *DB
	c    conn
	name string
}

var _ sluice.Tx = (*tx)(nil)

// read runs fn in a read transaction on the read pool, so its queries see one snapshot.
func (db *DB) read(ctx context.Context, fn func(conn) error) error {
	stx, err := db.r.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: begin read: %w", err)
	}
	defer stx.Rollback() //nolint:errcheck // read-only: nothing to keep
	return fn(conn{p: db.r, tx: stx})
}

// write runs fn in an IMMEDIATE transaction on the writer, for writes outside Update.
func (db *DB) write(ctx context.Context, fn func(conn) error) error {
	stx, err := db.w.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: begin: %w", err)
	}
	defer stx.Rollback() //nolint:errcheck // a no-op after Commit
	if err := fn(conn{p: db.w, tx: stx}); err != nil {
		return err
	}
	return stx.Commit()
}
