package sqlstore

import (
	"context"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/store/postgres/pgtest"
)

// TestUpdateWaitersHoldNoConnection: on PostgreSQL, Updates waiting for a pipeline another
// Update holds wait in the process, not on a pooled connection, so the pool still serves
// reads (an access key's lookup) and other pipelines' Updates. Before turns, each waiter held
// a connection blocked on the advisory lock, and with a pool of 2 the read below never got one.
func TestUpdateWaitersHoldNoConnection(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, err := OpenPostgres(ctx, pgtest.Schema(t), WithPool(PoolConfig{MaxConns: 2}))
	require.NoError(t, err)
	defer db.Close()

	holding, release := make(chan struct{}), make(chan struct{})
	held := make(chan error, 1)
	go func() {
		held <- db.Update(ctx, "app", func(sluice.Tx) error { close(holding); <-release; return nil })
	}()
	<-holding
	waiters := make(chan error, 3)
	for range 3 {
		go func() { waiters <- db.Update(ctx, "app", func(sluice.Tx) error { return nil }) }()
	}
	for db.turns.Users("app") < 4 { // the holder and the three waiters
		runtime.Gosched()
	}

	// A bound on failure only: with the waiters on connections these would wait forever.
	bounded, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	_, err = db.GetAccessKey(bounded, "AKIANOSUCHKEY0000000")
	require.True(t, sluice.IsCode(err, sluice.ENotFound), "the lookup got a connection: %v", err)
	require.NoError(t, db.Update(bounded, "other", func(sluice.Tx) error { return nil }))

	close(release)
	require.NoError(t, <-held)
	for range 3 {
		require.NoError(t, <-waiters)
	}
}
