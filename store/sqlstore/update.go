package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"sluice"
)

// Update runs fn in one IMMEDIATE transaction on the writer. The single writer already
// serialises all pipelines, so no per-pipeline lock is needed. fn's error rolls back and is
// returned unchanged; a panic in fn rolls back and panics again. fn must write only through
// its Tx: the writer's one connection is busy until fn returns, so a DB method that writes
// (ClaimJobs, TagResource, ...) called from fn would wait for it forever.
func (db *DB) Update(ctx context.Context, pipelineName string, fn func(sluice.Tx) error) error {
	return db.inTx(ctx, func(in *txState) error {
		return fn(&tx{executor: executor{db: db, in: in}, c: in.c, name: pipelineName})
	})
}

// inTx runs fn in one IMMEDIATE transaction on the writer and, once it has committed,
// publishes the topics fn's writes notified.
func (db *DB) inTx(ctx context.Context, fn func(*txState) error) error {
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
	in := &txState{c: conn{p: db.w, tx: stx}}
	if err := fn(in); err != nil {
		return err
	}
	if err := db.commit(ctx, stx, in.c); err != nil {
		return err
	}
	committed = true
	for _, topic := range in.topics {
		db.notes.publish(topic)
	}
	return nil
}

// tx is one pipeline's transaction; every row it writes belongs to that pipeline, and its
// executor writes other resources in the same transaction.
type tx struct {
	executor
	c    conn
	name string
}

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
	c := conn{p: db.w, tx: stx}
	if err := fn(c); err != nil {
		return err
	}
	return db.commit(ctx, stx, c)
}

// commit commits a write transaction with the audit record ctx carries, when no
// transaction has written it yet: the record of a change commits with the change.
func (db *DB) commit(ctx context.Context, stx *sql.Tx, c conn) error {
	rec, err := db.writePending(ctx, c)
	if err != nil {
		return err
	}
	err = stx.Commit()
	if rec != nil {
		rec.Settle(err == nil)
		if err == nil {
			db.notes.publish(sluice.TopicAudit)
		}
	}
	if err != nil {
		return fmt.Errorf("sqlite: commit: %w", err)
	}
	return nil
}
