package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"io"
	"net"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// pgStartWait bounds how long OpenPostgres waits for a database that is not up yet.
const pgStartWait = time.Minute

// pgSchema runs the store's first query, again while the database is not up yet (nothing
// listens, or it is starting, restarting or shutting down), for up to wait: a replica
// started beside its database, or while it restarts, waits for it rather than exiting.
// Any other failure (a wrong password, no such database) returns at once.
func pgSchema(ctx context.Context, db *sql.DB, wait time.Duration, waiting func(error)) (string, error) {
	deadline := time.Now().Add(wait)
	backoff := 100 * time.Millisecond
	for {
		var schema string
		err := db.QueryRowContext(ctx, `SELECT current_schema()`).Scan(&schema)
		if err == nil || !pgNotUp(err) || time.Now().Add(backoff).After(deadline) {
			return schema, err
		}
		if waiting != nil {
			waiting(err)
		}
		select {
		case <-ctx.Done():
			return "", err
		case <-time.After(backoff):
		}
		backoff = min(backoff*2, 2*time.Second)
	}
}

// pgNotUp says whether err means the database is not up yet: a refused connection, one
// reset or cut during its start-up (the server going down as it accepted it), or SQLSTATE
// class 57P (admin_shutdown, crash_shutdown, cannot_connect_now).
func pgNotUp(err error) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return strings.HasPrefix(pe.Code, "57P")
	}
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) && (errors.Is(err, syscall.ECONNRESET) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)) {
		return true
	}
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}
