package node_test

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"
	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/artifact/diskstore"
	"sluice/logclient"
	"sluice/runner"
)

// logs is a reader of the server's log endpoint signed with the test key.
func (c *conformance) logs() *logclient.Client {
	return &logclient.Client{BaseURL: c.URL, Credentials: credentials.NewStaticCredentialsProvider(testKeyID, testSecret, "")}
}

// actionRunID is the id of the newest run of one action of an execution.
func (c *conformance) actionRunID(t *testing.T, pipeline, exec, action string) string {
	t.Helper()
	for _, r := range c.ActionRuns(t, pipeline, exec) {
		if aws.ToString(r.ActionName) == action {
			return aws.ToString(r.ActionExecutionId)
		}
	}
	t.Fatalf("action %s has not run in %s", action, exec)
	return ""
}

// readLog reads a whole log from offset and returns it with the offset to resume at.
func (c *conformance) readLog(t *testing.T, pipeline, id string, offset int64) (string, int64) {
	t.Helper()
	log, err := c.logs().Open(c.ctx, logclient.ReadParams{Pipeline: pipeline, ActionExecutionID: id, Offset: offset})
	require.NoError(t, err)
	defer log.Close()
	text, err := io.ReadAll(log)
	require.NoError(t, err)
	end, _, ok := log.End()
	require.True(t, ok, "the response has no trailers")
	return string(text), end
}

// signedRequest signs a request to the server as the AWS SDKs sign theirs.
func signedRequest(t *testing.T, method, url, secret string, body []byte) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(string(body)))
	require.NoError(t, err)
	sum := sha256.Sum256(body)
	creds := aws.Credentials{AccessKeyID: testKeyID, SecretAccessKey: secret}
	require.NoError(t, v4.NewSigner().SignHTTP(context.Background(), creds, req, hex.EncodeToString(sum[:]), "codepipeline", "us-east-1", time.Now()))
	return req
}

// send sends req and returns the status and body.
func send(t *testing.T, req *http.Request) (int, string) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(body)
}

func TestActionLogs(t *testing.T) {
	t.Parallel()

	t.Run("FollowStreamsLinesAsTheyArePrinted", func(t *testing.T) {
		t.Parallel()
		c := setupConformance(t)
		g := newGate(t)
		exec := c.Create(t, pipeline("follow", stage("Build", cmdAction("Run", "echo first-line", g.Wait(), "echo second-line"))))
		c.WaitAction(t, "follow", "Build", "Run", types.ActionExecutionStatusInProgress)
		log, err := c.logs().Open(c.ctx, logclient.ReadParams{Pipeline: "follow",
			ActionExecutionID: c.actionRunID(t, "follow", exec, "Run"), Follow: true})
		require.NoError(t, err)
		defer log.Close()
		r := bufio.NewReader(log)
		readLine(t, r, "first-line") // printed while the action waits at the gate
		g.Open(t)
		readLine(t, r, "second-line")
		_, err = io.ReadAll(r) // ends when the action does
		require.NoError(t, err)
		_, status, ok := log.End()
		require.True(t, ok)
		require.Equal(t, "Succeeded", status)
		require.Equal(t, types.ActionExecutionStatusSucceeded, c.ActionStatus(t, "follow", "Build", "Run"))
	})

	t.Run("ShutdownEndsFollowers", func(t *testing.T) {
		t.Parallel()
		c := setupConformance(t)
		g := newGate(t)
		exec := c.Create(t, pipeline("follow", stage("Build", cmdAction("Run", "echo first-line", g.Wait()))))
		c.WaitAction(t, "follow", "Build", "Run", types.ActionExecutionStatusInProgress)
		log, err := c.logs().Open(c.ctx, logclient.ReadParams{Pipeline: "follow",
			ActionExecutionID: c.actionRunID(t, "follow", exec, "Run"), Follow: true})
		require.NoError(t, err)
		defer log.Close()
		r := bufio.NewReader(log)
		readLine(t, r, "first-line")
		c.Node.API.StopWaiting() // what Shutdown calls first
		_, err = io.ReadAll(r)
		require.NoError(t, err)
		_, status, ok := log.End()
		require.True(t, ok)
		require.Equal(t, "InProgress", status, "the stream ended before the action")
	})

	t.Run("ResumesAtAnOffset", func(t *testing.T) {
		t.Parallel()
		c := setupConformance(t)
		exec := c.Create(t, pipeline("resume", stage("Build", cmdAction("Run", "echo alpha", "echo omega"))))
		c.WaitAction(t, "resume", "Build", "Run", types.ActionExecutionStatusSucceeded)
		id := c.actionRunID(t, "resume", exec, "Run")
		all, end := c.readLog(t, "resume", id, 0)
		require.Contains(t, all, "alpha\n")
		require.True(t, strings.HasSuffix(all, "omega\n"), "log: %q", all)
		require.Equal(t, int64(len(all)), end)
		rest, next := c.readLog(t, "resume", id, end-int64(len("omega\n")))
		require.Equal(t, "omega\n", rest)
		require.Equal(t, end, next)
		rest, _ = c.readLog(t, "resume", id, end)
		require.Empty(t, rest)
	})

	t.Run("LinksInTheAPIServeTheLog", func(t *testing.T) {
		t.Parallel()
		c := setupConformance(t)
		exec := c.Create(t, pipeline("linked", stage("Build", cmdAction("Run", "echo linked-output"))))
		c.WaitAction(t, "linked", "Build", "Run", types.ActionExecutionStatusSucceeded)
		id := c.actionRunID(t, "linked", exec, "Run")
		want := c.URL + "/v1/logs/linked/" + id
		var link string
		for _, r := range c.ActionRuns(t, "linked", exec) {
			if aws.ToString(r.ActionName) == "Run" {
				link = aws.ToString(r.Output.ExecutionResult.ExternalExecutionUrl)
			}
		}
		require.Equal(t, want, link)
		for _, a := range stageState(t, c.State(t, "linked"), "Build").ActionStates {
			require.Equal(t, want, aws.ToString(a.LatestExecution.ExternalExecutionUrl))
		}
		status, body := send(t, signedRequest(t, http.MethodGet, link, testSecret, nil))
		require.Equal(t, http.StatusOK, status, body)
		require.Contains(t, body, "\nlinked-output\n")
	})

	t.Run("SecretsAreMasked", func(t *testing.T) {
		t.Parallel()
		c := setupConformance(t)
		g := newGate(t)
		exec := c.Create(t, pipeline("masked", stage("Build", cmdAction("Run", g.Wait()))))
		c.WaitAction(t, "masked", "Build", "Run", types.ActionExecutionStatusInProgress)
		id := c.actionRunID(t, "masked", exec, "Run")
		// A remote worker runs a job of this action run whose type has a secret property:
		// its runner masks the value, and its log sink sends the log to the server.
		res := remoteRunner(t, c.URL).Run(c.ctx, &sluice.Job{ID: "remote-job", ActionRunID: id, PipelineName: "masked",
			ActionType: secretType, Data: sluice.JobData{ActionTypeID: secretType, Configuration: map[string]string{"Token": "hunter2-s3cret"}}})
		require.True(t, res.Success, "result: %+v", res)
		g.Open(t)
		c.WaitAction(t, "masked", "Build", "Run", types.ActionExecutionStatusSucceeded)
		text, _ := c.readLog(t, "masked", id, 0)
		require.Contains(t, text, "token=****\n")
		require.NotContains(t, text, "hunter2")
	})

	t.Run("Refusals", func(t *testing.T) {
		t.Parallel()
		c := setupConformance(t)
		exec := c.Create(t, pipeline("done", stage("Build", cmdAction("Run", "true"))))
		c.WaitAction(t, "done", "Build", "Run", types.ActionExecutionStatusSucceeded)
		other := c.Create(t, pipeline("other", stage("Build", cmdAction("Run", "true"))))
		c.WaitAction(t, "other", "Build", "Run", types.ActionExecutionStatusSucceeded)
		id, otherID := c.actionRunID(t, "done", exec, "Run"), c.actionRunID(t, "other", other, "Run")
		url := c.URL + "/v1/logs/done/" + id

		unsigned, err := http.NewRequest(http.MethodGet, url, nil)
		require.NoError(t, err)
		status, body := send(t, unsigned)
		require.Equal(t, http.StatusForbidden, status)
		require.Contains(t, body, "MissingAuthenticationTokenException")
		status, body = send(t, signedRequest(t, http.MethodGet, url, "not-the-secret", nil))
		require.Equal(t, http.StatusForbidden, status)
		require.Contains(t, body, "signature")

		for path, msg := range map[string]string{
			"/v1/logs/nope/" + id:         "does not have a pipeline with name 'nope'",
			"/v1/logs/done/no-such-run":   "action execution 'no-such-run' of pipeline 'done' not found",
			"/v1/logs/done/" + otherID:    "action execution '" + otherID + "' of pipeline 'done' not found",
			"/v1/logs/other/" + id:        "action execution '" + id + "' of pipeline 'other' not found",
			"/v1/logs/done/" + id + "/x/": "",
		} {
			status, body := send(t, signedRequest(t, http.MethodGet, c.URL+path, testSecret, nil))
			require.Equal(t, http.StatusNotFound, status, "%s: %s", path, body)
			require.Contains(t, body, msg, path)
		}
		status, body = send(t, signedRequest(t, http.MethodGet, url+"?offset=-3", testSecret, nil))
		require.Equal(t, http.StatusBadRequest, status)
		require.Contains(t, body, "offset")

		status, body = send(t, signedRequest(t, http.MethodPost, url, testSecret, []byte("too late\n")))
		require.Equal(t, http.StatusConflict, status)
		require.Contains(t, body, "is Succeeded; only an InProgress action execution takes log output")
		text, _ := c.readLog(t, "done", id, 0)
		require.NotContains(t, text, "too late")
	})
}

// secretType is an action type a remote worker runs in the tests; Token is secret.
var secretType = sluice.ActionTypeID{Category: "Build", Owner: "Custom", Provider: "SecretEcho", Version: "1"}

// secretEcho logs its Token, as a careless build would.
type secretEcho struct{}

func (secretEcho) Types() []sluice.ActionType {
	return []sluice.ActionType{{ID: secretType, ConfigurationProperties: []sluice.ActionConfigurationProperty{{Name: "Token", Secret: true}}}}
}

func (secretEcho) Run(_ context.Context, rc *sluice.RunContext) (*sluice.Outcome, error) {
	_, _ = io.WriteString(rc.Log, "token="+rc.Job.Data.Configuration["Token"]+"\n")
	return &sluice.Outcome{Success: true}, nil
}

// remoteRunner is the runner of a remote worker that sends its logs to the server at url.
func remoteRunner(t *testing.T, url string) *runner.Runner {
	t.Helper()
	dir := t.TempDir()
	store, err := diskstore.New(filepath.Join(dir, "artifacts"))
	require.NoError(t, err)
	providers, err := runner.ProviderMap(secretEcho{})
	require.NoError(t, err)
	r := &runner.Runner{Artifacts: store, Providers: providers, WorkRoot: filepath.Join(dir, "work"),
		Logs: logclient.New(url, credentials.NewStaticCredentialsProvider(testKeyID, testSecret, ""), "us-east-1")}
	t.Cleanup(r.Wait) // before the directory goes: spares are made in the background
	return r
}

// TestActionLogsOfDotPipelines: "." and ".." are valid pipeline names; their log URLs must
// survive HTTP routing, which cleans such path segments away.
func TestActionLogsOfDotPipelines(t *testing.T) {
	t.Parallel()
	c := setupConformance(t)
	for _, name := range []string{".", ".."} {
		exec := c.Create(t, pipeline(name, stage("Run", cmdAction("Echo", "echo from-"+name+"-pipeline"))))
		c.WaitStatus(t, name, exec, types.PipelineExecutionStatusSucceeded)
		text, _ := c.readLog(t, name, c.actionRunID(t, name, exec, "Echo"), 0)
		require.Contains(t, text, "from-"+name+"-pipeline")
	}
}
