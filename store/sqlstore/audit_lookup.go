package sqlstore

import (
	"context"
	"fmt"
	"math"

	"sluice"
)

// auditConditions is the WHERE clause of each lookup attribute; its one parameter is the
// attribute's value.
var auditConditions = map[sluice.AuditAttribute]string{
	"":                       `? = ?`,
	sluice.AuditEventID:      `event_id = ?`,
	sluice.AuditEventName:    `event_name = ?`,
	sluice.AuditReadOnly:     `read_only = ?`,
	sluice.AuditUsername:     `username = ?`,
	sluice.AuditEventSource:  `event_source = ?`,
	sluice.AuditAccessKeyID:  `access_key_id = ?`,
	sluice.AuditResourceType: `seq IN (SELECT seq FROM audit_resources WHERE kind = 'type' AND value = ?)`,
	sluice.AuditResourceName: `seq IN (SELECT seq FROM audit_resources WHERE kind = 'name' AND value = ?)`,
}

const qLookupAudit = `SELECT event_time, seq, record, names FROM audit_events
WHERE %s AND event_time >= ? AND event_time <= ? AND (? = '' OR region = ?)
AND (event_time < ? OR (event_time = ? AND seq < ?))
ORDER BY event_time DESC, seq DESC LIMIT ?`

// auditLookupQueries are the lookup's statements, one per attribute, prepared at Open.
func auditLookupQueries() []string {
	out := make([]string, 0, len(auditConditions))
	for _, cond := range auditConditions {
		out = append(out, fmt.Sprintf(qLookupAudit, cond))
	}
	return out
}

// auditRow is a looked-up event with its place in the order.
type auditRow struct {
	ev        *sluice.AuditEvent
	time, seq int64
}

// LookupAuditEvents returns one page of the events q matches, newest first.
func (db *DB) LookupAuditEvents(ctx context.Context, q sluice.AuditQuery) ([]*sluice.AuditEvent, string, error) {
	cond, ok := auditConditions[q.Key]
	if !ok {
		return nil, "", sluice.Errorf(sluice.EInvalid, "LookupAttributes", "unknown lookup attribute %s", q.Key)
	}
	limit, cur, err := parsePage(q.Page, "audit")
	if err != nil {
		return nil, "", err
	}
	fp := auditFingerprint(q)
	if q.Token != "" && cur.Name != fp {
		return nil, "", sluice.Errorf(sluice.EInvalid, "NextToken", "invalid next token")
	}
	var value any = q.Value
	switch q.Key {
	case "":
		value = 0 // "? = ?" with 0 = 0
	case sluice.AuditReadOnly:
		value = bit(q.Value == "true")
	}
	args := []any{value}
	if q.Key == "" {
		args = append(args, 0)
	}
	end := int64(math.MaxInt64)
	if !q.End.IsZero() {
		end = ts(q.End)
	}
	args = append(args, ts(q.Start), end, q.Region, q.Region, cur.Time, cur.Time, cur.Seq, limit+1)
	rows, err := queryAll(ctx, db.reader(), scanAuditRow, fmt.Sprintf(qLookupAudit, cond), args...)
	if err != nil {
		return nil, "", err
	}
	rows, next := trim(rows, limit, func(last *auditRow) cursor {
		return cursor{Kind: "audit", Name: fp, Time: last.time, Seq: last.seq}
	})
	out := make([]*sluice.AuditEvent, len(rows))
	for i, r := range rows {
		out[i] = r.ev
	}
	return out, next, nil
}

func scanAuditRow(sc scanner) (*auditRow, error) {
	r := &auditRow{}
	ev, err := scanAudit(sc, &r.time, &r.seq)
	r.ev = ev
	return r, err
}
