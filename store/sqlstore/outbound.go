package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"time"

	"sluice"
)

// outbound.go keeps the deliveries the server sends (sluice.DeliveryStore): SNS messages,
// chat posts and webhook calls, each with the log of its attempts. Not to be confused with
// deliveries.go, the webhook deliveries the server receives.

const (
	outboundCols = `target, id, key, topic_arn, protocol, endpoint, type, subject, message, token, attributes, raw,
signature_version, created, status, attempts, next_attempt, last_error, policy`
	qEnqueueDelivery = `INSERT INTO deliveries (` + outboundCols + `, lease_until)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0) ON CONFLICT DO NOTHING`
	qClaimDeliveries = `UPDATE deliveries SET lease_until = ?1 WHERE seq IN (
  SELECT seq FROM deliveries WHERE status = 'Pending' AND next_attempt <= ?2 AND lease_until <= ?2
  ORDER BY next_attempt, seq LIMIT ?3)
RETURNING ` + outboundCols + `, seq`
	// The guard is the attempt count: a sender whose lease ended and whose delivery another
	// sender tried meanwhile finds the count moved on and records nothing.
	qRecordDelivery = `UPDATE deliveries SET status = ?, attempts = ?, next_attempt = ?, last_error = ?, lease_until = 0
WHERE target = ? AND id = ? AND status = 'Pending' AND attempts = ? RETURNING seq`
	qDeliveryExists = `SELECT count(*) FROM deliveries WHERE target = ? AND id = ?`
	qInsertAttempt  = `INSERT INTO delivery_attempts (delivery, n, at, duration, status_code, error) VALUES (?, ?, ?, ?, ?, ?)`
	qDeliveryLog    = `SELECT ` + outboundCols + `, seq FROM deliveries WHERE target = ?1 AND (?2 = '' OR status = ?2)
AND (created < ?3 OR (created = ?3 AND seq < ?4)) ORDER BY created DESC, seq DESC LIMIT ?5`
	qDeliveryAttempts = `SELECT n, at, duration, status_code, error FROM delivery_attempts WHERE delivery = ?
ORDER BY n DESC LIMIT 5`
	// A leased delivery is due again when its lease ends, not before.
	qNextDeliveryDue = `SELECT min(max(next_attempt, lease_until)) FROM deliveries WHERE status = 'Pending'`
)

func scanOutbound(sc scanner, more ...any) (*sluice.Delivery, error) {
	var (
		d             sluice.Delivery
		attrs, policy string
		created, next int64
	)
	err := sc.Scan(append([]any{&d.Target, &d.ID, &d.Key, &d.TopicARN, &d.Protocol, &d.Endpoint, &d.Type, &d.Subject,
		&d.Message, &d.Token, &attrs, &d.Raw, &d.SignatureVersion, &created, &d.Status, &d.Attempts, &next,
		&d.LastError, &policy}, more...)...)
	if err != nil {
		return nil, err
	}
	d.Created, d.NextAttempt = tm(created), tm(next)
	if err := fromJSON(attrs, &d.Attributes); err != nil {
		return nil, err
	}
	return &d, fromJSON(policy, &d.Policy)
}

// EnqueueDeliveries stores ds as Pending, skipping those whose key, or target and id, exist.
// A zero NextAttempt or Created is the store clock's now, written back into the delivery.
func (e executor) EnqueueDeliveries(ctx context.Context, ds ...*sluice.Delivery) error {
	if len(ds) == 0 {
		return nil
	}
	now := e.db.clock.Now()
	err := e.write(ctx, func(c conn) error {
		for _, d := range ds {
			if err := enqueueDelivery(ctx, c, d, now); err != nil {
				return err
			}
		}
		return nil
	})
	if err == nil {
		e.notify(ctx, sluice.TopicDeliveries)
	}
	return err
}

func enqueueDelivery(ctx context.Context, c conn, d *sluice.Delivery, now time.Time) error {
	if d.Target == "" || d.ID == "" {
		return sluice.Errorf(sluice.EInvalid, "Delivery", "a delivery needs a target and an id")
	}
	if d.NextAttempt.IsZero() {
		d.NextAttempt = now
	}
	if d.Created.IsZero() {
		d.Created = now
	}
	d.Status, d.Attempts, d.LastError = sluice.DeliveryPending, 0, ""
	attrs, err := toJSON(d.Attributes)
	if err != nil {
		return err
	}
	policy, err := toJSON(d.Policy)
	if err != nil {
		return err
	}
	_, err = c.exec(ctx, qEnqueueDelivery, d.Target, d.ID, d.Key, d.TopicARN, d.Protocol, d.Endpoint, d.Type, d.Subject,
		d.Message, d.Token, attrs, d.Raw, d.SignatureVersion, ts(d.Created), string(d.Status), 0, ts(d.NextAttempt), "", policy)
	return err
}

// ClaimDeliveries leases up to limit due deliveries until now+lease, by NextAttempt.
func (e executor) ClaimDeliveries(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]*sluice.Delivery, error) {
	if limit <= 0 {
		return nil, nil
	}
	var rs []*ranked[sluice.Delivery]
	err := e.write(ctx, func(c conn) error {
		var err error
		rs, err = queryAll(ctx, c, withRowid(scanOutbound), qClaimDeliveries, ts(now.Add(lease)), ts(now), limit)
		return err
	})
	if err != nil {
		return nil, err
	}
	// RETURNING promises no order.
	slices.SortFunc(rs, func(a, b *ranked[sluice.Delivery]) int {
		if c := a.v.NextAttempt.Compare(b.v.NextAttempt); c != 0 {
			return c
		}
		return int(a.rowid - b.rowid)
	})
	return values(rs), nil
}

// RecordDeliveryAttempt stores a and d's new state if d is still Pending with one attempt
// fewer than d.Attempts (EConflict/Delivery otherwise, ENotFound/Delivery when absent).
func (e executor) RecordDeliveryAttempt(ctx context.Context, d *sluice.Delivery, a sluice.DeliveryAttempt) error {
	return e.write(ctx, func(c conn) error {
		var seq int64
		err := c.queryRow(ctx, qRecordDelivery, string(d.Status), d.Attempts, ts(d.NextAttempt), d.LastError,
			d.Target, d.ID, d.Attempts-1).Scan(&seq)
		if errors.Is(err, sql.ErrNoRows) {
			return deliveryMissing(ctx, c, d)
		}
		if err != nil {
			return err
		}
		_, err = c.exec(ctx, qInsertAttempt, seq, a.N, ts(a.At), int64(a.Duration), a.StatusCode, a.Error)
		return err
	})
}

func deliveryMissing(ctx context.Context, c conn, d *sluice.Delivery) error {
	var n int
	if err := c.queryRow(ctx, qDeliveryExists, d.Target, d.ID).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return sluice.Errorf(sluice.ENotFound, "Delivery", "delivery %s to %s not found", d.ID, d.Target)
	}
	return sluice.Errorf(sluice.EConflict, "Delivery", "delivery %s to %s was tried or finished by another sender", d.ID, d.Target)
}

// ListDeliveries returns one page of f.Target's deliveries, newest first, with their latest
// attempts.
func (e executor) ListDeliveries(ctx context.Context, f sluice.DeliveryFilter) ([]*sluice.DeliveryRecord, string, error) {
	const kind = "outbound"
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	_, cur, err := parsePage(sluice.Page{Limit: limit, Token: f.NextToken}, kind)
	if err != nil {
		return nil, "", err
	}
	c := e.rd()
	rs, err := queryAll(ctx, c, withRowid(scanOutbound), qDeliveryLog, f.Target, string(f.Status), cur.Time, cur.Row, limit+1)
	if err != nil {
		return nil, "", err
	}
	rs, next := trim(rs, limit, func(r *ranked[sluice.Delivery]) cursor {
		return cursor{Kind: kind, Time: ts(r.v.Created), Row: r.rowid}
	})
	out := make([]*sluice.DeliveryRecord, len(rs))
	for i, r := range rs {
		as, err := queryAll(ctx, c, scanAttempt(r.v.ID), qDeliveryAttempts, r.rowid)
		if err != nil {
			return nil, "", err
		}
		out[i] = &sluice.DeliveryRecord{Delivery: r.v, Attempts: attemptValues(as)}
	}
	return out, next, nil
}

func scanAttempt(id string) func(scanner) (*sluice.DeliveryAttempt, error) {
	return func(sc scanner) (*sluice.DeliveryAttempt, error) {
		a := sluice.DeliveryAttempt{DeliveryID: id}
		var at, dur int64
		err := sc.Scan(&a.N, &at, &dur, &a.StatusCode, &a.Error)
		a.At, a.Duration = tm(at), time.Duration(dur)
		return &a, err
	}
}

func attemptValues(as []*sluice.DeliveryAttempt) []sluice.DeliveryAttempt {
	out := make([]sluice.DeliveryAttempt, len(as))
	for i, a := range as {
		out[i] = *a
	}
	return out
}

// NextDeliveryDue returns when the earliest Pending delivery can next be claimed: its
// NextAttempt, or the end of its lease when a sender holds it.
func (e executor) NextDeliveryDue(ctx context.Context) (time.Time, bool, error) {
	var due sql.NullInt64
	if err := e.rd().queryRow(ctx, qNextDeliveryDue).Scan(&due); err != nil {
		return time.Time{}, false, err
	}
	return tm(due.Int64), due.Valid, nil
}
