package console_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/service"
)

// addConnection creates a GitHub connection with a webhook secret and two deliveries: one
// that started an execution and one that started nothing. It returns the connection's id.
func (f *fixture) addConnection() string {
	conn, err := f.core.CreateConnection(f.ctx, rootCaller, service.ConnectionParams{Name: "gh", ProviderType: sluice.ProviderGitHub})
	require.NoError(f.t, err)
	secret := "webhook-secret-never-shown"
	require.NoError(f.t, f.core.UpdateConnectionCredentials(f.ctx, rootCaller, service.CredentialsParams{ConnectionARN: conn.ARN, WebhookSecret: &secret}))
	for _, d := range []*sluice.WebhookDelivery{
		{DeliveryID: "d-1", ConnectionARN: conn.ARN, Event: "push", Repository: "acme/app", Ref: "refs/heads/main",
			Result: sluice.DeliveryStarted, Executions: []sluice.StartedExecution{{Pipeline: "web", ExecutionID: "11111111-2222"}}},
		{DeliveryID: "d-2", ConnectionARN: conn.ARN, Event: "push", Repository: "acme/app", Ref: "refs/heads/docs",
			Result: sluice.DeliveryIgnored, Reason: "No pipeline's trigger matches branch docs."},
	} {
		d.Received = f.clock.Now()
		require.NoError(f.t, f.db.AddWebhookDelivery(f.ctx, d, 0))
	}
	return conn.ARN[strings.LastIndex(conn.ARN, "/")+1:]
}

func TestConnectionsPage(t *testing.T) {
	t.Parallel()

	t.Run("ListsConnections", func(t *testing.T) {
		t.Parallel()
		f := setup(t)
		id := f.addConnection()
		resp, body := f.root().get("/connections")
		require.Equal(t, http.StatusOK, resp.StatusCode)
		require.Contains(t, body, `href="/connections/`+id+`"`)
		require.Contains(t, body, "AVAILABLE")
		require.Contains(t, body, "https://github.com")
	})

	t.Run("ShowsWebhookURLAndDeliveries", func(t *testing.T) {
		t.Parallel()
		f := setup(t)
		id := f.addConnection()
		resp, body := f.root().get("/connections/" + id)
		require.Equal(t, http.StatusOK, resp.StatusCode)
		require.Contains(t, body, `readonly value="`+f.srv.URL+`/v1/webhooks/`+id+`"`)
		require.Contains(t, body, "<dt>Webhook secret</dt><dd>Set</dd>")
		require.NotContains(t, body, "webhook-secret-never-shown")
		require.Contains(t, body, `href="/pipelines/web/executions/11111111-2222"`)
		require.Contains(t, body, "STARTED")
		require.Contains(t, body, "IGNORED")
		require.Contains(t, body, "No pipeline&#39;s trigger matches branch docs.")
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		t.Parallel()
		f := setup(t)
		resp, _ := f.root().get("/connections/00000000-0000-0000-0000-000000000000")
		require.Equal(t, http.StatusNotFound, resp.StatusCode)
	})

	t.Run("ErrAccessDenied", func(t *testing.T) {
		t.Parallel()
		f := setup(t)
		id := f.addConnection()
		kid, sec := f.addUser("viewer", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"codestar-connections:GetConnection","Resource":"*"}]}`)
		b := f.signIn(kid, sec)
		resp, body := b.get("/connections")
		require.Equal(t, http.StatusForbidden, resp.StatusCode)
		require.Contains(t, body, "codestar-connections:ListConnections")
		resp, body = b.get("/connections/" + id)
		require.Equal(t, http.StatusForbidden, resp.StatusCode)
		require.Contains(t, body, "codestar-connections:ListWebhookDeliveries")
		require.NotContains(t, body, "acme/app")
	})
}
