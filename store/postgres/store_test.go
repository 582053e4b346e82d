package postgres_test

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

	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/sealbox"
	"sluice/store/postgres"
	"sluice/store/storetest"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
)

// server is the PostgreSQL the tests use: the one CI starts (.ci/run), trust auth.
const server = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// admin connects to the test database, or skips when no PostgreSQL answers (unless
// SLUICE_REQUIRE_POSTGRES=1, as in CI, where that fails instead).
func admin(t *testing.T) *sql.DB {
	t.Helper()
	c, err := net.DialTimeout("tcp", "127.0.0.1:5432", time.Second)
	if err != nil {
		if os.Getenv("SLUICE_REQUIRE_POSTGRES") == "1" {
			t.Fatalf("PostgreSQL at 127.0.0.1:5432: %v", err)
		}
		t.Skipf("no PostgreSQL at 127.0.0.1:5432 (%v); set SLUICE_REQUIRE_POSTGRES=1 to fail instead", err)
	}
	_ = c.Close()
	db, err := sql.Open("pgx", server)
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() })
	return db
}

// schema makes an empty schema that t alone uses, dropped when t ends, and returns the URL
// of a connection whose tables live in it.
func schema(t *testing.T, db *sql.DB) string {
	t.Helper()
	name := "t" + strings.ToLower(rand.Text()[:16])
	_, err := db.ExecContext(t.Context(), `CREATE SCHEMA "`+name+`"`)
	require.NoError(t, err)
	t.Cleanup(func() {
		_, err := db.ExecContext(context.Background(), `DROP SCHEMA "`+name+`" CASCADE`)
		require.NoError(t, err)
	})
	// Commits need not reach the disk for a test: synchronous_commit=off saves a flush each.
	return fmt.Sprintf("%s&search_path=%s&synchronous_commit=off", server, name)
}

func TestStore(t *testing.T) {
	t.Parallel()
	db := admin(t)
	var dsns sync.Map          // *postgres.DB -> its URL
	box := sealbox.Ephemeral() // one key for every open, so a reopened store reads its secrets
	open := func(t *testing.T, dsn string) sluice.Store {
		s, err := postgres.Open(t.Context(), dsn, postgres.WithSealer(box), postgres.WithPool(postgres.PoolConfig{MaxConns: 4}))
		require.NoError(t, err)
		dsns.Store(s, dsn)
		t.Cleanup(func() { require.NoError(t, s.Close()) }) // closing twice is harmless
		return s
	}
	storetest.Run(t, func(t *testing.T) sluice.Store {
		return open(t, schema(t, db))
	}, storetest.WithReopen(func(t *testing.T, s sluice.Store) sluice.Store {
		dsn, ok := dsns.Load(s)
		require.True(t, ok)
		require.NoError(t, s.Close())
		return open(t, dsn.(string))
	}))
}
