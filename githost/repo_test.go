package githost

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
)

func TestCreate(t *testing.T) {
	t.Parallel()

	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		require.False(t, b.host.Exists("app"))
		require.NoError(t, b.host.Create(context.Background(), "app"))
		require.True(t, b.host.Exists("app"))
		dir := filepath.Join(b.host.root, "app.git")
		require.Equal(t, "refs/heads/main", b.git(t, dir, "symbolic-ref", "HEAD"))
		require.Equal(t, "true", b.git(t, dir, "config", "http.receivepack"))
		require.Equal(t, "true", b.git(t, dir, "rev-parse", "--is-bare-repository"))
	})

	t.Run("ErrAlreadyExists", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		require.NoError(t, b.host.Create(context.Background(), "app"))
		err := b.host.Create(context.Background(), "app")
		requireCode(t, err, sluice.EAlreadyExists, "Repository")
	})

	t.Run("ErrInvalidName", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		for _, name := range []string{"", "a/b", "with space", "app.git", "APP.GIT", ".", "..", "é",
			strings.Repeat("a", 101)} {
			err := b.host.Create(context.Background(), name)
			requireCode(t, err, sluice.EInvalid, "RepositoryName")
			require.Contains(t, err.Error(), "repositoryName")
			require.False(t, b.host.Exists(name))
		}
		for _, name := range []string{"a", "My_Repo-1.0", ".hidden", strings.Repeat("a", 100)} {
			require.NoError(t, ValidateName(name), name)
		}
	})
}

func TestDelete(t *testing.T) {
	t.Parallel()

	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		require.NoError(t, b.host.Create(context.Background(), "app"))
		require.NoError(t, b.host.Delete(context.Background(), "app"))
		require.False(t, b.host.Exists("app"))
		require.NoError(t, b.host.Create(context.Background(), "app"), "the name is free again")
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		requireCode(t, b.host.Delete(context.Background(), "app"), sluice.ENotFound, "Repository")
	})
}

func requireCode(t *testing.T, err error, code sluice.Code, resource string) {
	t.Helper()
	var e *sluice.Error
	require.ErrorAs(t, err, &e)
	require.Equal(t, code, e.Code, e.Message)
	require.Equal(t, resource, e.Resource, e.Message)
}
