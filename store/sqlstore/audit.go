package sqlstore

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"

	"sluice"
)

const (
	qDeleteAudit = `DELETE FROM audit_events WHERE event_id = ?`
	qInsertAudit = `INSERT INTO audit_events (event_id, event_time, event_name, event_source, username,
access_key_id, read_only, region, record, names) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq`
	qInsertAuditResource = `INSERT OR IGNORE INTO audit_resources (seq, kind, value) VALUES (?, ?, ?)`
	qAuditAfter          = `SELECT seq, record, names FROM audit_events WHERE seq > ? ORDER BY seq LIMIT ?`
	qPruneAudit          = `DELETE FROM audit_events WHERE seq IN (SELECT seq FROM audit_events
WHERE event_time < ? ORDER BY event_time, seq LIMIT ?)`
)

var _ sluice.AuditLog = (*DB)(nil)

// AddAuditEvents stores events, each replacing the stored event of its EventID.
func (e executor) AddAuditEvents(ctx context.Context, events ...*sluice.AuditEvent) error {
	if len(events) == 0 {
		return nil
	}
	err := e.write(ctx, func(c conn) error {
		for _, ev := range events {
			if err := addAuditEvent(ctx, c, ev); err != nil {
				return err
			}
		}
		return nil
	})
	if err == nil {
		e.notify(ctx, sluice.TopicAudit)
	}
	return err
}

func addAuditEvent(ctx context.Context, c conn, ev *sluice.AuditEvent) error {
	if ev.EventID == "" {
		return sluice.Errorf(sluice.EInvalid, "", "an audit event needs an EventID")
	}
	record, err := toJSON(ev)
	if err != nil {
		return err
	}
	names := make([]string, len(ev.Resources))
	for i, r := range ev.Resources {
		names[i] = r.Name
	}
	namesJSON, err := toJSON(names)
	if err != nil {
		return err
	}
	if _, err := c.exec(ctx, qDeleteAudit, ev.EventID); err != nil {
		return err
	}
	if err := lockLog(ctx, c); err != nil { // AuditAfter reads by seq: keep it in commit order
		return err
	}
	var seq int64
	err = c.queryRow(ctx, qInsertAudit, ev.EventID, ts(ev.EventTime), ev.EventName, ev.EventSource,
		ev.UserIdentity.Username(), ev.UserIdentity.AccessKeyID, bit(ev.ReadOnly), ev.AWSRegion, record, namesJSON).Scan(&seq)
	if err != nil {
		return err
	}
	for _, r := range ev.Resources {
		for _, kv := range [][2]string{{"type", r.Type}, {"name", r.Name}, {"name", r.ARN}} {
			if kv[1] == "" {
				continue
			}
			if _, err := c.exec(ctx, qInsertAuditResource, seq, kv[0], kv[1]); err != nil {
				return err
			}
		}
	}
	return nil
}

// writePending writes the audit record attached to ctx in the transaction c, which is about
// to commit (see sluice.AuditRecord). It returns the record to settle, or nil.
func (db *DB) writePending(ctx context.Context, c conn) (*sluice.AuditRecord, error) {
	rec := sluice.AuditRecordOf(ctx)
	if rec == nil {
		return nil, nil
	}
	ev, ok := rec.Claim(db.clock.Now())
	if !ok {
		return nil, nil
	}
	if err := addAuditEvent(ctx, c, ev); err != nil {
		rec.Settle(false)
		return nil, err
	}
	return rec, nil
}

// AuditEventsAfter returns the events stored after seq, in commit order.
func (db *DB) AuditEventsAfter(ctx context.Context, seq int64, limit int) ([]*sluice.AuditExport, error) {
	if limit <= 0 {
		limit = 100
	}
	return queryAll(ctx, db.reader(), scanAuditExport, qAuditAfter, seq, limit)
}

func scanAuditExport(sc scanner) (*sluice.AuditExport, error) {
	x := &sluice.AuditExport{}
	ev, err := scanAudit(sc, &x.Seq)
	x.Event = ev
	return x, err
}

// scanAudit reads a record and its resources' names, after the columns in pre.
func scanAudit(sc scanner, pre ...any) (*sluice.AuditEvent, error) {
	var record, names string
	if err := sc.Scan(append(pre, &record, &names)...); err != nil {
		return nil, err
	}
	ev := &sluice.AuditEvent{}
	if err := fromJSON(record, ev); err != nil {
		return nil, err
	}
	var ns []string
	if err := fromJSON(names, &ns); err != nil {
		return nil, err
	}
	for i := range ev.Resources {
		if i < len(ns) {
			ev.Resources[i].Name = ns[i]
		}
	}
	ev.EventTime = ev.EventTime.UTC()
	return ev, nil
}

// PruneAuditEvents deletes up to limit events older than before, oldest first.
func (db *DB) PruneAuditEvents(ctx context.Context, before time.Time, limit int) (int, error) {
	if limit <= 0 {
		limit = 1000
	}
	res, err := db.writer().exec(ctx, qPruneAudit, ts(before), limit)
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// auditFingerprint names a query's parameters in its page tokens, so a token is refused
// with any other query.
func auditFingerprint(q sluice.AuditQuery) string {
	sum := sha256.Sum256([]byte(strings.Join([]string{string(q.Key), q.Value, q.Region,
		q.Start.UTC().String(), q.End.UTC().String()}, "\x00")))
	return hex.EncodeToString(sum[:12])
}
