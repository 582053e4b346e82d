package githost

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
)

func TestLog(t *testing.T) {
	t.Parallel()

	t.Run("NewestFirst", func(t *testing.T) {
		t.Parallel()
		s := setupSeeded(t)
		revs, err := s.host.Log(context.Background(), "app", "refs/heads/main", 20)
		require.NoError(t, err)
		require.Len(t, revs, 2)
		require.Equal(t, s.second, revs[0].RevisionID)
		require.Equal(t, "Add the app", revs[0].Summary)
		require.Equal(t, "Ada Lovelace", revs[0].Variables["AuthorName"])
		require.Equal(t, commitDate, revs[0].Created.UTC().Format("2006-01-02T15:04:05Z"))
		require.Equal(t, s.first, revs[1].RevisionID)
	})

	t.Run("Limit", func(t *testing.T) {
		t.Parallel()
		s := setupSeeded(t)
		revs, err := s.host.Log(context.Background(), "app", "refs/heads/main", 1)
		require.NoError(t, err)
		require.Len(t, revs, 1)
		require.Equal(t, s.second, revs[0].RevisionID)
	})

	t.Run("ErrBranchNotFound", func(t *testing.T) {
		t.Parallel()
		s := setupSeeded(t)
		_, err := s.host.Log(context.Background(), "app", "refs/heads/--output=x", 5)
		requireCode(t, err, sluice.ENotFound, "Reference")
	})
}
