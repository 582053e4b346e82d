package node_test

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/stretchr/testify/require"

	"sluice/artifact/zipfile"
)

// jenkinsType creates the custom action type of examples/jenkins-action-type.json, the one
// docs/jenkins.md registers for Jenkins.
func jenkinsType(c *conformance, t *testing.T) *types.ActionTypeId {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "examples", "jenkins-action-type.json"))
	require.NoError(t, err)
	var in codepipeline.CreateCustomActionTypeInput // the SDK's field names match the wire's, ignoring case
	require.NoError(t, json.Unmarshal(raw, &in))
	out, err := c.CP.CreateCustomActionType(c.ctx, &in)
	require.NoError(t, err)
	return out.ActionType.Id
}

// jenkinsProject stands in for a Jenkins job and the AWS CodePipeline plugin that feeds it:
// it polls with its name as the ProjectName query (as the plugin's SCM poll does),
// acknowledges, unzips the input artifact into a fresh workspace, runs the job's shell
// step there with Jenkins's BUILD_NUMBER and JOB_NAME, zips the workspace's dist/ (the
// publisher's output location) to the output artifact and reports the build number as
// the external execution id: PutJobSuccessResult with summary "Finished", or
// PutJobFailureResult "Build failed", as the plugin's PublisherTools does.
type jenkinsProject struct {
	name  string
	shell string // the job's "Execute shell" build step
	last  int    // the number of the job's last build
}

// build takes one job of this project and runs it; it returns the job.
func (p *jenkinsProject) build(c *conformance, t *testing.T, id *types.ActionTypeId) types.Job {
	t.Helper()
	job := c.pollOne(t, id, p.name)
	require.Equal(t, p.name, job.Data.ActionConfiguration.Configuration["ProjectName"], "a job went to another project's poller")
	_, err := c.CP.AcknowledgeJob(c.ctx, &codepipeline.AcknowledgeJobInput{JobId: job.Id, Nonce: job.Nonce})
	require.NoError(t, err)
	p.last++
	number := strconv.Itoa(p.last)

	s3c := artifactClient(c.URL, job.Data.ArtifactCredentials)
	workspace := t.TempDir()
	for _, in := range job.Data.InputArtifacts {
		obj, err := s3c.GetObject(c.ctx, &s3.GetObjectInput{Bucket: in.Location.S3Location.BucketName, Key: in.Location.S3Location.ObjectKey})
		require.NoError(t, err)
		data, err := io.ReadAll(obj.Body)
		require.NoError(t, err)
		require.NoError(t, zipfile.Extract(bytes.NewReader(data), int64(len(data)), workspace))
	}
	step := filepath.Join(t.TempDir(), "build.sh")
	require.NoError(t, os.WriteFile(step, []byte(p.shell), 0o755))
	cmd := exec.Command("sh", "-e", step)
	cmd.Dir = workspace
	cmd.Env = append(os.Environ(), "BUILD_NUMBER="+number, "JOB_NAME="+p.name, "WORKSPACE="+workspace)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Logf("build %s #%s failed: %v\n%s", p.name, number, err, out)
		_, err = c.CP.PutJobFailureResult(c.ctx, &codepipeline.PutJobFailureResultInput{JobId: job.Id,
			FailureDetails: &types.FailureDetails{Type: types.FailureTypeJobFailed, Message: aws.String("Build failed"), ExternalExecutionId: aws.String(number)}})
		require.NoError(t, err)
		return job
	}
	for _, out := range job.Data.OutputArtifacts {
		var zipped bytes.Buffer
		_, err := zipfile.WriteDir(&zipped, filepath.Join(workspace, "dist"), nil)
		require.NoError(t, err)
		_, err = s3c.PutObject(c.ctx, &s3.PutObjectInput{Bucket: out.Location.S3Location.BucketName, Key: out.Location.S3Location.ObjectKey,
			Body: bytes.NewReader(zipped.Bytes())})
		require.NoError(t, err)
	}
	_, err = c.CP.PutJobSuccessResult(c.ctx, &codepipeline.PutJobSuccessResultInput{JobId: job.Id,
		ExecutionDetails: &types.ExecutionDetails{ExternalExecutionId: aws.String(number), Summary: aws.String("Finished")}})
	require.NoError(t, err)
	return job
}

// jenkinsAction is a Build action of the Jenkins type on the source artifact.
func jenkinsAction(name, project, output string, id *types.ActionTypeId) types.ActionDeclaration {
	a := types.ActionDeclaration{Name: aws.String(name), ActionTypeId: id, Configuration: map[string]string{"ProjectName": project},
		InputArtifacts: []types.InputArtifact{{Name: aws.String("Code")}}}
	if output != "" {
		a.OutputArtifacts = []types.OutputArtifact{{Name: aws.String(output)}}
	}
	return a
}

// TestJenkinsBuildAction runs two Jenkins jobs of one custom action type side by side, each
// taken by the poller of its own ProjectName, whose outputs a later action checks; then a
// Jenkins build that fails.
func TestJenkinsBuildAction(t *testing.T) {
	t.Parallel()
	c := setupConformance(t)
	id := jenkinsType(c, t)
	dist := `mkdir -p dist; printf '%s #%s: %s' "$JOB_NAME" "$BUILD_NUMBER" "$(cat README)" > dist/result.txt`
	web := &jenkinsProject{name: "web", shell: dist, last: 41}
	api := &jenkinsProject{name: "api", shell: dist, last: 6}
	check := types.ActionDeclaration{Name: aws.String("Check"),
		ActionTypeId:   &types.ActionTypeId{Category: types.ActionCategoryCompute, Owner: types.ActionOwnerAws, Provider: aws.String("Commands"), Version: aws.String("1")},
		InputArtifacts: []types.InputArtifact{{Name: aws.String("WebBuilt")}, {Name: aws.String("ApiBuilt")}},
		Commands: []string{`test "$(cat result.txt)" = "web #42: conformance"`,
			`test "$(cat "$CODEPIPELINE_INPUT_ApiBuilt/result.txt")" = "api #7: conformance"`}}
	execID := c.Create(t, pipeline("jenkins", stage("Build", jenkinsAction("Web", "web", "WebBuilt", id), jenkinsAction("Api", "api", "ApiBuilt", id)),
		stage("Check", check)))

	// Both jobs are queued, the web one first; each poller gets its own.
	c.WaitAction(t, "jenkins", "Build", "Web", types.ActionExecutionStatusInProgress)
	none, err := c.CP.PollForJobs(c.ctx, &codepipeline.PollForJobsInput{ActionTypeId: id, QueryParam: map[string]string{"ProjectName": "docs"}})
	require.NoError(t, err)
	require.Empty(t, none.Jobs, "no job is for the docs project")
	require.Equal(t, "Api", aws.ToString(api.build(c, t, id).Data.PipelineContext.Action.Name))
	require.Equal(t, "Web", aws.ToString(web.build(c, t, id).Data.PipelineContext.Action.Name))
	c.WaitStatus(t, "jenkins", execID, types.PipelineExecutionStatusSucceeded)

	want := map[string]string{"Web": "https://jenkins.example.com/job/web/42/", "Api": "https://jenkins.example.com/job/api/7/"}
	for _, r := range c.ActionRuns(t, "jenkins", execID) {
		url, ok := want[aws.ToString(r.ActionName)]
		if !ok {
			continue
		}
		require.Equal(t, url, aws.ToString(r.Output.ExecutionResult.ExternalExecutionUrl))
		require.Equal(t, "Finished", aws.ToString(r.Output.ExecutionResult.ExternalExecutionSummary))
		delete(want, aws.ToString(r.ActionName))
	}
	require.Empty(t, want, "ListActionExecutions lacks these runs")
	for _, a := range stageState(t, c.State(t, "jenkins"), "Build").ActionStates {
		project := map[string]string{"Web": "web", "Api": "api"}[aws.ToString(a.ActionName)]
		require.Equal(t, "https://jenkins.example.com/job/"+project+"/", aws.ToString(a.EntityUrl))
		require.Contains(t, aws.ToString(a.LatestExecution.ExternalExecutionUrl), "https://jenkins.example.com/job/"+project+"/")
	}

	broken := &jenkinsProject{name: "broken", shell: "echo 'error: cannot compile' >&2; exit 2"}
	failed := c.Create(t, pipeline("jenkins-broken", stage("Build", jenkinsAction("Compile", "broken", "", id))))
	broken.build(c, t, id)
	c.WaitStatus(t, "jenkins-broken", failed, types.PipelineExecutionStatusFailed)
	for _, r := range c.ActionRuns(t, "jenkins-broken", failed) {
		if aws.ToString(r.ActionName) != "Compile" {
			continue
		}
		require.Equal(t, types.ActionExecutionStatusFailed, r.Status)
		require.Equal(t, "https://jenkins.example.com/job/broken/1/", aws.ToString(r.Output.ExecutionResult.ExternalExecutionUrl))
		require.Equal(t, "Build failed", aws.ToString(r.Output.ExecutionResult.ErrorDetails.Message))
		return
	}
	t.Fatal("no run of Build/Compile")
}
