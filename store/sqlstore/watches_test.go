package sqlstore

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
)

func watchedPipeline(name, branch string) *sluice.Pipeline {
	src := sluice.ActionDeclaration{Name: "Src", ActionTypeID: sluice.ActionTypeID{Category: "Source", Owner: "AWS", Provider: "CodeCommit", Version: "1"},
		Configuration: map[string]string{"RepositoryName": "app", "BranchName": branch}}
	return &sluice.Pipeline{ARN: "arn:" + name, Declaration: sluice.PipelineDeclaration{Name: name, Version: 1,
		Stages: []sluice.StageDeclaration{{Name: "Source", Actions: []sluice.ActionDeclaration{src}}}}}
}

// TestWatchIndex checks what the conformance suite cannot: pipelines migration 11 found.
func TestWatchIndex(t *testing.T) {
	t.Parallel()
	main := sluice.Watched{Kind: sluice.WatchRepository, Scope: "app", Name: "main"}

	t.Run("PipelinesOlderThanTheIndexAreIndexedAtOpen", func(t *testing.T) {
		t.Parallel()
		ctx := t.Context()
		path := filepath.Join(t.TempDir(), "sluice.db")
		db := openTest(t, path)
		p := watchedPipeline("p", "main")
		require.NoError(t, db.Update(ctx, "p", func(tx sluice.Tx) error { return tx.CreatePipeline(ctx, p, nil) }))
		// What migration 11 leaves behind on a database with pipelines.
		_, err := db.w.db.ExecContext(ctx, `DELETE FROM watched_sources; INSERT INTO watched_sources_unbuilt VALUES (1)`)
		require.NoError(t, err)
		require.NoError(t, db.Close())

		db = openTest(t, path)
		defer db.Close()
		got, err := db.Watching(ctx, main)
		require.NoError(t, err)
		require.Len(t, got, 1)
	})
}
