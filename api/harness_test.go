package api

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/api/sigv4"
	"sluice/catalog"
	"sluice/engine"
	"sluice/githost"
	"sluice/jobcreds"
	"sluice/jobqueue"
	"sluice/service"
	"sluice/store/sqlite"
)

const (
	harnessKeyID  = "AKIAHARNESS000000001"
	harnessSecret = "harness-secret-0000000000000000000000000"
	harnessRegion = "us-east-1"
	harnessAcct   = "111111111111"
	// fixturePipeline is the pipeline every harness starts with: its first execution waits
	// at the manual approval Approve/Gate.
	fixturePipeline = "fixture"
	fixtureRepo     = "src"
	fixtureProject  = "fixture-project"
)

// harness is an api.Server wired as node wires it (engine and SQLite store on a temp
// dir, hosted repositories), whose Verifier knows one fixed key, and whose log keeps every
// warning and error for the assertions.
type harness struct {
	dir    string // holds sluice.db and the hosted repositories (repos/)
	srv    *Server
	db     *sqlite.DB
	log    *logBuffer
	signer *v4.Signer
	// exec is the fixture pipeline's execution, waiting at Approve/Gate with token.
	exec, token string
	// job is a custom job polled with nonce (after seedJob).
	job, nonce string
}

type (
	utcClock struct{}
	uuidIDs  struct{}
)

func (utcClock) Now() time.Time { return time.Now().UTC() }
func (uuidIDs) NewID() string   { return uuid.NewString() }

// logBuffer is a goroutine-safe log sink.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// newHarness returns a harness with the fixture repository and pipeline.
func newHarness(tb testing.TB) *harness {
	tb.Helper()
	h := newBareHarness(tb)
	h.seed(tb)
	return h
}

// newBareHarness returns a harness whose server has served nothing yet.
func newBareHarness(tb testing.TB) *harness {
	tb.Helper()
	dir := tb.TempDir()
	db, err := sqlite.Open(filepath.Join(dir, "sluice.db"))
	require.NoError(tb, err)
	tb.Cleanup(func() { _ = db.Close() })
	lb := &logBuffer{}
	log := slog.New(slog.NewTextHandler(lb, &slog.HandlerOptions{Level: slog.LevelWarn}))
	repos, err := githost.New(filepath.Join(dir, "repos"), githost.WithLogger(log))
	require.NoError(tb, err)
	eng := &engine.Engine{Store: db, Clock: utcClock{}, IDs: uuidIDs{}, Account: harnessAcct, Region: harnessRegion, Log: log}
	eng.Lookup = lookupWithCustom(eng)
	core := &service.Service{Engine: eng, Store: db, Repos: repos, IDs: uuidIDs{},
		Queue:       &jobqueue.Queue{Store: db, Clock: utcClock{}, Lease: 30 * time.Second},
		ActionTypes: func(context.Context) ([]sluice.ActionType, error) { return catalog.BuiltIn(), nil }}
	srv := &Server{Service: core, Log: log, IDs: uuidIDs{}, Issuer: jobcreds.New(harnessSecret),
		Verifier: &sigv4.Verifier{Clock: time.Now, Lookup: func(_ context.Context, id string) (string, string, error) {
			if id != harnessKeyID {
				return "", "", sigv4.ErrUnknownKey
			}
			return harnessSecret, "arn:aws:iam::" + harnessAcct + ":root", nil
		}},
		CloneURL: func(name string) string { return githost.CloneURL("http://sluice.test", name) },
		LogURL:   harnessLogURL, HasLog: harnessHasLog}
	return &harness{dir: dir, srv: srv, db: db, log: lb, signer: v4.NewSigner()}
}

// lookupWithCustom finds built-in action types and the engine's active registered (custom
// and partner) ones, as node's lookup does.
func lookupWithCustom(eng *engine.Engine) func(sluice.ActionTypeID) (*sluice.ActionType, bool) {
	return func(id sluice.ActionTypeID) (*sluice.ActionType, bool) {
		if t, ok := catalog.Lookup(id); ok {
			return &t, true
		}
		if !engine.Registered(id) {
			return nil, false
		}
		t, err := eng.CustomActionType(context.Background(), id)
		return t, err == nil
	}
}

func harnessLogURL(pipeline, id string) string { return LogURL("http://sluice.test", pipeline, id) }

// harnessHasLog says which runs have a log Sluice keeps, as node says it of the types
// its workers run: here every type but the manual approval.
func harnessHasLog(t sluice.ActionTypeID) bool { return t.Category != sluice.CategoryApproval }

// seed creates the hosted repository and the fixture pipeline.
func (h *harness) seed(tb testing.TB) {
	tb.Helper()
	h.ok(tb, codecommitTarget+"CreateRepository", `{"repositoryName":"`+fixtureRepo+`"}`)
	h.ok(tb, codebuildTarget+"CreateProject", projectBody(fixtureProject))
	h.seedPipeline(tb)
}

// restore brings back the fixture repository and pipeline when a call deleted them.
func (h *harness) restore(tb testing.TB) {
	tb.Helper()
	ctx := context.Background()
	if _, err := h.db.GetRepository(ctx, fixtureRepo); sluice.IsCode(err, sluice.ENotFound) {
		h.ok(tb, codecommitTarget+"CreateRepository", `{"repositoryName":"`+fixtureRepo+`"}`)
	}
	if _, err := h.db.GetProject(ctx, fixtureProject); sluice.IsCode(err, sluice.ENotFound) {
		h.ok(tb, codebuildTarget+"CreateProject", projectBody(fixtureProject))
	}
	if _, err := h.db.GetPipeline(ctx, fixturePipeline, 0); sluice.IsCode(err, sluice.ENotFound) {
		h.seedPipeline(tb)
	}
	if h.job != "" {
		h.restoreJob(tb)
	}
}

// seedPipeline creates the fixture pipeline and runs its source action, so its execution
// waits at the approval.
func (h *harness) seedPipeline(tb testing.TB) {
	tb.Helper()
	h.ok(tb, pipelineTarget+"CreatePipeline", fixtureBody(fixturePipeline))
	ctx := context.Background()
	jobs, err := h.db.ClaimJobs(ctx, sluice.ClaimParams{Worker: "harness", Limit: 1000, Now: time.Now().UTC(),
		LeaseFor: time.Hour, Acknowledge: true})
	require.NoError(tb, err)
	for _, j := range jobs {
		if j.PipelineName != fixturePipeline {
			continue
		}
		require.NoError(tb, h.srv.Service.Engine.JobResult(ctx, sluice.JobResult{JobID: j.ID, Nonce: j.Nonce, Success: true,
			Revision: &sluice.Revision{RevisionID: "0123456789abcdef0123456789abcdef01234567", Created: time.Now().UTC()}}))
	}
	st, err := h.db.PipelineState(ctx, fixturePipeline)
	require.NoError(tb, err)
	gate := st.LatestActionRuns["Approve/Gate"]
	require.NotNil(tb, gate, "the approval has not started")
	require.NotEmpty(tb, gate.Token)
	h.exec, h.token = gate.ExecutionID, gate.Token
}

func (h *harness) ok(tb testing.TB, target, body string) {
	tb.Helper()
	r := h.call(tb, target, []byte(body))
	require.Equal(tb, http.StatusOK, r.status, "%s: %s", target, r.body)
}

// projectBody is a CreateProject body with the required members and a few others.
func projectBody(name string) string {
	return `{"name":"` + name + `","description":"builds it","source":{"type":"CODEPIPELINE","buildspec":"ci/buildspec.yml"},
"artifacts":{"type":"CODEPIPELINE"},"serviceRole":"arn:aws:iam::111111111111:role/cb","timeoutInMinutes":20,
"environment":{"type":"LINUX_CONTAINER","image":"aws/codebuild/standard:7.0","computeType":"BUILD_GENERAL1_SMALL",
 "environmentVariables":[{"name":"STAGE","value":"test","type":"PLAINTEXT"}]},
"vpcConfig":{"vpcId":"vpc-1"},"tags":[{"key":"team","value":"ci"}]}`
}

// fixtureBody is a CreatePipeline body: CodeCommit source, manual approval, Commands build.
func fixtureBody(name string) string {
	return `{"pipeline":{"name":"` + name + `","roleArn":"arn:aws:iam::111111111111:role/p","pipelineType":"V2",
"artifactStore":{"type":"S3","location":"sluice-artifacts"},
"stages":[
 {"name":"Source","actions":[{"name":"Source","actionTypeId":{"category":"Source","owner":"AWS","provider":"CodeCommit","version":"1"},
  "configuration":{"RepositoryName":"` + fixtureRepo + `","BranchName":"main","PollForSourceChanges":"false"},"outputArtifacts":[{"name":"Code"}]}]},
 {"name":"Approve","actions":[{"name":"Gate","actionTypeId":{"category":"Approval","owner":"AWS","provider":"Manual","version":"1"}}]},
 {"name":"Build","actions":[{"name":"Run","actionTypeId":{"category":"Compute","owner":"AWS","provider":"Commands","version":"1"},
  "inputArtifacts":[{"name":"Code"}],"commands":["true"]}]}]}}`
}

// response is what ServeHTTP wrote.
type response struct {
	status int
	header http.Header
	body   []byte
	reqID  string
}

// errorBody is an AWS JSON 1.1 error.
type errorBody struct {
	Type    string `json:"__type"`
	Message string `json:"message"`
}

// call signs a request as the AWS SDK does and serves it.
func (h *harness) call(tb testing.TB, target string, body []byte) *response {
	tb.Helper()
	req := httptest.NewRequest(http.MethodPost, "http://sluice.test/", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	if target != "" {
		req.Header.Set("X-Amz-Target", target)
	}
	h.sign(tb, req, body)
	return h.serve(req)
}

func (h *harness) sign(tb testing.TB, req *http.Request, body []byte) {
	tb.Helper()
	sum := sha256.Sum256(body)
	service := "codepipeline"
	if strings.HasPrefix(req.Header.Get("X-Amz-Target"), codecommitTarget) {
		service = "codecommit"
	}
	creds := aws.Credentials{AccessKeyID: harnessKeyID, SecretAccessKey: harnessSecret}
	require.NoError(tb, h.signer.SignHTTP(context.Background(), creds, req, hex.EncodeToString(sum[:]), service, harnessRegion, time.Now()))
}

func (h *harness) serve(req *http.Request) *response {
	rec := httptest.NewRecorder()
	h.srv.ServeHTTP(rec, req)
	return &response{status: rec.Code, header: rec.Header(), body: rec.Body.Bytes(), reqID: rec.Header().Get("x-amzn-RequestId")}
}

// apiError decodes an error response, failing unless it is one.
func (r *response) apiError(tb testing.TB) errorBody {
	tb.Helper()
	var e errorBody
	require.NoError(tb, json.Unmarshal(r.body, &e), "error body is not JSON: %q", r.body)
	require.NotEmpty(tb, e.Type, "error without __type: %s", r.body)
	require.NotEmpty(tb, e.Message, "error without message: %s", r.body)
	require.Equal(tb, e.Type, r.header.Get("X-Amzn-ErrorType"))
	return e
}

// requireError checks that r is the exception name (HTTP 400) with a message containing
// every one of parts.
func (r *response) requireError(tb testing.TB, name string, parts ...string) {
	tb.Helper()
	require.Equal(tb, http.StatusBadRequest, r.status, "body: %s", r.body)
	e := r.apiError(tb)
	require.Equal(tb, name, e.Type, "message: %s", e.Message)
	for _, p := range parts {
		require.Contains(tb, e.Message, p)
	}
}
