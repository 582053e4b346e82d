package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"sluice"
)

// Both tables keep a partial index of their running rows with a deadline; each side of a
// UNION ALL walks its own.
const (
	qDueActions = `SELECT pipeline_name, id FROM (
  SELECT pipeline_name, id, deadline FROM action_runs
  WHERE status = 'InProgress' AND deadline > 0 AND deadline <= ?1
  UNION ALL
  SELECT pipeline_name, id, deadline FROM rule_runs
  WHERE status = 'InProgress' AND deadline > 0 AND deadline <= ?1) AS due
ORDER BY deadline, id`
	qNextDeadline = `SELECT min(d) FROM (
  SELECT min(deadline) AS d FROM action_runs WHERE status = 'InProgress' AND deadline > 0
  UNION ALL
  SELECT min(deadline) FROM rule_runs WHERE status = 'InProgress' AND deadline > 0) AS due`
)

// DueActions returns the in-progress action and rule runs whose deadline is at or before
// now, earliest first.
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

// NextDeadline returns the earliest deadline of an in-progress action or rule run (which may
// already have passed), and false when no running one has one.
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
