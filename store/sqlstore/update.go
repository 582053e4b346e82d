package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"sluice"
)

// Update runs fn in one transaction that writes pipelineName's rows alone: on SQLite the
// single writer serialises all pipelines; on PostgreSQL the transaction first takes the
// pipeline's lock (dialect.lockPipeline). fn's error rolls back and is returned unchanged; a
// panic in fn rolls back and panics again. fn must write only through its Tx: on SQLite the
// writer's one connection is busy until fn returns, so a DB method that writes (ClaimJobs,
// TagResource, ...) called from fn would wait for it forever. On PostgreSQL this process's
// Updates of one pipeline take turns (DB.turns) before they take a connection.
func (db *DB) Update(ctx context.Context, pipelineName string, fn func(sluice.Tx) error) error {
	if db.d.lockPipeline != "" {
		release, err := db.turns.LockContext(ctx, pipelineName)
		if err != nil {
			return fmt.Errorf("%s: wait for pipeline %s: %w", db.d.name, pipelineName, err)
		}
		defer release()
	}
	return db.inTx(ctx, func(in *txState) error {
		if db.d.lockPipeline != "" {
			if _, err := in.c.exec(ctx, db.d.lockPipeline, pipelineName); err != nil {
				return fmt.Errorf("%s: lock pipeline %s: %w", db.d.name, pipelineName, err)
			}
		}
		return fn(&tx{executor: executor{db: db, in: in}, c: in.c, name: pipelineName})
	})
}

// inTx runs fn in one IMMEDIATE transaction on the writer and, once it has committed,
// publishes the topics fn's writes notified.
func (db *DB) inTx(ctx context.Context, fn func(*txState) error) error {
	stx, err := db.w.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("%s: begin: %w", db.d.name, err)
	}
	// The transaction's error (or panic) is the one worth reporting; after Commit this
	// is a no-op.
	defer stx.Rollback() //nolint:errcheck
	in := &txState{c: conn{p: db.w, tx: stx}}
	if err := fn(in); err != nil {
		return err
	}
	return db.commit(ctx, stx, in)
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
	stx, err := db.r.db.BeginTx(ctx, db.d.readTx)
	if err != nil {
		return fmt.Errorf("%s: begin read: %w", db.d.name, err)
	}
	defer stx.Rollback() //nolint:errcheck // read-only: nothing to keep
	return fn(conn{p: db.r, tx: stx})
}

// write runs fn in an IMMEDIATE transaction on the writer, for writes outside Update.
func (db *DB) write(ctx context.Context, fn func(conn) error) error {
	stx, err := db.w.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("%s: begin: %w", db.d.name, err)
	}
	defer stx.Rollback() //nolint:errcheck // a no-op after Commit
	in := &txState{c: conn{p: db.w, tx: stx}}
	if err := fn(in.c); err != nil {
		return err
	}
	return db.commit(ctx, stx, in)
}

// commit commits a write transaction with the audit record ctx carries, when no
// transaction has written it yet: the record of a change commits with the change. The
// topics the transaction notified go to other processes with the commit (dialect.notify)
// and to this one's listeners once it has committed.
func (db *DB) commit(ctx context.Context, stx *sql.Tx, in *txState) error {
	rec, err := db.writePending(ctx, in.c)
	if err != nil {
		return err
	}
	topics := in.topics
	if rec != nil {
		topics = append(topics, sluice.TopicAudit)
	}
	if db.d.notify != nil {
		for _, topic := range topics {
			q, args := db.d.notify(topic)
			if _, err := in.c.exec(ctx, q, args...); err != nil {
				return fmt.Errorf("%s: notify %s: %w", db.d.name, topic, err)
			}
		}
	}
	err = db.w.mapErr(stx.Commit())
	if rec != nil {
		rec.Settle(err == nil)
	}
	if err != nil {
		return fmt.Errorf("%s: commit: %w", db.d.name, err)
	}
	for _, topic := range topics {
		db.notes.publish(topic)
	}
	return nil
}
