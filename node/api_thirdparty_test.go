package node_test

import (
	"encoding/json"
	"errors"
	"io"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/stretchr/testify/require"
)

// partnerClient is a registered partner type's client.
type partnerClient struct {
	ClientID    string `json:"clientId"`
	ClientToken string `json:"clientToken"`
}

// registerPartner registers a ThirdParty Test type "Probe" (what CodePipeline's service
// team provisions for a partner) and returns its id and client.
func registerPartner(c *conformance, t *testing.T) (*types.ActionTypeId, partnerClient) {
	t.Helper()
	var out partnerClient
	require.NoError(t, c.SignedCall(c.ctx, "SluicePartners_20261207.RegisterPartnerActionType", map[string]any{
		"category": "Test", "provider": "Probe", "version": "1",
		"settings": map[string]string{"executionUrlTemplate": "https://probe.example.com/{Config:Project}/runs/{ExternalExecutionId}"},
		"configurationProperties": []map[string]any{
			{"name": "Project", "required": true, "key": true, "secret": false},
			{"name": "ApiKey", "required": false, "key": false, "secret": true}},
		"inputArtifactDetails":  map[string]int{"minimumCount": 1, "maximumCount": 1},
		"outputArtifactDetails": map[string]int{"minimumCount": 0, "maximumCount": 0},
	}, &out))
	require.Regexp(t, `^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`, out.ClientID)
	require.NotEmpty(t, out.ClientToken)
	return &types.ActionTypeId{Category: types.ActionCategoryTest, Owner: types.ActionOwnerThirdParty,
		Provider: aws.String("Probe"), Version: aws.String("1")}, out
}

// pollPartner long-polls until a job of the partner type arrives.
func (c *conformance) pollPartner(t *testing.T, id *types.ActionTypeId) types.ThirdPartyJob {
	t.Helper()
	for range 10 {
		out, err := c.CP.PollForThirdPartyJobs(c.ctx, &codepipeline.PollForThirdPartyJobsInput{ActionTypeId: id, MaxBatchSize: aws.Int32(1)}, waitPoll)
		require.NoError(t, err)
		if len(out.Jobs) == 1 {
			return out.Jobs[0]
		}
	}
	t.Fatal("no partner job arrived")
	return types.ThirdPartyJob{}
}

// TestThirdPartyJobWorker runs a partner (ThirdParty) action with a partner job worker
// written on the official SDK, to success and then to failure, the clientToken checked on
// each call; one acknowledgement goes through the AWS CLI.
func TestThirdPartyJobWorker(t *testing.T) {
	t.Parallel()
	c := setupConformance(t)
	cli := awsCLI(t, c)
	id, client := registerPartner(c, t)
	probe := types.ActionDeclaration{Name: aws.String("Probe"), ActionTypeId: id,
		Configuration:  map[string]string{"Project": "app", "ApiKey": "s3cr3t"},
		InputArtifacts: []types.InputArtifact{{Name: aws.String("Code")}}}
	exec := c.Create(t, pipeline("partner", stage("Test", probe)))

	job := c.pollPartner(t, id)
	require.Equal(t, client.ClientID, aws.ToString(job.ClientId))
	_, err := c.CP.GetThirdPartyJobDetails(c.ctx, &codepipeline.GetThirdPartyJobDetailsInput{JobId: job.JobId, ClientToken: aws.String("wrong")})
	var badToken *types.InvalidClientTokenException
	require.True(t, errors.As(err, &badToken), "the SDK types the refusal: %v", err)
	details, err := c.CP.GetThirdPartyJobDetails(c.ctx, &codepipeline.GetThirdPartyJobDetailsInput{JobId: job.JobId, ClientToken: aws.String(client.ClientToken)})
	require.NoError(t, err)
	d := details.JobDetails
	require.Equal(t, *job.JobId, aws.ToString(d.Id))
	require.Equal(t, map[string]string{"Project": "app", "ApiKey": "s3cr3t"}, d.Data.ActionConfiguration.Configuration, "partners see secret properties")
	require.Equal(t, "partner", aws.ToString(d.Data.PipelineContext.PipelineName))
	require.Nil(t, d.Data.PipelineContext.PipelineArn, "not told to partners")
	require.Nil(t, d.Data.PipelineContext.PipelineExecutionId, "not told to partners")
	in := d.Data.InputArtifacts[0].Location.S3Location
	obj, err := artifactClient(c.URL, d.Data.ArtifactCredentials).GetObject(c.ctx, &s3.GetObjectInput{Bucket: in.BucketName, Key: in.ObjectKey})
	require.NoError(t, err)
	code, err := io.ReadAll(obj.Body)
	require.NoError(t, err)
	require.Equal(t, "conformance\n", unzipFile(t, code, "README"))

	out, err := cli("codepipeline", "acknowledge-third-party-job", "--job-id", *job.JobId, "--nonce", *d.Nonce, "--client-token", client.ClientToken)
	require.NoError(t, err, out)
	var ack struct{ Status string }
	require.NoError(t, json.Unmarshal([]byte(out), &ack), out)
	require.Equal(t, "InProgress", ack.Status)
	_, err = c.CP.PutThirdPartyJobSuccessResult(c.ctx, &codepipeline.PutThirdPartyJobSuccessResultInput{JobId: job.JobId, ClientToken: aws.String("wrong")})
	requireAPIError(t, err, "InvalidClientTokenException", "client token")
	_, err = c.CP.PutThirdPartyJobSuccessResult(c.ctx, &codepipeline.PutThirdPartyJobSuccessResultInput{JobId: job.JobId, ClientToken: aws.String(client.ClientToken),
		ExecutionDetails: &types.ExecutionDetails{Summary: aws.String("42 checks passed"), ExternalExecutionId: aws.String("run-7"), PercentComplete: aws.Int32(100)}})
	require.NoError(t, err)
	c.WaitStatus(t, "partner", exec, types.PipelineExecutionStatusSucceeded)
	for _, r := range c.ActionRuns(t, "partner", exec) {
		if aws.ToString(r.ActionName) == "Probe" {
			require.Equal(t, "https://probe.example.com/app/runs/run-7", aws.ToString(r.Output.ExecutionResult.ExternalExecutionUrl))
			require.Equal(t, "42 checks passed", aws.ToString(r.Output.ExecutionResult.ExternalExecutionSummary))
		}
	}
	_, err = c.CP.PutThirdPartyJobSuccessResult(c.ctx, &codepipeline.PutThirdPartyJobSuccessResultInput{JobId: job.JobId, ClientToken: aws.String(client.ClientToken)})
	var finished *types.InvalidJobStateException
	require.True(t, errors.As(err, &finished), "%v", err)

	started, err := c.CP.StartPipelineExecution(c.ctx, &codepipeline.StartPipelineExecutionInput{Name: aws.String("partner")})
	require.NoError(t, err)
	job = c.pollPartner(t, id)
	details, err = c.CP.GetThirdPartyJobDetails(c.ctx, &codepipeline.GetThirdPartyJobDetailsInput{JobId: job.JobId, ClientToken: aws.String(client.ClientToken)})
	require.NoError(t, err)
	_, err = c.CP.AcknowledgeThirdPartyJob(c.ctx, &codepipeline.AcknowledgeThirdPartyJobInput{JobId: job.JobId, Nonce: details.JobDetails.Nonce, ClientToken: aws.String(client.ClientToken)})
	require.NoError(t, err)
	_, err = c.CP.PutThirdPartyJobFailureResult(c.ctx, &codepipeline.PutThirdPartyJobFailureResultInput{JobId: job.JobId, ClientToken: aws.String(client.ClientToken),
		FailureDetails: &types.FailureDetails{Type: types.FailureTypeJobFailed, Message: aws.String("3 checks failed"), ExternalExecutionId: aws.String("run-8")}})
	require.NoError(t, err)
	c.WaitStatus(t, "partner", *started.PipelineExecutionId, types.PipelineExecutionStatusFailed)
	for _, r := range c.ActionRuns(t, "partner", *started.PipelineExecutionId) {
		if aws.ToString(r.ActionName) == "Probe" {
			require.Equal(t, types.ActionExecutionStatusFailed, r.Status)
			require.Equal(t, "3 checks failed", aws.ToString(r.Output.ExecutionResult.ExternalExecutionSummary))
		}
	}
}
