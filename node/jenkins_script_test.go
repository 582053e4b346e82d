package node_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"
	"github.com/stretchr/testify/require"

	"sluice/config"
)

// needTools skips the test unless every tool is installed; with SLUICE_REQUIRE_AWSCLI set
// (as on CI) a missing one fails it instead.
func needTools(t *testing.T, tools ...string) {
	t.Helper()
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("SLUICE_REQUIRE_AWSCLI") != "" {
				t.Fatalf("%s is required (SLUICE_REQUIRE_AWSCLI is set) but not installed", tool)
			}
			t.Skipf("%s is not installed", tool)
		}
	}
}

// fakeJenkins answers the part of Jenkins's remote API that examples/jenkins-worker.sh uses:
// buildWithParameters (basic auth with an API token, the input zip as file parameter
// SOURCE_ZIP), the queue item and build JSON, and the zip of a build's archived artifacts.
// Every build ends at once with the next result of results.
type fakeJenkins struct {
	*httptest.Server
	first    int      // the number of the first build
	results  []string // the result of each build from the first
	mu       sync.Mutex
	builds   int               // the last build number
	sources  map[string][]byte // each build's SOURCE_ZIP by number
	problems []string          // requests it refused, for the test to report
}

func newFakeJenkins(t *testing.T, first int, results ...string) *fakeJenkins {
	j := &fakeJenkins{first: first, results: results, builds: first - 1, sources: map[string][]byte{}}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /job/app-build/buildWithParameters", j.trigger)
	mux.HandleFunc("GET /queue/item/{n}/api/json", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, map[string]any{"executable": map[string]any{"number": json.Number(r.PathValue("n"))}})
	})
	mux.HandleFunc("GET /job/app-build/{n}/api/json", func(w http.ResponseWriter, r *http.Request) {
		var n int
		if _, err := fmt.Sscan(r.PathValue("n"), &n); err != nil || n < j.first || n >= j.first+len(j.results) {
			j.refuse(w, http.StatusNotFound, "no build %s", r.PathValue("n"))
			return
		}
		writeJSON(w, map[string]any{"number": n, "building": false, "result": j.results[n-j.first]})
	})
	mux.HandleFunc("GET /job/app-build/{n}/artifact/*zip*/archive.zip", j.archive)
	j.Server = httptest.NewServer(j.authenticated(mux))
	t.Cleanup(j.Close)
	return j
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

// authenticated refuses requests without the API token, as Jenkins does for builds.
func (j *fakeJenkins) authenticated(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if user, token, ok := r.BasicAuth(); !ok || user != "sluice" || token != "jenkins-api-token" {
			j.refuse(w, http.StatusUnauthorized, "%s %s without the API token", r.Method, r.URL.Path)
			return
		}
		h.ServeHTTP(w, r)
	})
}

func (j *fakeJenkins) refuse(w http.ResponseWriter, status int, format string, args ...any) {
	j.mu.Lock()
	j.problems = append(j.problems, fmt.Sprintf(format, args...))
	j.mu.Unlock()
	http.Error(w, fmt.Sprintf(format, args...), status)
}

// source is the SOURCE_ZIP build n got.
func (j *fakeJenkins) source(n string) []byte {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.sources[n]
}

// refused lists the requests it refused.
func (j *fakeJenkins) refused() []string {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.problems
}

// trigger queues a build and answers with its queue item, as Jenkins does (201 Created).
func (j *fakeJenkins) trigger(w http.ResponseWriter, r *http.Request) {
	f, _, err := r.FormFile("SOURCE_ZIP")
	if err != nil {
		j.refuse(w, http.StatusBadRequest, "buildWithParameters without file parameter SOURCE_ZIP: %v", err)
		return
	}
	defer f.Close()
	src, err := io.ReadAll(f)
	if err != nil {
		j.refuse(w, http.StatusBadRequest, "read SOURCE_ZIP: %v", err)
		return
	}
	j.mu.Lock()
	j.builds++
	n := fmt.Sprint(j.builds)
	j.sources[n] = src
	j.mu.Unlock()
	w.Header().Set("Location", j.URL+"/queue/item/"+n+"/")
	w.WriteHeader(http.StatusCreated)
}

// archive is Jenkins's zip of a build's archived artifacts (entries under archive/): here
// result.txt, which says what the build's SOURCE_ZIP held in README.
func (j *fakeJenkins) archive(w http.ResponseWriter, r *http.Request) {
	src := j.source(r.PathValue("n"))
	readme := "(no README)"
	if zr, err := zip.NewReader(bytes.NewReader(src), int64(len(src))); err == nil {
		if f, err := zr.Open("README"); err == nil {
			b, _ := io.ReadAll(f)
			readme = strings.TrimSpace(string(b))
		}
	}
	zw := zip.NewWriter(w)
	fw, _ := zw.Create("archive/result.txt")
	_, _ = io.WriteString(fw, "build "+r.PathValue("n")+" of "+readme)
	_ = zw.Close()
}

// TestJenkinsWorkerScript follows docs/jenkins.md with the real AWS CLI: it registers the
// Jenkins action type and creates the example pipeline from examples/, then runs
// examples/jenkins-worker.sh against a fake Jenkins, once for a build that succeeds and
// once for one that fails.
func TestJenkinsWorkerScript(t *testing.T) {
	t.Parallel()
	needTools(t, "aws", "curl", "jq", "bash")
	repo, err := filepath.Abs(filepath.Join(".."))
	require.NoError(t, err)
	script, err := os.ReadFile(filepath.Join(repo, "examples", "jenkins-worker.sh"))
	require.NoError(t, err)
	doc, err := os.ReadFile(filepath.Join(repo, "docs", "jenkins.md"))
	require.NoError(t, err)
	require.Contains(t, string(doc), "```bash\n"+string(script)+"```", "docs/jenkins.md shows examples/jenkins-worker.sh as it is")

	// The script acknowledges a job a few AWS CLI calls after polling it: on a loaded machine
	// those take seconds each, and a job not acknowledged within its lease is offered again
	// with a new nonce. Nothing here waits on a lease running out.
	b := setupWith(t, func(cfg *config.Server) { cfg.Lease = 2 * time.Minute })
	b.SeedRepo(t, "app")
	c := &conformance{bundle: b, ctx: context.Background()}
	jenkins := newFakeJenkins(t, 7, "SUCCESS", "FAILURE")
	env := append(os.Environ(), "AWS_ACCESS_KEY_ID="+testKeyID, "AWS_SECRET_ACCESS_KEY="+testSecret, "AWS_DEFAULT_REGION=us-east-1",
		"AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null", "AWS_PAGER=", "SLUICE_URL="+b.URL,
		"JENKINS_URL="+jenkins.URL, "JENKINS_USER=sluice", "JENKINS_API_TOKEN=jenkins-api-token", "POLL_INTERVAL=1")
	run := func(name string, args ...string) (string, error) {
		cmd := exec.Command(name, args...)
		cmd.Env, cmd.Dir = env, repo
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	for _, args := range [][]string{
		{"codepipeline", "create-custom-action-type", "--cli-input-json", "file://examples/jenkins-action-type.json"},
		{"codepipeline", "create-pipeline", "--cli-input-json", "file://examples/jenkins-pipeline.json"},
	} {
		out, err := run("aws", append(args, "--endpoint-url", b.URL)...)
		require.NoError(t, err, "aws %s: %s", strings.Join(args, " "), out)
	}
	first := *c.Executions(t, "jenkins-app")[0].PipelineExecutionId

	c.WaitAction(t, "jenkins-app", "Build", "Jenkins", types.ActionExecutionStatusInProgress)
	out, err := run("bash", "examples/jenkins-worker.sh", "app-build")
	require.NoError(t, err, "jenkins-worker.sh: %s", out)
	c.WaitStatus(t, "jenkins-app", first, types.PipelineExecutionStatusSucceeded)
	require.Empty(t, jenkins.refused())
	run7 := jenkinsRun(t, c, first)
	require.Equal(t, "https://jenkins.example.com/job/app-build/7/", aws.ToString(run7.Output.ExecutionResult.ExternalExecutionUrl))
	require.Equal(t, "Jenkins build 7 succeeded", aws.ToString(run7.Output.ExecutionResult.ExternalExecutionSummary))
	require.Equal(t, "conformance\n", unzipFile(t, jenkins.source("7"), "README"), "Jenkins got the source")
	built := c.artifact(t, run7.Output.OutputArtifacts[0].S3location)
	require.Equal(t, "build 7 of conformance", unzipFile(t, built, "archive/result.txt"))

	started, err := b.CP.StartPipelineExecution(c.ctx, &codepipeline.StartPipelineExecutionInput{Name: aws.String("jenkins-app")})
	require.NoError(t, err)
	c.WaitAction(t, "jenkins-app", "Build", "Jenkins", types.ActionExecutionStatusInProgress)
	out, err = run("bash", "examples/jenkins-worker.sh", "app-build")
	require.Error(t, err, "a failed build ends the worker with an error: %s", out)
	require.Contains(t, out, "Jenkins build 8 of app-build ended FAILURE")
	c.WaitStatus(t, "jenkins-app", *started.PipelineExecutionId, types.PipelineExecutionStatusFailed)
	run8 := jenkinsRun(t, c, *started.PipelineExecutionId)
	require.Equal(t, "https://jenkins.example.com/job/app-build/8/", aws.ToString(run8.Output.ExecutionResult.ExternalExecutionUrl))
	require.Equal(t, "Jenkins build 8 of app-build ended FAILURE", aws.ToString(run8.Output.ExecutionResult.ErrorDetails.Message))
}

// jenkinsRun is the Build/Jenkins run of one execution of the example pipeline.
func jenkinsRun(t *testing.T, c *conformance, exec string) types.ActionExecutionDetail {
	t.Helper()
	for _, r := range c.ActionRuns(t, "jenkins-app", exec) {
		if aws.ToString(r.ActionName) == "Jenkins" {
			return r
		}
	}
	t.Fatal("no run of Build/Jenkins")
	return types.ActionExecutionDetail{}
}

// artifact reads an artifact from the server's store where ListActionExecutions says it is.
func (c *conformance) artifact(t *testing.T, loc *types.S3Location) []byte {
	t.Helper()
	rc, err := c.Node.Artifacts.Open(c.ctx, aws.ToString(loc.Key))
	require.NoError(t, err)
	defer rc.Close()
	data, err := io.ReadAll(rc)
	require.NoError(t, err)
	return data
}
