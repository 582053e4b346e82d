package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"sluice"
)

const (
	qPutSession = `INSERT INTO console_sessions (id, access_key_id, principal, created, expires) VALUES (?, ?, ?, ?, ?)
ON CONFLICT (id) DO UPDATE SET access_key_id = excluded.access_key_id, principal = excluded.principal,
created = excluded.created, expires = excluded.expires`
	qSession       = `SELECT id, access_key_id, principal, created, expires FROM console_sessions WHERE id = ?`
	qDeleteSession = `DELETE FROM console_sessions WHERE id = ?`
	qPruneSessions = `DELETE FROM console_sessions WHERE expires < ?`
)

// PutConsoleSession stores s, replacing a session with the same ID.
func (e executor) PutConsoleSession(ctx context.Context, s *sluice.ConsoleSession) error {
	_, err := e.wr().exec(ctx, qPutSession, s.ID, s.AccessKeyID, s.Principal, ts(s.Created), ts(s.Expires))
	return err
}

// GetConsoleSession returns the session with that ID (ENotFound/ConsoleSession).
func (e executor) GetConsoleSession(ctx context.Context, id string) (*sluice.ConsoleSession, error) {
	var (
		s                sluice.ConsoleSession
		created, expires int64
	)
	err := e.rd().queryRow(ctx, qSession, id).Scan(&s.ID, &s.AccessKeyID, &s.Principal, &created, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, sluice.Errorf(sluice.ENotFound, "ConsoleSession", "console session not found")
	}
	if err != nil {
		return nil, err
	}
	s.Created, s.Expires = tm(created), tm(expires)
	return &s, nil
}

// DeleteConsoleSession removes a session, if there is one.
func (e executor) DeleteConsoleSession(ctx context.Context, id string) error {
	_, err := e.wr().exec(ctx, qDeleteSession, id)
	return err
}

// PruneConsoleSessions removes the sessions that expired before t.
func (e executor) PruneConsoleSessions(ctx context.Context, t time.Time) (int, error) {
	res, err := e.wr().exec(ctx, qPruneSessions, ts(t))
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return int(n), err
}
