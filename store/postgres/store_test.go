package postgres_test

import (
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/sealbox"
	"sluice/store/postgres"
	"sluice/store/postgres/pgtest"
	"sluice/store/storetest"
)

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
		return open(t, pgtest.Schema(t))
	}, storetest.WithReopen(func(t *testing.T, s sluice.Store) sluice.Store {
		dsn, ok := dsns.Load(s)
		require.True(t, ok)
		require.NoError(t, s.Close())
		return open(t, dsn.(string))
	}))
}
