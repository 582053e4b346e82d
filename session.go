package sluice

import (
	"context"
	"time"
)

// ConsoleSession is a signed-in user of the console. The browser holds a random token in a
// cookie; the store keeps only the token's SHA-256, so a copy of the database signs no one in.
// A session acts as the access key it signed in with, and ends when it expires, when the user
// signs out, or when that key stops being active.
type ConsoleSession struct {
	ID          string // hex SHA-256 of the cookie's token
	AccessKeyID string
	Principal   string
	Created     time.Time
	Expires     time.Time
}

// SessionStore keeps the console's sessions.
type SessionStore interface {
	// PutConsoleSession stores s, replacing a session with the same ID.
	PutConsoleSession(ctx context.Context, s *ConsoleSession) error
	// GetConsoleSession returns the session with that ID, expired or not
	// (ENotFound/ConsoleSession).
	GetConsoleSession(ctx context.Context, id string) (*ConsoleSession, error)
	// DeleteConsoleSession removes a session; removing one that does not exist is no error.
	DeleteConsoleSession(ctx context.Context, id string) error
	// PruneConsoleSessions removes the sessions that expired before t and returns how many.
	PruneConsoleSessions(ctx context.Context, t time.Time) (int, error)
}
