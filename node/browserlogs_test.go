package node_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice/node/nodetest"
)

// A browser following a log link of ListActionExecutions lands on the console's page of the
// action run (which asks it to sign in), not on a SigV4 refusal; clients still get the API.
func TestBrowserLogLink(t *testing.T) {
	t.Parallel()
	b := nodetest.Setup(t)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	get := func(accept string) *http.Response {
		req, err := http.NewRequest(http.MethodGet, b.URL+"/v1/logs/my%20app/0123-abcd", nil)
		require.NoError(t, err)
		req.Header.Set("Accept", accept)
		resp, err := client.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		return resp
	}
	resp := get("text/html,application/xhtml+xml,*/*;q=0.8")
	require.Equal(t, http.StatusSeeOther, resp.StatusCode)
	require.Equal(t, "/pipelines/my%20app/actions/0123-abcd", resp.Header.Get("Location"))
	resp = get("*/*")
	require.Equal(t, http.StatusForbidden, resp.StatusCode, "an unsigned client still gets the API's refusal")
}
