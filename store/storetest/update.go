package storetest

import (
	"errors"
	"strconv"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
)

// testUpdate checks sluice.Store.Update and the scope of sluice.Tx.
func testUpdate(t *testing.T, open func(*testing.T) sluice.Store) {
	t.Run("CommitsWhenFnSucceeds", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		f.createPipeline("app")
		_, err := f.s.GetPipeline(f.ctx, "app", 0)
		require.NoError(t, err)
	})

	t.Run("ErrorRollsBackAndIsReturnedAsIs", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		boom := errors.New("boom")
		err := f.s.Update(f.ctx, "app", func(tx sluice.Tx) error {
			require.NoError(t, tx.CreatePipeline(f.ctx, pipeline("app"), nil))
			return boom
		})
		require.Same(t, boom, err)
		_, err = f.s.GetPipeline(f.ctx, "app", 0)
		requireCode(t, err, sluice.ENotFound, "Pipeline")
	})

	t.Run("PanicRollsBackAndPanicsAgain", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		require.PanicsWithValue(t, "boom", func() {
			_ = f.s.Update(f.ctx, "app", func(tx sluice.Tx) error {
				require.NoError(t, tx.CreatePipeline(f.ctx, pipeline("app"), nil))
				panic("boom")
			})
		})
		_, err := f.s.GetPipeline(f.ctx, "app", 0)
		requireCode(t, err, sluice.ENotFound, "Pipeline")
		f.createPipeline("app") // the store still takes writes
	})

	t.Run("SerialisesOnePipeline", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		f.createPipeline("app")
		const n = 8
		start := make(chan struct{})
		errs := make(chan error, n)
		var wg sync.WaitGroup
		for range n {
			wg.Go(func() {
				<-start
				// A read-modify-write of a counter in the stage state: lost updates would
				// show as a final count below n.
				errs <- f.s.Update(f.ctx, "app", func(tx sluice.Tx) error {
					s, err := tx.Snapshot(f.ctx)
					if err != nil {
						return err
					}
					count := 0
					if st := s.Stages["Build"]; st != nil {
						count, _ = strconv.Atoi(st.LatestExecutionID)
					}
					st := &sluice.StageState{Transition: sluice.TransitionState{Enabled: true}, LatestExecutionID: strconv.Itoa(count + 1)}
					return tx.Apply(f.ctx, &sluice.Plan{Stages: map[string]*sluice.StageState{"Build": st}})
				})
			})
		}
		close(start)
		wg.Wait()
		close(errs)
		for err := range errs {
			require.NoError(t, err)
		}
		require.Equal(t, strconv.Itoa(n), f.snapshot("app").Stages["Build"].LatestExecutionID)
	})

	t.Run("RefusesAnotherPipeline", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		err := f.s.Update(f.ctx, "app", func(tx sluice.Tx) error {
			return tx.CreatePipeline(f.ctx, pipeline("other"), nil)
		})
		requireCode(t, err, sluice.EInvalid, "")
	})
}
