package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"time"

	"sluice"
)

const (
	// qAddConsumer starts a new cursor at the last id the outbox ever gave, so the consumer
	// reads what commits afterwards.
	qAddConsumer = `INSERT INTO outbox_consumers (name, position, updated)
VALUES (?, coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'outbox'), 0), ?)
ON CONFLICT (name) DO NOTHING`
	qDeleteConsumer = `DELETE FROM outbox_consumers WHERE name = ?`
	qConsumer       = `SELECT position FROM outbox_consumers WHERE name = ?`
	qReadOutbox     = `SELECT id, payload, created FROM outbox WHERE id > ? ORDER BY id LIMIT ?`
	qAckOutbox      = `UPDATE outbox_consumers SET position = max(position, ?), updated = ? WHERE name = ?`
	// qPruneOutbox deletes, among the oldest records every consumer has passed (a window of
	// at most limit), those created before the bound; with no consumer the bound is NULL and
	// nothing matches. The window keeps each prune to limit rows: filtering on created
	// inside it would scan every record kept for the event stream (a day's) on each prune.
	// created is the events' time, in commit order but for events put with an earlier or
	// later Time: one from the future waits for its time, and the records behind it in its
	// window still go.
	qPruneOutbox = `DELETE FROM outbox WHERE id IN (SELECT id FROM outbox
WHERE id <= (SELECT min(position) FROM outbox_consumers) ORDER BY id LIMIT ?) AND created < ?`
	qReadOutboxAfter = `SELECT id, payload, created FROM outbox WHERE id > ? ORDER BY id LIMIT ?`
	qOutboxEnd       = `SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'outbox'), 0)`
)

func consumerNotFound(name string) error {
	return sluice.Errorf(sluice.ENotFound, "OutboxConsumer", "outbox consumer %s does not exist", name)
}

// AddOutboxConsumer registers name with a cursor at the end of the outbox, or keeps the
// cursor it has.
func (db *DB) AddOutboxConsumer(ctx context.Context, name string) error {
	_, err := db.writer().exec(ctx, qAddConsumer, name, ts(db.clock.Now()))
	return err
}

// DeleteOutboxConsumer removes name's cursor (ENotFound/OutboxConsumer).
func (db *DB) DeleteOutboxConsumer(ctx context.Context, name string) error {
	ok, err := db.writer().execOne(ctx, qDeleteConsumer, name)
	if err != nil || ok {
		return err
	}
	return consumerNotFound(name)
}

// ReadOutbox returns up to limit records past consumer's cursor, by id. The single writer
// gives ids in commit order, so id order is commit order.
func (db *DB) ReadOutbox(ctx context.Context, consumer string, limit int) ([]*sluice.OutboxRecord, error) {
	if limit <= 0 {
		limit = 100
	}
	var out []*sluice.OutboxRecord
	err := db.read(ctx, func(c conn) error {
		var pos int64
		err := c.queryRow(ctx, qConsumer, consumer).Scan(&pos)
		if errors.Is(err, sql.ErrNoRows) {
			return consumerNotFound(consumer)
		}
		if err != nil {
			return err
		}
		out, err = queryAll(ctx, c, scanRecord, qReadOutbox, pos, limit)
		return err
	})
	return out, err
}

func scanRecord(sc scanner) (*sluice.OutboxRecord, error) {
	var (
		r       sluice.OutboxRecord
		payload string
		created int64
	)
	if err := sc.Scan(&r.ID, &payload, &created); err != nil {
		return nil, err
	}
	r.Created = tm(created)
	if err := fromJSON(payload, &r.Event); err != nil {
		return nil, fmt.Errorf("store: outbox record %d: %w", r.ID, err)
	}
	return &r, nil
}

// AckOutbox moves consumer's cursor forward to id; it never moves back.
func (db *DB) AckOutbox(ctx context.Context, consumer string, id int64) error {
	ok, err := db.writer().execOne(ctx, qAckOutbox, id, ts(db.clock.Now()), consumer)
	if err != nil || ok {
		return err
	}
	return consumerNotFound(consumer)
}

// PruneOutbox deletes up to limit records every consumer has passed, created before before.
func (db *DB) PruneOutbox(ctx context.Context, before time.Time, limit int) (int, error) {
	if limit <= 0 {
		limit = 1000
	}
	bound := int64(math.MaxInt64)
	if !before.IsZero() {
		bound = ts(before)
	}
	res, err := db.writer().exec(ctx, qPruneOutbox, limit, bound)
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// ReadOutboxAfter returns up to limit records after id after, by id (commit order).
func (db *DB) ReadOutboxAfter(ctx context.Context, after int64, limit int) ([]*sluice.OutboxRecord, error) {
	if limit <= 0 {
		limit = 100
	}
	var out []*sluice.OutboxRecord
	err := db.read(ctx, func(c conn) error {
		var err error
		out, err = queryAll(ctx, c, scanRecord, qReadOutboxAfter, after, limit)
		return err
	})
	return out, err
}

// OutboxEnd is the last id the outbox gave.
func (db *DB) OutboxEnd(ctx context.Context) (int64, error) {
	var end int64
	err := db.read(ctx, func(c conn) error { return c.queryRow(ctx, qOutboxEnd).Scan(&end) })
	return end, err
}
