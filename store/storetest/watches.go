package storetest

import (
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
)

// testWatchIndex checks sluice.WatchIndex: it follows every pipeline version written.
func testWatchIndex(t *testing.T, open func(*testing.T) sluice.Store) {
	f := setup(t, open)
	onMain := sluice.Watched{Kind: sluice.WatchRepository, Scope: "app", Name: "main"}
	f.createPipeline("b")
	f.createPipeline("a")
	got, err := f.s.Watching(f.ctx, onMain)
	require.NoError(t, err)
	require.Equal(t, []sluice.SourceWatch{{Watched: onMain, Pipeline: "a", Action: "Checkout"},
		{Watched: onMain, Pipeline: "b", Action: "Checkout"}}, got)

	v2 := pipeline("a")
	v2.Declaration.Version = 2
	v2.Declaration.Stages[0].Actions[0].Configuration = map[string]string{"RepositoryName": "app", "BranchName": "dev"}
	f.update("a", func(tx sluice.Tx) error { return tx.SavePipeline(f.ctx, v2) })
	f.update("b", func(tx sluice.Tx) error { return tx.DeletePipeline(f.ctx) })
	got, err = f.s.Watching(f.ctx, onMain)
	require.NoError(t, err)
	require.Empty(t, got, "a watches dev now, and b is gone")
	got, err = f.s.WatchingKind(f.ctx, sluice.WatchRepository)
	require.NoError(t, err)
	require.Equal(t, []sluice.SourceWatch{{Watched: sluice.Watched{Kind: sluice.WatchRepository, Scope: "app", Name: "dev"},
		Pipeline: "a", Action: "Checkout"}}, got)
}

// testPushHeads checks sluice.PushHeadStore.
func testPushHeads(t *testing.T, open func(*testing.T) sluice.Store) {
	t.Run("GuardedBySeq", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		require.NoError(t, f.s.CreateRepository(f.ctx, &sluice.Repository{ID: "r1", Name: "app", Created: base, Updated: base}))
		heads, known, err := f.s.PushHeads(f.ctx, "app")
		require.NoError(t, err)
		require.True(t, known, "a repository created now has no branch acted on")
		require.Empty(t, heads)
		require.NoError(t, f.s.SetPushHead(f.ctx, "app", "main", sluice.PushHead{Head: "a", Seq: 1}))
		requireCode(t, f.s.SetPushHead(f.ctx, "app", "main", sluice.PushHead{Head: "b", Seq: 1}), sluice.EConflict, "PushHead")
		requireCode(t, f.s.SetPushHead(f.ctx, "app", "main", sluice.PushHead{Head: "b", Seq: 3}), sluice.EConflict, "PushHead")
		require.NoError(t, f.s.SetPushHead(f.ctx, "app", "main", sluice.PushHead{Head: "b", Seq: 2}))
		heads, _, err = f.s.PushHeads(f.ctx, "app")
		require.NoError(t, err)
		require.Equal(t, map[string]sluice.PushHead{"main": {Head: "b", Seq: 2}}, heads)
	})
	t.Run("DeletedRepositoryForgetsItsHeads", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		require.NoError(t, f.s.CreateRepository(f.ctx, &sluice.Repository{ID: "r1", Name: "app", Created: base, Updated: base}))
		require.NoError(t, f.s.SetPushHead(f.ctx, "app", "main", sluice.PushHead{Head: "a", Seq: 1}))
		require.NoError(t, f.s.DeleteRepository(f.ctx, "app"))
		heads, known, err := f.s.PushHeads(f.ctx, "app")
		require.NoError(t, err)
		require.True(t, known)
		require.Empty(t, heads)
	})
	t.Run("BaselineTakesHeadsAsActedOn", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		require.NoError(t, f.s.SetPushHead(f.ctx, "app", "dev", sluice.PushHead{Head: "d", Seq: 1}))
		require.NoError(t, f.s.BaselinePushHeads(f.ctx, "app", map[string]string{"main": "a", "dev": "e"}))
		heads, known, err := f.s.PushHeads(f.ctx, "app")
		require.NoError(t, err)
		require.True(t, known)
		require.Equal(t, map[string]sluice.PushHead{"main": {Head: "a"}, "dev": {Head: "e", Seq: 1}}, heads)
	})
}
