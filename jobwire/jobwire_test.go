package jobwire_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/jobcreds"
	"sluice/jobwire"
)

func job() *sluice.Job {
	return &sluice.Job{ID: "job-1", Nonce: "nonce-1", ActionRunID: "run-1", ExecutionID: "exec-1", PipelineName: "app",
		StageName: "Deploy", ActionName: "Notify",
		ActionType: sluice.ActionTypeID{Category: sluice.CategoryInvoke, Owner: sluice.OwnerAWS, Provider: "Lambda", Version: "1"},
		Data: sluice.JobData{Configuration: map[string]string{"FunctionName": "notify", "UserParameters": `{"env":"prod"}`},
			InputArtifacts:    []sluice.ArtifactRef{{Name: "Code", Key: "app/Code/k1", Revision: "abc123"}},
			OutputArtifacts:   []sluice.OutputArtifactRef{{ArtifactRef: sluice.ArtifactRef{Name: "Out", Key: "app/Out/k2"}}},
			ContinuationToken: "step-2", PipelineArn: "arn:aws:codepipeline:us-east-1:000000000000:app"}}
}

func maker() *jobwire.Maker {
	return &jobwire.Maker{Account: "000000000000", Issuer: jobcreds.New("root"),
		Locate: func(key string) (string, string) { return "bucket", "prefix/" + key }}
}

// TestLambdaEvent checks the event against the shape Lambda receives (SEMANTICS §9.4): no
// nonce, action type or pipeline context; credentials for the job's nonce.
func TestLambdaEvent(t *testing.T) {
	t.Parallel()
	b, err := json.Marshal(maker().LambdaEvent(job()))
	require.NoError(t, err)
	creds := jobcreds.New("root").For("job-1", "nonce-1")
	require.JSONEq(t, `{"CodePipeline.job": {"id": "job-1", "accountId": "000000000000", "data": {
		"actionConfiguration": {"configuration": {"FunctionName": "notify", "UserParameters": "{\"env\":\"prod\"}"}},
		"inputArtifacts": [{"name": "Code", "revision": "abc123", "location": {"type": "S3", "s3Location": {"bucketName": "bucket", "objectKey": "prefix/app/Code/k1"}}}],
		"outputArtifacts": [{"name": "Out", "location": {"type": "S3", "s3Location": {"bucketName": "bucket", "objectKey": "prefix/app/Out/k2"}}}],
		"artifactCredentials": {"accessKeyId": "`+creds.AccessKeyID+`", "secretAccessKey": "`+creds.SecretAccessKey+`", "sessionToken": "`+creds.SessionToken+`"},
		"continuationToken": "step-2"}}}`, string(b))
}

// TestJob checks the PollForJobs shape: the nonce on request, the action type and context.
func TestJob(t *testing.T) {
	t.Parallel()
	j := job()
	j.Data.Configuration, j.Data.InputArtifacts, j.Data.OutputArtifacts = nil, nil, nil
	out := maker().Job(j, true)
	require.Equal(t, "nonce-1", out.Nonce)
	require.Equal(t, j.ActionType, *out.Data.ActionTypeID)
	require.Equal(t, "Notify", out.Data.PipelineContext.Action.Name)
	require.Equal(t, "run-1", out.Data.PipelineContext.Action.ActionExecutionID)
	b, err := json.Marshal(out.Data)
	require.NoError(t, err)
	require.Contains(t, string(b), `"configuration":{}`, "an empty configuration is an object, not null")
	require.Contains(t, string(b), `"inputArtifacts":[]`)
	require.Empty(t, maker().Job(j, false).Nonce)
}
