package postgres_test

import (
	"fmt"
	"os"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/sealbox"
	"sluice/store/postgres"
	"sluice/store/postgres/pgtest"
	"sluice/store/storetest"
)

// schemas serves every test of the package: the store's tables are made a few times, not
// once per check.
var schemas pgtest.Pool

func TestMain(m *testing.M) {
	code := m.Run()
	if err := schemas.Close(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		code = 1
	}
	os.Exit(code)
}

func TestStore(t *testing.T) {
	t.Parallel()
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
		return open(t, schemas.Schema(t))
	}, storetest.WithReopen(func(t *testing.T, s sluice.Store) sluice.Store {
		dsn, ok := dsns.Load(s)
		require.True(t, ok)
		require.NoError(t, s.Close())
		return open(t, dsn.(string))
	}))
}
