package node_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codecommit"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"
	"github.com/stretchr/testify/require"

	"sluice/config"
	"sluice/hostevent/hosteventtest"
)

const hookSecret = "webhook-secret-of-the-tests"

// hookBundle is a server with a hosted repository "remote" reached back through a Git
// connection, as any git server would be, and the connection's webhook secret set.
type hookBundle struct {
	*bundle
	arn string
}

func setupHooks(t *testing.T, gitEndpoint func(b *bundle) string) *hookBundle {
	t.Helper()
	// No polling rounds of their own: the tests call PollOnce when they mean to poll.
	b := setupWith(t, func(c *config.Server) { c.PollInterval = 0 })
	_, err := b.CC.CreateRepository(context.Background(), &codecommit.CreateRepositoryInput{RepositoryName: aws.String("remote")})
	require.NoError(t, err)
	arn := gitConnection(t, b, gitEndpoint(b))
	require.NoError(t, b.SignedCall(context.Background(), "SluiceConnections_20261129.UpdateConnectionCredentials",
		map[string]string{"ConnectionArn": arn, "WebhookSecret": hookSecret}, nil))
	return &hookBundle{bundle: b, arn: arn}
}

func ownGit(b *bundle) string { return b.URL + "/v1/repos" }

// source is a connection source action "Src" on repository "remote"; detect "" leaves
// DetectChanges out.
func (h *hookBundle) source(branch, detect string) types.ActionDeclaration {
	cfg := map[string]string{"ConnectionArn": h.arn, "FullRepositoryId": "remote", "BranchName": branch}
	if detect != "" {
		cfg["DetectChanges"] = detect
	}
	return types.ActionDeclaration{Name: aws.String("Src"), Namespace: aws.String("Src"),
		ActionTypeId: &types.ActionTypeId{Category: types.ActionCategorySource, Owner: types.ActionOwnerAws,
			Provider: aws.String("CodeStarSourceConnection"), Version: aws.String("1")},
		Configuration: cfg, OutputArtifacts: []types.OutputArtifact{{Name: aws.String("Code")}}}
}

// create creates a V2 pipeline of the source and then, so that executions stop there
// cheaply, a manual approval; triggers apply to "Src".
func (h *hookBundle) create(t *testing.T, name string, src types.ActionDeclaration, trig *types.GitConfiguration) {
	t.Helper()
	p := &types.PipelineDeclaration{Name: aws.String(name), RoleArn: aws.String("arn:aws:iam::000000000000:role/sluice"),
		ArtifactStore: &types.ArtifactStore{Type: types.ArtifactStoreTypeS3, Location: aws.String("sluice-artifacts")},
		PipelineType:  types.PipelineTypeV2, Stages: []types.StageDeclaration{stage("Source", src), stage("Approve", approval("OK"))}}
	if trig != nil {
		trig.SourceActionName = aws.String("Src")
		p.Triggers = []types.PipelineTriggerDeclaration{{ProviderType: types.PipelineTriggerProviderTypeCodeStarSourceConnection, GitConfiguration: trig}}
	}
	_, err := h.CP.CreatePipeline(context.Background(), &codepipeline.CreatePipelineInput{Pipeline: p})
	require.NoError(t, err)
}

// executions lists a pipeline's executions, newest first.
func (h *hookBundle) executions(t *testing.T, name string) []types.PipelineExecutionSummary {
	t.Helper()
	out, err := h.CP.ListPipelineExecutions(context.Background(), &codepipeline.ListPipelineExecutionsInput{PipelineName: aws.String(name)})
	require.NoError(t, err)
	return out.PipelineExecutionSummaries
}

// waitSource waits until the execution's source action succeeded.
func (h *hookBundle) waitSource(t *testing.T, pipeline, exec string) {
	t.Helper()
	h.WaitFor(t, "the source of "+exec, func() bool {
		out, err := h.CP.ListActionExecutions(context.Background(), &codepipeline.ListActionExecutionsInput{PipelineName: aws.String(pipeline),
			Filter: &types.ActionExecutionFilter{PipelineExecutionId: aws.String(exec)}})
		require.NoError(t, err)
		for _, a := range out.ActionExecutionDetails {
			if aws.ToString(a.ActionName) == "Src" {
				require.NotEqual(t, types.ActionExecutionStatusFailed, a.Status, "source failed: %+v", a.Output)
				return a.Status == types.ActionExecutionStatusSucceeded
			}
		}
		return false
	})
}

// pushTo commits files to branch of the hosted repository "remote" and returns the commit.
func (h *hookBundle) pushTo(t *testing.T, branch string, files map[string]string) string {
	t.Helper()
	env, work := gitEnv(t), t.TempDir()
	git(t, env, work, "clone", "-q", authURL(h.URL+"/v1/repos/remote"), "w")
	dir := filepath.Join(work, "w")
	git(t, env, dir, "checkout", "-q", "-B", branch)
	for name, content := range files {
		require.NoError(t, os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644))
	}
	git(t, env, dir, "add", "-A")
	git(t, env, dir, "commit", "-q", "-m", "Change "+strings.Join(keys(files), ", "))
	git(t, env, dir, "push", "-q", "origin", "HEAD:"+branch)
	return git(t, env, dir, "rev-parse", "HEAD")
}

func keys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// delivery is a corpus GitHub delivery with its JSON edited, under a new delivery id, signed
// with secret as GitHub signs (HMAC-SHA256 of the body).
func delivery(t *testing.T, name, id, secret string, edit func(map[string]any)) (http.Header, []byte) {
	t.Helper()
	d := hosteventtest.Get(t, name)
	var doc map[string]any
	require.NoError(t, json.Unmarshal(d.Body, &doc))
	edit(doc)
	body, err := json.Marshal(doc)
	require.NoError(t, err)
	h := d.Header.Clone()
	h.Del("Content-Length")
	h.Del("X-Hub-Signature") // the SHA-1 one would not match the edited body
	h.Set("X-GitHub-Delivery", id)
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	h.Set("X-Hub-Signature-256", "sha256="+hex.EncodeToString(mac.Sum(nil)))
	return h, body
}

// pushDelivery is the corpus push delivery rewritten to a push of after to branch of
// "remote" whose commits changed files.
func pushDelivery(t *testing.T, id, branch, before, after string, files ...string) (http.Header, []byte) {
	t.Helper()
	return delivery(t, "github-push-branch-commits", id, hookSecret, func(doc map[string]any) {
		doc["repository"].(map[string]any)["full_name"] = "remote"
		doc["ref"], doc["before"], doc["after"] = "refs/heads/"+branch, before, after
		if files != nil {
			doc["commits"] = []any{map[string]any{"id": after, "message": "change", "added": files, "modified": []any{}, "removed": []any{}}}
		}
	})
}

type hookAnswer struct {
	Result     string `json:"result"`
	Message    string `json:"message"`
	Executions []struct {
		Pipeline    string `json:"pipelineName"`
		ExecutionID string `json:"pipelineExecutionId"`
	} `json:"executions"`
}

// post delivers to the connection's webhook URL, unsigned by SigV4 as git hosts send.
func (h *hookBundle) post(t *testing.T, header http.Header, body []byte) (int, hookAnswer) {
	t.Helper()
	id := h.arn[strings.LastIndex(h.arn, "/")+1:]
	req, err := http.NewRequest(http.MethodPost, h.URL+"/v1/webhooks/"+id, bytes.NewReader(body))
	require.NoError(t, err)
	req.Header = header
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var a hookAnswer
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&a))
	return resp.StatusCode, a
}

// started names the pipelines an answer started executions of.
func (a hookAnswer) started() []string {
	var out []string
	for _, e := range a.Executions {
		out = append(out, e.Pipeline)
	}
	return out
}

// TestConnectionWebhook: a signed GitHub-format push delivery starts the pipeline within the
// request, pinned to the pushed commit; a bad signature and a replay start nothing; the
// connection's delivery log shows all three.
func TestConnectionWebhook(t *testing.T) {
	t.Parallel()
	h := setupHooks(t, ownGit)
	ctx := context.Background()
	first := h.pushTo(t, "main", map[string]string{"app.txt": "v1\n"})
	h.create(t, "hooked", h.source("main", ""), nil)
	h.waitSource(t, "hooked", *h.executions(t, "hooked")[0].PipelineExecutionId)

	second := h.pushTo(t, "main", map[string]string{"app.txt": "v2\n"})
	h.pushTo(t, "main", map[string]string{"app.txt": "v3\n"}) // the head moves on: the delivery's commit must still run
	header, body := pushDelivery(t, "delivery-1", "main", first, second)
	status, a := h.post(t, header, body)
	require.Equal(t, http.StatusOK, status, a.Message)
	require.Equal(t, "STARTED", a.Result, a.Message)
	require.Equal(t, []string{"hooked"}, a.started())
	exec := a.Executions[0].ExecutionID
	h.waitSource(t, "hooked", exec)
	got, err := h.CP.GetPipelineExecution(ctx, &codepipeline.GetPipelineExecutionInput{PipelineName: aws.String("hooked"), PipelineExecutionId: aws.String(exec)})
	require.NoError(t, err)
	require.Equal(t, types.ExecutionTrigger{TriggerType: types.TriggerTypeWebhookV2, TriggerDetail: aws.String(h.arn)}, *got.PipelineExecution.Trigger)
	require.Equal(t, second, aws.ToString(got.PipelineExecution.ArtifactRevisions[0].RevisionId))
	require.Equal(t, "Change app.txt", aws.ToString(got.PipelineExecution.ArtifactRevisions[0].RevisionSummary),
		"the corpus head_commit is another commit: the summary comes from the mirror")

	header, forged := pushDelivery(t, "delivery-2", "main", second, second)
	forged = bytes.Replace(forged, []byte(`"remote"`), []byte(`"remote" `), 1) // changed after signing
	status, a = h.post(t, header, forged)
	require.Equal(t, http.StatusForbidden, status)
	require.Equal(t, "REFUSED", a.Result)

	header, body = pushDelivery(t, "delivery-1", "main", first, second)
	status, a = h.post(t, header, body)
	require.Equal(t, http.StatusOK, status)
	require.Equal(t, "DUPLICATE", a.Result)
	require.Contains(t, a.Message, "duplicate delivery")
	require.Len(t, h.executions(t, "hooked"), 2, "CreatePipeline's and the delivery's, nothing more")

	var log struct {
		Deliveries []struct {
			DeliveryID, Event, Repository, Ref, Result, Reason string
			Executions                                         []struct{ PipelineName, PipelineExecutionId string }
			ReceivedAt                                         float64
		}
	}
	require.NoError(t, h.SignedCall(ctx, "SluiceConnections_20261129.ListWebhookDeliveries", map[string]string{"ConnectionArn": h.arn}, &log))
	require.Len(t, log.Deliveries, 3)
	var results []string
	for _, d := range log.Deliveries {
		results = append(results, d.Result)
		require.NotZero(t, d.ReceivedAt)
	}
	require.Equal(t, []string{"DUPLICATE", "REFUSED", "STARTED"}, results, "newest first")
	started := log.Deliveries[2]
	require.Equal(t, "delivery-1", started.DeliveryID)
	require.Equal(t, "push", started.Event)
	require.Equal(t, "remote", started.Repository)
	require.Equal(t, "refs/heads/main", started.Ref)
	require.Equal(t, []struct{ PipelineName, PipelineExecutionId string }{{"hooked", exec}}, started.Executions)
	require.Contains(t, log.Deliveries[1].Reason, "X-Hub-Signature-256")
}

// TestConnectionTriggerFilters: V2 triggers on one repository start exactly the pipelines
// whose branch and file path filters match; a pull request's files come from the mirror.
func TestConnectionTriggerFilters(t *testing.T) {
	t.Parallel()
	h := setupHooks(t, ownGit)
	base := h.pushTo(t, "main", map[string]string{"README": "hi\n"})
	branches := func(in ...string) *types.GitBranchFilterCriteria { return &types.GitBranchFilterCriteria{Includes: in} }
	pushOn := func(f types.GitPushFilter) *types.GitConfiguration {
		return &types.GitConfiguration{Push: []types.GitPushFilter{f}}
	}
	h.create(t, "push-main", h.source("main", ""), pushOn(types.GitPushFilter{Branches: branches("main")}))
	h.create(t, "push-release", h.source("main", ""), pushOn(types.GitPushFilter{Branches: branches("release/**")}))
	h.create(t, "main-src", h.source("main", ""), pushOn(types.GitPushFilter{Branches: branches("main"),
		FilePaths: &types.GitFilePathFilterCriteria{Includes: []string{"src/**"}}}))
	h.create(t, "main-not-docs", h.source("main", ""), pushOn(types.GitPushFilter{Branches: branches("main"),
		FilePaths: &types.GitFilePathFilterCriteria{Excludes: []string{"docs/**"}}}))
	h.create(t, "pr-src", h.source("main", ""), &types.GitConfiguration{PullRequest: []types.GitPullRequestFilter{{
		Events: []types.GitPullRequestEventType{types.GitPullRequestEventTypeOpen}, Branches: branches("main"),
		FilePaths: &types.GitFilePathFilterCriteria{Includes: []string{"src/**"}}}}})

	docs := h.pushTo(t, "main", map[string]string{"docs/guide.md": "read me\n"})
	header, body := pushDelivery(t, "docs", "main", base, docs, "docs/guide.md")
	_, a := h.post(t, header, body)
	require.ElementsMatch(t, []string{"push-main"}, a.started(), a.Message)

	src := h.pushTo(t, "main", map[string]string{"src/app.go": "package app\n"})
	header, body = pushDelivery(t, "src", "main", docs, src, "src/app.go")
	_, a = h.post(t, header, body)
	require.ElementsMatch(t, []string{"push-main", "main-src", "main-not-docs"}, a.started(), a.Message)

	header, body = pushDelivery(t, "release", "release/1.0", src, src, "src/app.go")
	_, a = h.post(t, header, body)
	require.ElementsMatch(t, []string{"push-release"}, a.started(), a.Message)

	feature := h.pushTo(t, "feature", map[string]string{"src/feature.go": "package app\n"})
	header, body = delivery(t, "github-pull_request-opened", "pr", hookSecret, func(doc map[string]any) {
		doc["repository"].(map[string]any)["full_name"] = "remote"
		pr := doc["pull_request"].(map[string]any)
		pr["head"].(map[string]any)["sha"], pr["head"].(map[string]any)["ref"] = feature, "feature"
		pr["base"].(map[string]any)["ref"] = "main"
	})
	_, a = h.post(t, header, body)
	require.Equal(t, []string{"pr-src"}, a.started(), "the pull request's files (src/feature.go) come from the mirror: %s", a.Message)
	got, err := h.CP.GetPipelineExecution(context.Background(), &codepipeline.GetPipelineExecutionInput{PipelineName: aws.String("pr-src"),
		PipelineExecutionId: aws.String(a.Executions[0].ExecutionID)})
	require.NoError(t, err)
	require.Equal(t, feature, aws.ToString(got.PipelineExecution.ArtifactRevisions[0].RevisionId), "pinned to the pull request's head")
}
