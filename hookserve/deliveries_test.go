package hookserve

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/catalog"
	"sluice/engine"
	"sluice/hostevent/hosteventtest"
	"sluice/store/sqlite"
	"sluice/trigger"
)

const connARN = "arn:aws:codestar-connections:us-east-1:000000000000:connection/c-1"

type fixedClock struct{}

func (fixedClock) Now() time.Time { return time.Unix(1_700_000_000, 0).UTC() }

type counterIDs struct{ n int }

func (c *counterIDs) NewID() string {
	c.n++
	return fmt.Sprintf("00000000-0000-4000-8000-%012d", c.n)
}

// quietRemote knows every commit and no files; deliveries describe what they push.
type quietRemote struct{}

func (quietRemote) Head(context.Context, trigger.Repo, string) (string, error) {
	return "", sluice.Errorf(sluice.ENotFound, "Branch", "no branch")
}

func (quietRemote) Commit(_ context.Context, _ trigger.Repo, sha string) (sluice.GitCommit, error) {
	return sluice.GitCommit{ID: sha}, nil
}

func (quietRemote) ChangedFiles(context.Context, trigger.Repo, trigger.Diff) ([]string, error) {
	return nil, nil
}

// connSource is a connection source action watching repo's branch.
func connSource(repo, branch string) sluice.ActionDeclaration {
	return sluice.ActionDeclaration{Name: "Src",
		ActionTypeID:    sluice.ActionTypeID{Category: "Source", Owner: "AWS", Provider: "CodeStarSourceConnection", Version: "1"},
		Configuration:   map[string]string{"ConnectionArn": connARN, "FullRepositoryId": repo, "BranchName": branch},
		OutputArtifacts: []sluice.OutputArtifact{{Name: "SrcOut"}}}
}

func pipeline(name string, src sluice.ActionDeclaration) sluice.PipelineDeclaration {
	return sluice.PipelineDeclaration{Name: name, RoleArn: "arn:aws:iam::000000000000:role/p",
		ArtifactStore: &sluice.ArtifactStoreDecl{Type: "S3", Location: "bucket"},
		Stages: []sluice.StageDeclaration{{Name: "Source", Actions: []sluice.ActionDeclaration{src}},
			{Name: "Approve", Actions: []sluice.ActionDeclaration{{Name: "OK",
				ActionTypeID: sluice.ActionTypeID{Category: "Approval", Owner: "AWS", Provider: "Manual", Version: "1"}}}}}}
}

// bundle is a store with a connection (connARN, webhook secret "s") and pipelines, behind
// the deliveries endpoint.
type bundle struct {
	store   *sqlite.DB
	clock   fixedClock
	handler http.Handler
}

func setup(t *testing.T, decls ...sluice.PipelineDeclaration) *bundle {
	t.Helper()
	return setupFor(t, sluice.ProviderGitHub, decls...)
}

func setupFor(t *testing.T, providerType string, decls ...sluice.PipelineDeclaration) *bundle {
	t.Helper()
	return setupLimited(t, providerType, Limits{}, decls...)
}

func setupLimited(t *testing.T, providerType string, limits Limits, decls ...sluice.PipelineDeclaration) *bundle {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "sluice.db"))
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	eng := &engine.Engine{Store: db, Clock: fixedClock{}, IDs: &counterIDs{}, Account: "000000000000", Region: "us-east-1",
		Lookup: catalog.With(), Log: log}
	require.NoError(t, db.CreateConnection(ctx, &sluice.Connection{ARN: connARN, Name: "c", ProviderType: providerType,
		Endpoint: "https://github.com", Status: sluice.ConnectionAvailable, WebhookSecret: "s"}))
	for _, d := range decls {
		_, err := eng.CreatePipeline(ctx, d, nil, "test")
		require.NoError(t, err)
	}
	conns := &trigger.Connections{Engine: eng, Store: db, Remote: quietRemote{}, Log: log}
	mux := http.NewServeMux()
	mux.Handle(DeliveriesPath, &Deliveries{Trigger: &trigger.Deliveries{Connections: conns, Store: db, Clock: fixedClock{}, Log: log}, Limits: limits})
	return &bundle{store: db, handler: mux}
}

// started lists the executions deliveries started, newest first.
func (b *bundle) started(t *testing.T, name string) []*sluice.Execution {
	t.Helper()
	execs, _, err := b.store.ListExecutions(context.Background(), name, sluice.ExecutionFilter{})
	require.NoError(t, err)
	var out []*sluice.Execution
	for _, e := range execs {
		if e.Trigger.Type != sluice.TriggerCreatePipeline {
			out = append(out, e)
		}
	}
	return out
}

// post delivers body with header to the connection's webhook URL and decodes the answer.
func (b *bundle) post(t *testing.T, id string, header http.Header, body []byte) (int, answer) {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/v1/webhooks/"+id, bytes.NewReader(body))
	req.Header = header.Clone()
	rec := httptest.NewRecorder()
	b.handler.ServeHTTP(rec, req)
	var a answer
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &a), rec.Body.String())
	return rec.Code, a
}

func (b *bundle) setWebhookSecret(t *testing.T, secret string) {
	t.Helper()
	conn, err := b.store.GetConnection(context.Background(), connARN)
	require.NoError(t, err)
	conn.WebhookSecret = secret
	require.NoError(t, b.store.UpdateConnection(context.Background(), conn))
}

func (b *bundle) deliveries(t *testing.T) []*sluice.WebhookDelivery {
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
		b := setup(t, pipeline("p", connSource("acme/app", "main")))
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

		// Each outcome is also Sluice's event, for rules and notifications.
		recs, err := b.store.ReadOutboxAfter(context.Background(), 0, 0)
		require.NoError(t, err)
		var results []string
		for _, r := range recs {
			if r.Event.DetailType == sluice.DetailWebhookDelivery {
				require.Equal(t, sluice.SourceSluice, r.Event.Source)
				require.Equal(t, []string{connARN}, r.Event.Resources)
				require.Contains(t, r.Event.RawDetail, `"delivery-id":"d-1"`)
				results = append(results, r.Event.State)
			}
		}
		require.Equal(t, []string{sluice.DeliveryStarted, sluice.DeliveryDuplicate}, results)
		require.Contains(t, recs[len(recs)-1].Event.RawDetail, `"result":"`+sluice.DeliveryDuplicate+`"`)
	})

	t.Run("RefusedDeliveriesStartNothing", func(t *testing.T) {
		t.Parallel()
		b := setup(t, pipeline("p", connSource("acme/app", "main")))
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
		b := setup(t, pipeline("p", connSource("acme/app", "main")))
		body := []byte(`{"ref": 3}`)
		mac := hmac.New(sha256.New, []byte("s"))
		mac.Write(body)
		h := http.Header{"X-Github-Event": {"push"}, "X-Hub-Signature-256": {"sha256=" + hex.EncodeToString(mac.Sum(nil))}}
		status, a := b.post(t, id, h, body)
		require.Equal(t, http.StatusBadRequest, status)
		require.Equal(t, sluice.DeliveryRefused, a.Result)

		status, a = b.post(t, id, h, bytes.Repeat([]byte(" "), trigger.MaxWebhookBody+1))
		require.Equal(t, http.StatusRequestEntityTooLarge, status)
		require.Contains(t, a.Message, "larger than")
	})

	t.Run("UnknownConnection", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
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
				b := setupFor(t, c.providerType, pipeline("p", connSource(c.repo, c.branch)))
				d := hosteventtest.Get(t, c.delivery)
				b.setWebhookSecret(t, d.Secret())
				status, a := b.post(t, id, d.Header, d.Body)
				require.Equal(t, http.StatusOK, status, a.Message)
				require.Equal(t, c.result, a.Result, a.Message)
			})
		}
	})
}
