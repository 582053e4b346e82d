// Package pgtest gives tests an empty PostgreSQL schema of their own on the server CI runs
// (.ci/run): 127.0.0.1:5432, trust auth, database test.
package pgtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
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
	name := create(t, db)
	t.Cleanup(func() {
		if err := drop(db, name); err != nil {
			t.Errorf("pgtest: %v", err)
		}
	})
	return url(name)
}

// Pool hands out schemas as Schema does, but keeps each when its test ends, emptied, for a
// later test: a store's tables are made once per schema, not once per test (making them
// costs seconds, emptying them milliseconds). Close drops them; call it from TestMain.
type Pool struct {
	mu   sync.Mutex
	free []string
	all  []string
}

// Schema is a schema that t alone uses until it ends: new, or one an earlier test used with
// every table but schema_migrations emptied, which a store opens as a new one.
func (p *Pool) Schema(t testing.TB) string {
	t.Helper()
	db := connect(t)
	p.mu.Lock()
	var name string
	if n := len(p.free); n > 0 {
		name, p.free = p.free[n-1], p.free[:n-1]
	}
	p.mu.Unlock()
	if name == "" {
		name = create(t, db)
		p.mu.Lock()
		p.all = append(p.all, name)
		p.mu.Unlock()
	}
	t.Cleanup(func() { // after the test's own cleanups, which close its stores
		if err := empty(db, name); err != nil {
			t.Errorf("pgtest: %v", err)
			return // not handed out again
		}
		p.mu.Lock()
		defer p.mu.Unlock()
		p.free = append(p.free, name)
	})
	return url(name)
}

// Close drops every schema p made.
func (p *Pool) Close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	var errs []error
	if admin != nil {
		for _, name := range p.all {
			errs = append(errs, drop(admin, name))
		}
	}
	p.all, p.free = nil, nil
	return errors.Join(errs...)
}

func create(t testing.TB, db *sql.DB) string {
	t.Helper()
	name := "t" + strings.ToLower(rand.Text()[:16])
	if _, err := db.ExecContext(context.Background(), `CREATE SCHEMA "`+name+`"`); err != nil {
		t.Fatalf("pgtest: create schema: %v", err)
	}
	return name
}

func drop(db *sql.DB, name string) error {
	if _, err := db.ExecContext(context.Background(), `DROP SCHEMA "`+name+`" CASCADE`); err != nil {
		return fmt.Errorf("drop schema %s: %w", name, err)
	}
	return nil
}

// empty deletes every row but the record of the schema's migrations and restarts its
// identities, so that ids begin at 1 again as in a new schema. DELETE, with the foreign
// keys' triggers off, is several times faster than TRUNCATE on tables this small.
func empty(db *sql.DB, name string) error {
	ctx := context.Background()
	var stmts sql.NullString
	err := db.QueryRowContext(ctx, `SELECT string_agg(s, '; ') FROM (
  SELECT 'DELETE FROM ' || quote_ident(schemaname) || '.' || quote_ident(tablename) AS s
  FROM pg_tables WHERE schemaname = $1 AND tablename <> 'schema_migrations'
  UNION ALL
  SELECT 'SELECT setval(' || quote_literal(pg_get_serial_sequence(quote_ident(table_schema) || '.' || quote_ident(table_name), column_name)) || ', 1, false)'
  FROM information_schema.columns WHERE table_schema = $1 AND is_identity = 'YES') AS q`, name).Scan(&stmts)
	if err != nil || !stmts.Valid {
		return err
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	if _, err := tx.ExecContext(ctx, `SET LOCAL session_replication_role = replica; `+stmts.String); err != nil {
		return fmt.Errorf("empty schema %s: %w", name, err)
	}
	return tx.Commit()
}

// url is the test database's URL with its tables in schema name. Commits need not reach the
// disk for a test: synchronous_commit=off saves a flush each.
func url(name string) string {
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
