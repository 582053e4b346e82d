package node_test

import (
	"archive/zip"
	"bytes"
	"io"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"github.com/stretchr/testify/require"

	"sluice/api"
	"sluice/config"
)

// customBuilder is a custom Build action type with a queryable ProjectName, as the Jenkins
// plugin registers them.
func customBuilder(c *conformance, t *testing.T, provider string) *types.ActionTypeId {
	t.Helper()
	out, err := c.CP.CreateCustomActionType(c.ctx, &codepipeline.CreateCustomActionTypeInput{
		Category: types.ActionCategoryBuild, Provider: aws.String(provider), Version: aws.String("1"),
		Settings: &types.ActionTypeSettings{ExecutionUrlTemplate: aws.String("https://ci.example.com/job/{Config:ProjectName}/{ExternalExecutionId}/")},
		ConfigurationProperties: []types.ActionConfigurationProperty{
			{Name: aws.String("ProjectName"), Required: true, Key: true, Queryable: true},
			{Name: aws.String("Token"), Required: false, Key: false, Secret: true},
		},
		InputArtifactDetails:  &types.ArtifactDetails{MinimumCount: 0, MaximumCount: 1},
		OutputArtifactDetails: &types.ArtifactDetails{MinimumCount: 0, MaximumCount: 1},
	})
	require.NoError(t, err)
	require.Equal(t, types.ActionOwnerCustom, out.ActionType.Id.Owner)
	return out.ActionType.Id
}

// waitPoll long-polls (a Sluice extension header) so the worker starts as soon as a job is queued.
var waitPoll = codepipeline.WithAPIOptions(smithyhttp.AddHeaderValue(api.PollWaitHeader, "20"))

// pollOne polls until a job for project arrives.
func (c *conformance) pollOne(t *testing.T, id *types.ActionTypeId, project string) types.Job {
	t.Helper()
	for range 10 {
		out, err := c.CP.PollForJobs(c.ctx, &codepipeline.PollForJobsInput{ActionTypeId: id, MaxBatchSize: aws.Int32(1),
			QueryParam: map[string]string{"ProjectName": project}}, waitPoll)
		require.NoError(t, err)
		if len(out.Jobs) == 1 {
			return out.Jobs[0]
		}
	}
	t.Fatal("no job arrived")
	return types.Job{}
}

// artifactClient is the S3 client a job worker builds from the job's artifact credentials.
func artifactClient(url string, cr *types.AWSSessionCredentials) *s3.Client {
	return s3.New(s3.Options{Region: "us-east-1", BaseEndpoint: aws.String(url + "/s3"), UsePathStyle: true,
		Credentials: credentials.NewStaticCredentialsProvider(*cr.AccessKeyId, *cr.SecretAccessKey, *cr.SessionToken)})
}

func zipOf(t *testing.T, files map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, content := range files {
		w, err := zw.Create(name)
		require.NoError(t, err)
		_, err = io.WriteString(w, content)
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

func unzipFile(t *testing.T, data []byte, name string) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	require.NoError(t, err)
	f, err := zr.Open(name)
	require.NoError(t, err)
	defer f.Close()
	b, err := io.ReadAll(f)
	require.NoError(t, err)
	return string(b)
}

// TestCustomJobWorker runs a custom Build action with a job worker written on the official
// SDK: poll, acknowledge, fetch the input artifact, continue once, store the output
// artifact and finish with output variables that a later action reads.
func TestCustomJobWorker(t *testing.T) {
	t.Parallel()
	c := setupConformance(t)
	id := customBuilder(c, t, "MyCI")
	build := types.ActionDeclaration{Name: aws.String("Build"), ActionTypeId: id, Namespace: aws.String("BuildVars"),
		Configuration:   map[string]string{"ProjectName": "app", "Token": "s3cr3t-token"},
		InputArtifacts:  []types.InputArtifact{{Name: aws.String("Code")}},
		OutputArtifacts: []types.OutputArtifact{{Name: aws.String("Built")}}}
	check := types.ActionDeclaration{Name: aws.String("Check"),
		ActionTypeId:   &types.ActionTypeId{Category: types.ActionCategoryCompute, Owner: types.ActionOwnerAws, Provider: aws.String("Commands"), Version: aws.String("1")},
		InputArtifacts: []types.InputArtifact{{Name: aws.String("Built")}},
		Commands:       []string{`test "$(cat version.txt)" = 1.2.3`, `test "#{BuildVars.Version}" = 1.2.3`}}
	exec := c.Create(t, pipeline("custom", stage("Build", build), stage("Check", check)))

	job := c.pollOne(t, id, "app")
	data := job.Data
	require.Equal(t, "app", data.ActionConfiguration.Configuration["ProjectName"])
	require.Equal(t, "s3cr3t-token", data.ActionConfiguration.Configuration["Token"], "job workers see secret properties")
	require.Equal(t, "custom", *data.PipelineContext.PipelineName)
	require.Equal(t, exec, *data.PipelineContext.PipelineExecutionId)
	require.Nil(t, data.ContinuationToken)
	_, err := c.CP.AcknowledgeJob(c.ctx, &codepipeline.AcknowledgeJobInput{JobId: job.Id, Nonce: aws.String("stale")})
	requireAPIError(t, err, "InvalidNonceException", *job.Id)
	ack, err := c.CP.AcknowledgeJob(c.ctx, &codepipeline.AcknowledgeJobInput{JobId: job.Id, Nonce: job.Nonce})
	require.NoError(t, err)
	require.Equal(t, types.JobStatusInProgress, ack.Status)

	// The input artifact is the source: fetched with the job's own credentials.
	s3c := artifactClient(c.URL, data.ArtifactCredentials)
	in := data.InputArtifacts[0].Location.S3Location
	obj, err := s3c.GetObject(c.ctx, &s3.GetObjectInput{Bucket: in.BucketName, Key: in.ObjectKey})
	require.NoError(t, err)
	code, err := io.ReadAll(obj.Body)
	require.NoError(t, err)
	require.Equal(t, "conformance\n", unzipFile(t, code, "README"))
	head, err := s3c.HeadObject(c.ctx, &s3.HeadObjectInput{Bucket: in.BucketName, Key: in.ObjectKey})
	require.NoError(t, err)
	require.Equal(t, int64(len(code)), aws.ToInt64(head.ContentLength), "downloaders size their ranges by HEAD")
	part, err := s3c.GetObject(c.ctx, &s3.GetObjectInput{Bucket: in.BucketName, Key: in.ObjectKey, Range: aws.String("bytes=2-5")})
	require.NoError(t, err)
	partBytes, err := io.ReadAll(part.Body)
	require.NoError(t, err)
	require.Equal(t, code[2:6], partBytes)
	out := data.OutputArtifacts[0].Location.S3Location
	_, err = s3c.PutObject(c.ctx, &s3.PutObjectInput{Bucket: in.BucketName, Key: in.ObjectKey, Body: bytes.NewReader([]byte("x"))})
	require.ErrorContains(t, err, "AccessDenied", "inputs are read-only")

	// A continuation keeps the action in progress and queues a new job with the token.
	_, err = c.CP.PutJobSuccessResult(c.ctx, &codepipeline.PutJobSuccessResultInput{JobId: job.Id, ContinuationToken: aws.String("step-1"),
		ExecutionDetails: &types.ExecutionDetails{PercentComplete: aws.Int32(50), Summary: aws.String("halfway"), ExternalExecutionId: aws.String("42")}})
	require.NoError(t, err)
	_, err = c.CP.PutJobSuccessResult(c.ctx, &codepipeline.PutJobSuccessResultInput{JobId: job.Id})
	requireAPIError(t, err, "InvalidJobStateException", *job.Id)
	_, err = s3c.GetObject(c.ctx, &s3.GetObjectInput{Bucket: in.BucketName, Key: in.ObjectKey})
	require.ErrorContains(t, err, "403", "credentials die with their job")
	require.Equal(t, types.ActionExecutionStatusInProgress, c.ActionStatus(t, "custom", "Build", "Build"))

	next := c.pollOne(t, id, "app")
	require.NotEqual(t, *job.Id, *next.Id)
	require.Equal(t, "step-1", aws.ToString(next.Data.ContinuationToken))
	_, err = c.CP.AcknowledgeJob(c.ctx, &codepipeline.AcknowledgeJobInput{JobId: next.Id, Nonce: next.Nonce})
	require.NoError(t, err)
	details, err := c.CP.GetJobDetails(c.ctx, &codepipeline.GetJobDetailsInput{JobId: next.Id})
	require.NoError(t, err)
	s3c = artifactClient(c.URL, details.JobDetails.Data.ArtifactCredentials)
	_, err = s3c.PutObject(c.ctx, &s3.PutObjectInput{Bucket: out.BucketName, Key: out.ObjectKey,
		Body: bytes.NewReader(zipOf(t, map[string]string{"version.txt": "1.2.3"}))})
	require.NoError(t, err)
	_, err = c.CP.PutJobSuccessResult(c.ctx, &codepipeline.PutJobSuccessResultInput{JobId: next.Id, ContinuationToken: aws.String("x"),
		OutputVariables: map[string]string{"Version": "1.2.3"}})
	requireAPIError(t, err, "ValidationException", "outputVariables")
	_, err = c.CP.PutJobSuccessResult(c.ctx, &codepipeline.PutJobSuccessResultInput{JobId: next.Id,
		ExecutionDetails: &types.ExecutionDetails{Summary: aws.String("built 1.2.3"), ExternalExecutionId: aws.String("42")},
		OutputVariables:  map[string]string{"Version": "1.2.3"}})
	require.NoError(t, err)
	c.WaitStatus(t, "custom", exec, types.PipelineExecutionStatusSucceeded)

	for _, r := range c.ActionRuns(t, "custom", exec) {
		if aws.ToString(r.ActionName) != "Build" {
			continue
		}
		res := r.Output.ExecutionResult
		require.Equal(t, "https://ci.example.com/job/app/42/", aws.ToString(res.ExternalExecutionUrl))
		require.Equal(t, "built 1.2.3", aws.ToString(res.ExternalExecutionSummary))
		require.Equal(t, map[string]string{"Version": "1.2.3"}, r.Output.OutputVariables)
		require.Equal(t, "****", r.Input.Configuration["Token"], "secret properties stay masked outside the job")
	}
}

// TestCustomActionTypeErrors checks the job-worker operations' refusals.
func TestCustomActionTypeErrors(t *testing.T) {
	t.Parallel()
	c := setupConformance(t)
	id := customBuilder(c, t, "Refusals")
	aws1 := &types.ActionTypeId{Category: types.ActionCategoryBuild, Owner: types.ActionOwnerAws, Provider: aws.String("CodeBuild"), Version: aws.String("1")}
	_, err := c.CP.PollForJobs(c.ctx, &codepipeline.PollForJobsInput{ActionTypeId: aws1})
	requireAPIError(t, err, "ValidationException", "owner 'AWS'")
	_, err = c.CP.PollForJobs(c.ctx, &codepipeline.PollForJobsInput{ActionTypeId: id, QueryParam: map[string]string{"Token": "x"}})
	requireAPIError(t, err, "ValidationException", "Token")
	_, err = c.CP.GetJobDetails(c.ctx, &codepipeline.GetJobDetailsInput{JobId: aws.String("00000000-0000-0000-0000-000000000000")})
	requireAPIError(t, err, "JobNotFoundException", "00000000-0000-0000-0000-000000000000")

	// The same definition again is the same type; another definition needs another version.
	again, err := c.CP.CreateCustomActionType(c.ctx, &codepipeline.CreateCustomActionTypeInput{Category: types.ActionCategoryBuild,
		Provider: aws.String("Refusals"), Version: aws.String("1"),
		InputArtifactDetails: &types.ArtifactDetails{MaximumCount: 1}, OutputArtifactDetails: &types.ArtifactDetails{MaximumCount: 1}})
	requireAPIError(t, err, "ValidationException", "new version")
	require.Nil(t, again)
	_, err = c.CP.CreateCustomActionType(c.ctx, &codepipeline.CreateCustomActionTypeInput{Category: types.ActionCategoryBuild,
		Provider: aws.String("Bad"), Version: aws.String("1"),
		ConfigurationProperties: []types.ActionConfigurationProperty{{Name: aws.String("P"), Queryable: true, Secret: true, Required: true}},
		InputArtifactDetails:    &types.ArtifactDetails{MaximumCount: 1}, OutputArtifactDetails: &types.ArtifactDetails{MaximumCount: 1}})
	requireAPIError(t, err, "ValidationException", "queryable")

	types1, err := c.CP.ListActionTypes(c.ctx, &codepipeline.ListActionTypesInput{ActionOwnerFilter: types.ActionOwnerCustom})
	require.NoError(t, err)
	require.Len(t, types1.ActionTypes, 1)
	require.Equal(t, "Refusals", *types1.ActionTypes[0].Id.Provider)

	_, err = c.CP.DeleteCustomActionType(c.ctx, &codepipeline.DeleteCustomActionTypeInput{Category: types.ActionCategoryBuild, Provider: aws.String("Refusals"), Version: aws.String("1")})
	require.NoError(t, err)
	_, err = c.CP.PollForJobs(c.ctx, &codepipeline.PollForJobsInput{ActionTypeId: id})
	requireAPIError(t, err, "ActionTypeNotFoundException", "Refusals")
	_, err = c.CP.CreatePipeline(c.ctx, &codepipeline.CreatePipelineInput{Pipeline: pipeline("uses-deleted", stage("Build",
		types.ActionDeclaration{Name: aws.String("Build"), ActionTypeId: id, Configuration: map[string]string{"ProjectName": "app"},
			InputArtifacts: []types.InputArtifact{{Name: aws.String("Code")}}}))})
	require.Error(t, err, "a deleted type cannot be used")
}

// TestUnacknowledgedJobIsReoffered polls a job and never acknowledges it, as a worker that
// died right after polling would: once the lease runs out the job is offered again with a
// new nonce, and the first poller's nonce no longer acknowledges it.
func TestUnacknowledgedJobIsReoffered(t *testing.T) {
	t.Parallel()
	c := setupConformanceWith(t, func(cfg *config.Server) { cfg.Lease = 3 * time.Second })
	id := customBuilder(c, t, "Reoffer")
	build := types.ActionDeclaration{Name: aws.String("Build"), ActionTypeId: id, Configuration: map[string]string{"ProjectName": "app"},
		InputArtifacts: []types.InputArtifact{{Name: aws.String("Code")}}}
	exec := c.Create(t, pipeline("reoffer", stage("Build", build)))

	first := c.pollOne(t, id, "app")
	again := c.pollOne(t, id, "app") // long-polls until the rescuer re-queues the job
	require.Equal(t, *first.Id, *again.Id)
	require.NotEqual(t, *first.Nonce, *again.Nonce)
	_, err := c.CP.AcknowledgeJob(c.ctx, &codepipeline.AcknowledgeJobInput{JobId: first.Id, Nonce: first.Nonce})
	requireAPIError(t, err, "InvalidNonceException", *first.Id)
	_, err = c.CP.AcknowledgeJob(c.ctx, &codepipeline.AcknowledgeJobInput{JobId: again.Id, Nonce: again.Nonce})
	require.NoError(t, err)
	_, err = c.CP.PutJobSuccessResult(c.ctx, &codepipeline.PutJobSuccessResultInput{JobId: again.Id})
	require.NoError(t, err)
	c.WaitStatus(t, "reoffer", exec, types.PipelineExecutionStatusSucceeded)
}
