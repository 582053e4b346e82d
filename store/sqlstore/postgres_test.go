package sqlstore

import (
	"errors"
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/stretchr/testify/require"

	"sluice"
)

// PostgreSQL's errors of a race between writers are the port's EConflict; others stay.
func TestPgMapErr(t *testing.T) {
	t.Parallel()
	for _, code := range []string{pgUniqueViolation, pgSerializationFailure, pgDeadlockDetected} {
		err := pgMapErr(fmt.Errorf("insert: %w", &pgconn.PgError{Code: code, ConstraintName: "webhooks_token_key"}))
		require.Equal(t, sluice.EConflict, sluice.ErrorCode(err), code)
	}
	other := &pgconn.PgError{Code: "42P01"} // undefined_table: a bug, not a race
	require.Same(t, other, pgMapErr(other))
	plain := errors.New("connection reset")
	require.Equal(t, plain, pgMapErr(plain))
}

// The rewrite numbers SQLite's placeholders as SQLite does and leaves literals alone.
func TestPgPlaceholders(t *testing.T) {
	t.Parallel()
	require.Equal(t, `SELECT $1, $3, $4 WHERE a = '?' AND b = "c?" AND c = $2`,
		pgPlaceholders(`SELECT ?, ?3, ? WHERE a = '?' AND b = "c?" AND c = ?2`))
	require.Equal(t, `INSERT INTO t (a) VALUES ($1) ON CONFLICT DO NOTHING RETURNING a`,
		pgRewrite(`INSERT OR IGNORE INTO t (a) VALUES (?) RETURNING a`))
}

// A version is one change on both engines: a migration written for one alone would leave
// the other's schema behind, so each number has a file in both directories.
func TestMigrationsOnBothEngines(t *testing.T) {
	t.Parallel()
	names := func(dir string) []string {
		ms, err := migrations(dir)
		require.NoError(t, err)
		var out []string
		for _, m := range ms {
			out = append(out, m.name)
		}
		return out
	}
	require.Equal(t, names(sqliteDialect.migrations), names(postgresDialect("public").migrations),
		"write each migration in migrations/sqlite and migrations/postgres, under the same name")
}
