package postgres_test

import (
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/sealbox"
	"sluice/store/postgres"
)

// Two stores on one schema are what two servers on one database have: each its own pool,
// its own listener.
func twoStores(t *testing.T) (a, b *postgres.DB) {
	t.Helper()
	dsn, box := schemas.Schema(t), sealbox.Ephemeral()
	open := func() *postgres.DB {
		s, err := postgres.Open(t.Context(), dsn, postgres.WithSealer(box), postgres.WithPool(postgres.PoolConfig{MaxConns: 4}))
		require.NoError(t, err)
		t.Cleanup(func() { require.NoError(t, s.Close()) })
		return s
	}
	return open(), open()
}

func TestTwoStores(t *testing.T) {
	t.Parallel()

	// Update's per-pipeline lock holds across processes: read-modify-writes of one counter
	// from both stores lose none.
	t.Run("UpdatesOfOnePipelineTakeTurns", func(t *testing.T) {
		t.Parallel()
		a, b := twoStores(t)
		ctx := t.Context()
		p := &sluice.Pipeline{Declaration: sluice.PipelineDeclaration{Name: "app", Version: 1,
			Stages: []sluice.StageDeclaration{{Name: "Build", Actions: []sluice.ActionDeclaration{{Name: "Compile"}}}}}}
		require.NoError(t, a.Update(ctx, "app", func(tx sluice.Tx) error { return tx.CreatePipeline(ctx, p, nil) }))
		const n = 12
		var wg sync.WaitGroup
		errs := make(chan error, n)
		for i := range n {
			s := []*postgres.DB{a, b}[i%2]
			wg.Go(func() {
				errs <- s.Update(ctx, "app", func(tx sluice.Tx) error {
					snap, err := tx.Snapshot(ctx)
					if err != nil {
						return err
					}
					count := 0
					if st := snap.Stages["Build"]; st != nil {
						count, _ = strconv.Atoi(st.LatestExecutionID)
					}
					st := &sluice.StageState{Transition: sluice.TransitionState{Enabled: true}, LatestExecutionID: strconv.Itoa(count + 1)}
					return tx.Apply(ctx, &sluice.Plan{Stages: map[string]*sluice.StageState{"Build": st}})
				})
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			require.NoError(t, err)
		}
		st, err := b.PipelineState(ctx, "app")
		require.NoError(t, err)
		require.Equal(t, strconv.Itoa(n), st.Stages["Build"].LatestExecutionID)
	})

	// A notification committed through one store wakes the other's listeners (LISTEN/NOTIFY),
	// and one rolled back wakes nobody.
	t.Run("NotificationsReachTheOtherStore", func(t *testing.T) {
		t.Parallel()
		a, b := twoStores(t)
		ctx := t.Context()
		jobs, err := b.Listen(ctx, sluice.TopicJobs)
		require.NoError(t, err)
		require.NoError(t, a.Notify(ctx, sluice.TopicJobs))
		<-jobs
		outbox, err := b.Listen(ctx, sluice.TopicOutbox)
		require.NoError(t, err)
		require.Error(t, a.InTx(ctx, func(e sluice.Executor) error {
			require.NoError(t, e.Notify(ctx, sluice.TopicOutbox))
			return sluice.Errorf(sluice.EConflict, "Test", "rolled back")
		}))
		require.NoError(t, a.InTx(ctx, func(e sluice.Executor) error { return e.Notify(ctx, sluice.TopicJobs) }))
		<-jobs // sent after the rolled-back one: had that arrived, it would be here first
		select {
		case <-outbox:
			t.Fatal("a rolled-back notification woke the other store")
		case <-time.After(0):
		}
	})

	// A repository's lock taken through one store holds the other's taker back until it is
	// released.
	t.Run("RepositoryLockHoldsAcrossStores", func(t *testing.T) {
		t.Parallel()
		a, b := twoStores(t)
		ctx := t.Context()
		unlock, err := a.LockRepository(ctx, "app")
		require.NoError(t, err)
		var order []string
		var mu sync.Mutex
		took := make(chan struct{})
		go func() {
			u, err := b.LockRepository(ctx, "app")
			if err != nil {
				t.Error(err)
			}
			mu.Lock()
			order = append(order, "b")
			mu.Unlock()
			u()
			close(took)
		}()
		other, err := b.LockRepository(ctx, "lib") // b's connection is alive and answering
		require.NoError(t, err)
		other()
		mu.Lock()
		order = append(order, "a unlocks")
		mu.Unlock()
		unlock()
		<-took
		require.Equal(t, []string{"a unlocks", "b"}, order)
	})
}
