package console_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestAuditPage(t *testing.T) {
	t.Parallel()

	t.Run("ShowsAChangeMade", func(t *testing.T) {
		t.Parallel()
		f := setup(t)
		id, _ := f.addUser("alice", iamReader)
		b := f.root()
		resp, _ := b.submit("/iam/users/alice", "/iam/users/alice/keys/"+id, url.Values{"status": {"Inactive"}})
		require.Equal(t, http.StatusSeeOther, resp.StatusCode)

		resp, body := b.get("/audit")
		require.Equal(t, http.StatusOK, resp.StatusCode)
		require.Contains(t, body, "<strong>UpdateAccessKey</strong>")
		require.Contains(t, body, "iam.amazonaws.com")
		require.Contains(t, body, "ConsoleLogin")
		require.Contains(t, body, "&#34;accessKeyId&#34;: &#34;"+id+"&#34;")

		_, body = b.get("/audit?key=EventName&value=UpdateAccessKey")
		require.Contains(t, body, "<strong>UpdateAccessKey</strong>")
		require.NotContains(t, body, "<strong>ConsoleLogin</strong>")
		require.Contains(t, body, `<td data-label="User">root</td>`)
	})

	t.Run("ErrAccessDenied", func(t *testing.T) {
		t.Parallel()
		f := setup(t)
		id, sec := f.addUser("bob", iamReader)
		resp, body := f.signIn(id, sec).get("/audit")
		require.Equal(t, http.StatusForbidden, resp.StatusCode)
		require.Contains(t, body, "cloudtrail:LookupEvents")
		require.NotContains(t, body, "ConsoleLogin")
	})
}
