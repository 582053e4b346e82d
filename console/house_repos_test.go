package console_test

import (
	"net/http"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestRepositoriesPage(t *testing.T) {
	t.Parallel()

	t.Run("ListsWithCloneURL", func(t *testing.T) {
		t.Parallel()
		f := setup(t)
		f.hostRepos()
		_, err := f.core.CreateRepository(f.ctx, rootCaller, "app", "The app")
		require.NoError(t, err)
		resp, body := f.root().get("/repositories")
		require.Equal(t, http.StatusOK, resp.StatusCode)
		require.Contains(t, body, `href="/repositories/app"`)
		require.Contains(t, body, f.srv.URL+"/v1/repos/app")
		require.Contains(t, body, "The app")
	})

	t.Run("ShowsBranchesAndCommits", func(t *testing.T) {
		t.Parallel()
		f := setup(t)
		root := f.hostRepos()
		_, err := f.core.CreateRepository(f.ctx, rootCaller, "app", "")
		require.NoError(t, err)
		b := f.root()
		_, body := b.get("/repositories/app")
		require.Contains(t, body, "Nothing has been pushed yet")
		require.Contains(t, body, `readonly value="`+f.srv.URL+`/v1/repos/app"`)

		sha := f.pushCommit(filepath.Join(root, "app.git"), "main", "Add the readme")
		f.pushCommit(filepath.Join(root, "app.git"), "feature", "Try a feature")
		resp, body := b.get("/repositories/app")
		require.Equal(t, http.StatusOK, resp.StatusCode)
		require.Contains(t, body, "Recent commits on main")
		require.Contains(t, body, "Add the readme")
		require.Contains(t, body, sha[:8])
		require.Contains(t, body, "Ada Lovelace")
		require.Contains(t, body, `href="/repositories/app?branch=feature"`)
		require.NotContains(t, body, "Try a feature")

		_, body = b.get("/repositories/app?branch=feature")
		require.Contains(t, body, "Recent commits on feature")
		require.Contains(t, body, "Try a feature")
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		t.Parallel()
		f := setup(t)
		f.hostRepos()
		resp, _ := f.root().get("/repositories/missing")
		require.Equal(t, http.StatusNotFound, resp.StatusCode)
	})

	t.Run("ErrAccessDenied", func(t *testing.T) {
		t.Parallel()
		f := setup(t)
		f.hostRepos()
		_, err := f.core.CreateRepository(f.ctx, rootCaller, "app", "")
		require.NoError(t, err)
		id, sec := f.addUser("reader", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["codecommit:GetRepository","codecommit:ListBranches"],"Resource":"*"}]}`)
		b := f.signIn(id, sec)
		resp, body := b.get("/repositories")
		require.Equal(t, http.StatusForbidden, resp.StatusCode)
		require.Contains(t, body, "codecommit:ListRepositories")
		require.NotContains(t, body, "/repositories/app")
		resp, body = b.get("/repositories/app")
		require.Equal(t, http.StatusForbidden, resp.StatusCode)
		require.Contains(t, body, "codecommit:GetCommitHistory")
	})
}
