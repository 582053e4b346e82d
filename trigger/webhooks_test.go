package trigger

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/hostevent/hosteventtest"
)

// post delivers body with header to the connection's webhook URL and decodes the answer.
func (b *connBundle) post(t *testing.T, id string, header http.Header, body []byte) (int, answer) {
	t.Helper()
	mux := http.NewServeMux()
	mux.Handle(WebhookPath, &Webhooks{Connections: b.conns, Store: b.store, Clock: b.clock, Log: b.conns.Log})
	req := httptest.NewRequest(http.MethodPost, "/v1/webhooks/"+id, bytes.NewReader(body))
	req.Header = header.Clone()
	rec := httptest.NewRecorder()
	mux.ServeHTTP(rec, req)
	var a answer
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &a), rec.Body.String())
	return rec.Code, a
}

func (b *connBundle) setWebhookSecret(t *testing.T, secret string) {
	t.Helper()
	conn, err := b.store.GetConnection(context.Background(), connARN)
	require.NoError(t, err)
	conn.WebhookSecret = secret
	require.NoError(t, b.store.UpdateConnection(context.Background(), conn))
}

func (b *connBundle) deliveries(t *testing.T) []*sluice.WebhookDelivery {
	t.Helper()
	got, _, err := b.store.ListWebhookDeliveries(context.Background(), connARN, sluice.Page{})
	require.NoError(t, err)
	return got
}

// githubPush is a GitHub push delivery of sha to branch of acme/app, signed with secret.
func githubPush(t *testing.T, delivery, branch, sha, secret string) (http.Header, []byte) {
	t.Helper()
	body, err := json.Marshal(map[string]any{"ref": "refs/heads/" + branch, "before": strings.Repeat("1", 40), "after": sha,
		"repository":  map[string]string{"full_name": "acme/app"},
		"head_commit": map[string]string{"id": sha, "message": "pushed", "timestamp": "2026-01-02T03:04:05Z"}})
	require.NoError(t, err)
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	h := http.Header{"Content-Type": {"application/json"}, "X-Github-Event": {"push"}, "X-Github-Delivery": {delivery},
		"X-Hub-Signature-256": {"sha256=" + hex.EncodeToString(mac.Sum(nil))}}
	return h, body
}

func TestWebhooks(t *testing.T) {
	t.Parallel()
	sha := strings.Repeat("a", 40)
	const id = "c-1" // connARN's last part

	t.Run("SignedPushStartsOnceAndReplaysAreDuplicates", func(t *testing.T) {
		t.Parallel()
		b := connSetup(t, pipeline("p", connSource("Src", "acme/app", "main", "")))
		h, body := githubPush(t, "d-1", "main", sha, "s")
		status, a := b.post(t, id, h, body)
		require.Equal(t, http.StatusOK, status)
		require.Equal(t, sluice.DeliveryStarted, a.Result)
		require.Len(t, a.Executions, 1)
		require.Equal(t, a.Executions[0].ExecutionID, b.started(t, "p")[0].ID)
		first := a.Executions

		status, a = b.post(t, id, h, body)
		require.Equal(t, http.StatusOK, status)
		require.Equal(t, sluice.DeliveryDuplicate, a.Result)
		require.Contains(t, a.Message, "duplicate delivery")
		require.Len(t, b.started(t, "p"), 1)

		got := b.deliveries(t)
		require.Len(t, got, 2)
		require.Equal(t, sluice.DeliveryDuplicate, got[0].Result)
		require.Equal(t, sluice.DeliveryStarted, got[1].Result)
		require.Equal(t, first, got[1].Executions)
		require.Equal(t, "push", got[1].Event)
		require.Equal(t, "acme/app", got[1].Repository)
		require.Equal(t, "refs/heads/main", got[1].Ref)
		require.Equal(t, "d-1", got[1].DeliveryID)
		require.Equal(t, b.clock.Now(), got[1].Received)
	})

	t.Run("RefusedDeliveriesStartNothing", func(t *testing.T) {
		t.Parallel()
		b := connSetup(t, pipeline("p", connSource("Src", "acme/app", "main", "")))
		h, body := githubPush(t, "d-1", "main", sha, "wrong secret")
		status, a := b.post(t, id, h, body)
		require.Equal(t, http.StatusForbidden, status)
		require.Equal(t, sluice.DeliveryRefused, a.Result)
		require.Contains(t, a.Message, "X-Hub-Signature-256")
		h.Del("X-Hub-Signature-256")
		status, _ = b.post(t, id, h, body)
		require.Equal(t, http.StatusForbidden, status, "unsigned")

		b.setWebhookSecret(t, "")
		h, body = githubPush(t, "d-1", "main", sha, "")
		status, a = b.post(t, id, h, body)
		require.Equal(t, http.StatusForbidden, status)
		require.Contains(t, a.Message, "UpdateConnectionCredentials")

		b.setWebhookSecret(t, "s")
		h, _ = githubPush(t, "d-1", "main", sha, "s")
		status, _ = b.post(t, id, h, []byte(`{"ref": `))
		require.Equal(t, http.StatusForbidden, status, "the signature covers the body")
		require.Empty(t, b.started(t, "p"))
		require.Len(t, b.deliveries(t), 4)
		for _, d := range b.deliveries(t) {
			require.Equal(t, sluice.DeliveryRefused, d.Result)
			require.Equal(t, "d-1", d.DeliveryID, "the host's id, even unparsed")
		}

		// Refusals do not take the id: the real delivery still gets through.
		h, body = githubPush(t, "d-1", "main", sha, "s")
		status, a = b.post(t, id, h, body)
		require.Equal(t, http.StatusOK, status)
		require.Equal(t, sluice.DeliveryStarted, a.Result)
	})

	t.Run("MalformedAndOversizedBodies", func(t *testing.T) {
		t.Parallel()
		b := connSetup(t, pipeline("p", connSource("Src", "acme/app", "main", "")))
		body := []byte(`{"ref": 3}`)
		mac := hmac.New(sha256.New, []byte("s"))
		mac.Write(body)
		h := http.Header{"X-Github-Event": {"push"}, "X-Hub-Signature-256": {"sha256=" + hex.EncodeToString(mac.Sum(nil))}}
		status, a := b.post(t, id, h, body)
		require.Equal(t, http.StatusBadRequest, status)
		require.Equal(t, sluice.DeliveryRefused, a.Result)

		status, a = b.post(t, id, h, bytes.Repeat([]byte(" "), MaxWebhookBody+1))
		require.Equal(t, http.StatusRequestEntityTooLarge, status)
		require.Contains(t, a.Message, "larger than")
	})

	t.Run("UnknownConnection", func(t *testing.T) {
		t.Parallel()
		b := connSetup(t)
		h, body := githubPush(t, "d-1", "main", sha, "s")
		for _, bad := range []string{"c-2", "c_1", "c%201"} {
			status, _ := b.post(t, bad, h, body)
			require.Equal(t, http.StatusNotFound, status, bad)
		}
	})

	t.Run("EachProviderTypeTakesItsHostsFormat", func(t *testing.T) {
		t.Parallel()
		for _, c := range []struct {
			providerType, delivery, repo, branch, result string
		}{
			{sluice.ProviderGitHub, "github-push-branch-commits", "binkkatal/sample_app", "master", sluice.DeliveryStarted},
			{sluice.ProviderGitHubEnterprise, "github-push-branch-commits", "binkkatal/sample_app", "master", sluice.DeliveryStarted},
			{sluice.ProviderGit, "github-push-branch-commits", "binkkatal/sample_app", "master", sluice.DeliveryStarted},
			{sluice.ProviderGitHub, "github-ping", "binkkatal/sample_app", "master", sluice.DeliveryIgnored},
			{sluice.ProviderGitLab, "gitlab-push", "mike/diaspora", "master", sluice.DeliveryStarted},
			{sluice.ProviderGitLabSelf, "gitlab-push", "mike/diaspora", "master", sluice.DeliveryStarted},
			{sluice.ProviderBitbucket, "bitbucket-repo-push", "team_name/repo_name", "name-of-branch", sluice.DeliveryStarted},
			{sluice.ProviderBitbucket, "bitbucket-server-repo-refs-changed-delete", "x/y", "main", sluice.DeliveryIgnored},
		} {
			t.Run(c.providerType+"/"+c.delivery, func(t *testing.T) {
				t.Parallel()
				b := connSetupFor(t, c.providerType, pipeline("p", connSource("Src", c.repo, c.branch, "")))
				d := hosteventtest.Get(t, c.delivery)
				b.setWebhookSecret(t, d.Secret())
				status, a := b.post(t, id, d.Header, d.Body)
				require.Equal(t, http.StatusOK, status, a.Message)
				require.Equal(t, c.result, a.Result, a.Message)
			})
		}
	})
}
