package console_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
)

// iamReader may read IAM and nothing else.
const iamReader = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:Get*","iam:List*"],"Resource":"*"}]}`

func TestIAMPage(t *testing.T) {
	t.Parallel()

	t.Run("ListsUsersGroupsPolicies", func(t *testing.T) {
		t.Parallel()
		f := setup(t)
		f.addUser("alice", iamReader)
		_, err := f.core.CreateGroup(f.ctx, rootCaller, "developers", "/")
		require.NoError(t, err)
		resp, body := f.root().get("/iam")
		require.Equal(t, http.StatusOK, resp.StatusCode)
		require.Contains(t, body, `href="/iam/users/alice"`)
		require.Contains(t, body, "developers")
		require.Contains(t, body, "AdministratorAccess")
	})

	t.Run("UserShowsKeyIDNeverSecret", func(t *testing.T) {
		t.Parallel()
		f := setup(t)
		id, secret := f.addUser("alice", iamReader)
		_, err := f.core.CreateGroup(f.ctx, rootCaller, "developers", "/")
		require.NoError(t, err)
		require.NoError(t, f.core.AddUserToGroup(f.ctx, rootCaller, "developers", "alice"))
		resp, body := f.root().get("/iam/users/alice")
		require.Equal(t, http.StatusOK, resp.StatusCode)
		require.Contains(t, body, id)
		require.NotContains(t, body, secret)
		require.Contains(t, body, "<li>developers</li>")
		require.Contains(t, body, "iam:List*") // the inline policy's document
		require.Contains(t, body, "Deactivate")
	})

	t.Run("DeactivatesAKey", func(t *testing.T) {
		t.Parallel()
		f := setup(t)
		id, secret := f.addUser("alice", iamReader)
		b := f.root()
		resp, _ := b.submit("/iam/users/alice", "/iam/users/alice/keys/"+id, url.Values{"status": {"Inactive"}})
		require.Equal(t, http.StatusSeeOther, resp.StatusCode)
		_, body := b.get("/iam/users/alice")
		require.Contains(t, body, `<span class="status off">Inactive</span>`)
		require.Contains(t, body, "Activate")
		k, err := f.db.GetAccessKey(f.ctx, id)
		require.NoError(t, err)
		require.Equal(t, sluice.KeyInactive, k.Status)
		_, err = f.core.CheckSignIn(f.ctx, id, secret)
		require.Error(t, err)
	})

	t.Run("ReaderSeesNoControlAndIsRefused", func(t *testing.T) {
		t.Parallel()
		f := setup(t)
		id, sec := f.addUser("alice", iamReader)
		b := f.signIn(id, sec)
		resp, body := b.get("/iam/users/alice")
		require.Equal(t, http.StatusOK, resp.StatusCode)
		require.Contains(t, body, id)
		require.NotContains(t, body, "Deactivate")
		resp, _ = b.submit("/iam/users/alice", "/iam/users/alice/keys/"+id, url.Values{"status": {"Inactive"}})
		require.Equal(t, http.StatusForbidden, resp.StatusCode)
		k, err := f.db.GetAccessKey(f.ctx, id)
		require.NoError(t, err)
		require.NotEqual(t, sluice.KeyInactive, k.Status)
	})

	t.Run("ErrNoCSRF", func(t *testing.T) {
		t.Parallel()
		f := setup(t)
		id, _ := f.addUser("alice", iamReader)
		resp, _ := f.root().post("/iam/users/alice/keys/"+id, url.Values{"status": {"Inactive"}})
		require.Equal(t, http.StatusForbidden, resp.StatusCode)
		k, err := f.db.GetAccessKey(f.ctx, id)
		require.NoError(t, err)
		require.NotEqual(t, sluice.KeyInactive, k.Status)
	})

	t.Run("ErrAccessDenied", func(t *testing.T) {
		t.Parallel()
		f := setup(t)
		f.addUser("alice", iamReader)
		id, sec := f.addUser("bob", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"codepipeline:ListPipelines","Resource":"*"}]}`)
		b := f.signIn(id, sec)
		resp, body := b.get("/iam")
		require.Equal(t, http.StatusForbidden, resp.StatusCode)
		require.Contains(t, body, "iam:ListUsers")
		require.NotContains(t, body, "alice")
		resp, _ = b.get("/iam/users/alice")
		require.Equal(t, http.StatusForbidden, resp.StatusCode)
	})
}
