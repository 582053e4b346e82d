// Package pgtest gives tests an empty PostgreSQL schema of their own on the server CI runs
// (.ci/run): 127.0.0.1:5432, trust auth, database test.
package pgtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"fmt"
	"net"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
)

// Server is the URL of the test database.
const Server = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

var (
	adminOnce sync.Once
	admin     *sql.DB
	adminErr  error
)

// Schema makes an empty schema that t alone uses, dropped when t ends, and returns the URL
// of a connection whose tables live in it. Without a PostgreSQL at 127.0.0.1:5432 it skips
// t, or fails it when SLUICE_REQUIRE_POSTGRES=1 (as in CI).
func Schema(t testing.TB) string {
	t.Helper()
	db := connect(t)
	name := "t" + strings.ToLower(rand.Text()[:16])
	_, err := db.ExecContext(context.Background(), `CREATE SCHEMA "`+name+`"`)
	if err != nil {
		t.Fatalf("pgtest: create schema: %v", err)
	}
	t.Cleanup(func() {
		if _, err := db.ExecContext(context.Background(), `DROP SCHEMA "`+name+`" CASCADE`); err != nil {
			t.Errorf("pgtest: drop schema %s: %v", name, err)
		}
	})
	// Commits need not reach the disk for a test: synchronous_commit=off saves a flush each.
	return fmt.Sprintf("%s&search_path=%s&synchronous_commit=off", Server, name)
}

func connect(t testing.TB) *sql.DB {
	t.Helper()
	c, err := net.DialTimeout("tcp", "127.0.0.1:5432", time.Second)
	if err != nil {
		if os.Getenv("SLUICE_REQUIRE_POSTGRES") == "1" {
			t.Fatalf("PostgreSQL at 127.0.0.1:5432: %v", err)
		}
		t.Skipf("no PostgreSQL at 127.0.0.1:5432 (%v); set SLUICE_REQUIRE_POSTGRES=1 to fail instead", err)
	}
	_ = c.Close()
	adminOnce.Do(func() { admin, adminErr = sql.Open("pgx", Server) })
	if adminErr != nil {
		t.Fatalf("pgtest: %v", adminErr)
	}
	return admin
}
