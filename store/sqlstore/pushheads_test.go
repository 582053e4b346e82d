package sqlstore

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
)

// TestPushHeads checks what the conformance suite cannot: a repository migration 10 found.
func TestPushHeads(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	setup := func(t *testing.T) *DB {
		t.Helper()
		db := openTest(t, filepath.Join(t.TempDir(), "sluice.db"))
		t.Cleanup(func() { db.Close() })
		require.NoError(t, db.CreateRepository(ctx, &sluice.Repository{ID: "r1", Name: "app"}))
		return db
	}

	t.Run("RepositoryOlderThanHeadsIsBaselined", func(t *testing.T) {
		t.Parallel()
		db := setup(t)
		// What migration 10 leaves for a repository that existed before it.
		_, err := db.w.db.ExecContext(ctx, `INSERT INTO push_heads_unknown (repo) VALUES ('app')`)
		require.NoError(t, err)
		_, known, err := db.PushHeads(ctx, "app")
		require.NoError(t, err)
		require.False(t, known)
		require.NoError(t, db.BaselinePushHeads(ctx, "app", map[string]string{"main": "a"}))
		heads, known, err := db.PushHeads(ctx, "app")
		require.NoError(t, err)
		require.True(t, known)
		require.Equal(t, map[string]sluice.PushHead{"main": {Head: "a"}}, heads)
	})
}
