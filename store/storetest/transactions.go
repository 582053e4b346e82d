package storetest

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
)

// event is a valid outbox event of pipeline at time sec.
func event(pipeline, state string, sec int) sluice.Event {
	return sluice.Event{DetailType: sluice.DetailExecution, State: state, PipelineName: pipeline,
		ExecutionID: "exec-" + state, Version: 1, Time: at(sec), Detail: map[string]string{"k": state}}
}

// writeAll writes a repository, its tags and an event through x, as one change.
func writeAll(f *fixture, x sluice.Executor, r *sluice.Repository) error {
	if err := x.CreateRepository(f.ctx, r); err != nil {
		return err
	}
	if err := x.TagResource(f.ctx, r.ARN, map[string]string{"team": "web"}); err != nil {
		return err
	}
	return x.AddEvents(f.ctx, event("", "CREATED", 1))
}

// requireNothingOf checks that neither r, its tags nor any event after consumer's cursor
// were stored.
func requireNothingOf(f *fixture, r *sluice.Repository, consumer string) {
	f.t.Helper()
	_, err := f.s.GetRepository(f.ctx, r.Name)
	requireCode(f.t, err, sluice.ENotFound, "Repository")
	tags, err := f.s.ListTags(f.ctx, r.ARN)
	require.NoError(f.t, err)
	require.Empty(f.t, tags)
	recs, err := f.s.ReadOutbox(f.ctx, consumer, 0)
	require.NoError(f.t, err)
	require.Empty(f.t, recs)
}

// testTransactions checks sluice.Store.InTx and the Executor of a transaction (sluice.Tx
// embeds sluice.Executor): writes of any aggregate join one transaction.
func testTransactions(t *testing.T, open func(*testing.T) sluice.Store) {
	t.Run("InTxCommitsEveryWrite", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		require.NoError(t, f.s.AddOutboxConsumer(f.ctx, "c"))
		r := repository("app")
		require.NoError(t, f.s.InTx(f.ctx, func(x sluice.Executor) error {
			if err := writeAll(f, x, r); err != nil {
				return err
			}
			got, err := x.GetRepository(f.ctx, r.Name) // a transaction reads its own writes
			require.NoError(t, err)
			require.Equal(t, r, got)
			return nil
		}))
		got, err := f.s.GetRepository(f.ctx, r.Name)
		require.NoError(t, err)
		require.Equal(t, r, got)
		tags, err := f.s.ListTags(f.ctx, r.ARN)
		require.NoError(t, err)
		require.Equal(t, map[string]string{"team": "web"}, tags)
		recs, err := f.s.ReadOutbox(f.ctx, "c", 0)
		require.NoError(t, err)
		require.Len(t, recs, 1)
	})

	t.Run("InTxErrorRollsBackEveryWrite", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		require.NoError(t, f.s.AddOutboxConsumer(f.ctx, "c"))
		r := repository("app")
		boom := errors.New("boom")
		err := f.s.InTx(f.ctx, func(x sluice.Executor) error {
			require.NoError(t, writeAll(f, x, r))
			return boom
		})
		require.Same(t, boom, err)
		requireNothingOf(f, r, "c")
	})

	t.Run("InTxPanicRollsBackAndPanicsAgain", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		require.NoError(t, f.s.AddOutboxConsumer(f.ctx, "c"))
		r := repository("app")
		require.PanicsWithValue(t, "boom", func() {
			_ = f.s.InTx(f.ctx, func(x sluice.Executor) error {
				require.NoError(t, writeAll(f, x, r))
				panic("boom")
			})
		})
		requireNothingOf(f, r, "c")
		require.NoError(t, f.s.CreateRepository(f.ctx, r)) // the store still takes writes
	})

	t.Run("AFailedWriteRollsBackTheOthers", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		require.NoError(t, f.s.AddOutboxConsumer(f.ctx, "c"))
		taken := repository("taken")
		require.NoError(t, f.s.CreateRepository(f.ctx, taken))
		r := repository("app")
		err := f.s.InTx(f.ctx, func(x sluice.Executor) error {
			if err := writeAll(f, x, r); err != nil {
				return err
			}
			return x.CreateRepository(f.ctx, taken)
		})
		requireCode(t, err, sluice.EAlreadyExists, "Repository")
		requireNothingOf(f, r, "c")
	})

	t.Run("UpdateTxJoinsResourceWrites", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		require.NoError(t, f.s.AddOutboxConsumer(f.ctx, "c"))
		r := repository("app")
		boom := errors.New("boom")
		err := f.s.Update(f.ctx, "app", func(tx sluice.Tx) error {
			require.NoError(t, tx.CreatePipeline(f.ctx, pipeline("app"), nil))
			require.NoError(t, writeAll(f, tx, r))
			return boom
		})
		require.Same(t, boom, err)
		requireNothingOf(f, r, "c")
		_, err = f.s.GetPipeline(f.ctx, "app", 0)
		requireCode(t, err, sluice.ENotFound, "Pipeline")

		f.update("app", func(tx sluice.Tx) error {
			if err := tx.CreatePipeline(f.ctx, pipeline("app"), nil); err != nil {
				return err
			}
			return writeAll(f, tx, r)
		})
		_, err = f.s.GetPipeline(f.ctx, "app", 0)
		require.NoError(t, err)
		_, err = f.s.GetRepository(f.ctx, r.Name)
		require.NoError(t, err)
	})
}
