package sqlite

import (
	"context"
	"database/sql"
	"time"

	"sluice"
)

const (
	qDueActions = `SELECT pipeline_name, id FROM action_runs
WHERE status = 'InProgress' AND deadline > 0 AND deadline <= ? ORDER BY deadline, rowid`
	qNextDeadline = `SELECT min(deadline) FROM action_runs WHERE status = 'InProgress' AND deadline > 0`
)

// DueActions returns the in-progress action runs whose deadline is at or before now.
func (db *DB) DueActions(ctx context.Context, now time.Time) ([]sluice.ActionRef, error) {
	rows, err := db.reader().query(ctx, qDueActions, ts(now))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []sluice.ActionRef
	for rows.Next() {
		var r sluice.ActionRef
		if err := rows.Scan(&r.PipelineName, &r.ActionRunID); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// NextDeadline returns the earliest deadline of an in-progress action run (which may already
// have passed), and false when no running action has one.
func (db *DB) NextDeadline(ctx context.Context) (time.Time, bool, error) {
	var n sql.NullInt64
	if err := db.reader().queryRow(ctx, qNextDeadline).Scan(&n); err != nil {
		return time.Time{}, false, err
	}
	if !n.Valid {
		return time.Time{}, false, nil
	}
	return tm(n.Int64), true, nil
}
