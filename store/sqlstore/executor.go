package sqlstore

import (
	"context"
	"slices"

	"sluice"
)

var (
	_ sluice.Executor = executor{}
	_ sluice.Tx       = (*tx)(nil)
)

// executor runs the resource methods (repositories, tags, projects, ...) written once for
// both places they run. On the DB (in == nil) each call is its own transaction: reads on
// the read pool, writes on the writer. In a transaction every statement runs in it, and
// notifications wait for its commit.
type executor struct {
	db *DB
	in *txState
}

// txState is what one open transaction carries: its connection and the topics to notify
// when it commits.
type txState struct {
	c      conn
	topics []string
}

// rd is where a single read runs.
func (e executor) rd() conn {
	if e.in != nil {
		return e.in.c
	}
	return e.db.reader()
}

// wr is where a single write runs; on the DB it commits on its own.
func (e executor) wr() conn {
	if e.in != nil {
		return e.in.c
	}
	return e.db.writer()
}

// write runs fn's statements in one transaction: the executor's, or a new one on the DB.
func (e executor) write(ctx context.Context, fn func(conn) error) error {
	if e.in != nil {
		return fn(e.in.c)
	}
	return e.db.write(ctx, fn)
}

// Notify publishes topic now, or when the executor's transaction commits.
func (e executor) Notify(ctx context.Context, topic string) error {
	e.notify(ctx, topic)
	return nil
}

func (e executor) notify(ctx context.Context, topic string) {
	if e.in == nil {
		e.db.publish(ctx, topic)
		return
	}
	if !slices.Contains(e.in.topics, topic) {
		e.in.topics = append(e.in.topics, topic)
	}
}

// AddEvents appends events to the outbox under their own pipeline names.
func (e executor) AddEvents(ctx context.Context, events ...sluice.Event) error {
	if len(events) == 0 {
		return nil
	}
	err := e.write(ctx, func(c conn) error {
		for i := range events {
			if err := addEvent(ctx, c, e.db.clock, events[i].PipelineName, &events[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if err == nil {
		e.notify(ctx, sluice.TopicOutbox)
	}
	return err
}

// InTx runs fn in one IMMEDIATE transaction on the writer, as Update does, for writes that
// belong to no pipeline.
func (db *DB) InTx(ctx context.Context, fn func(sluice.Executor) error) error {
	return db.inTx(ctx, func(in *txState) error { return fn(executor{db: db, in: in}) })
}
