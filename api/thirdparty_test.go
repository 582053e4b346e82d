package api

import (
	"context"
	"database/sql"
	"encoding/json"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/service"
)

// The harness's partner job: a registered ThirdParty type whose Test action in pipeline
// "partner" waits for a partner's job worker.
const (
	partnerPipeline = "partner"
	partnerBranch   = "partner"
	probeTypeJSON   = `{"category":"Test","owner":"ThirdParty","provider":"FuzzProbe","version":"1"}`
)

var probeTypeID = sluice.ActionTypeID{Category: sluice.CategoryTest, Owner: sluice.OwnerThirdParty, Provider: "FuzzProbe", Version: "1"}

// registerProbe registers the partner type and returns its client.
func (h *harness) registerProbe(tb testing.TB) *service.PartnerClient {
	tb.Helper()
	_, client, err := h.srv.Service.RegisterPartnerActionType(context.Background(), sluice.Caller{}, sluice.ActionType{
		ID: probeTypeID,
		Settings: &sluice.ActionTypeSettings{
			ExecutionURLTemplate: "https://probe.example.com/{Config:Project}/runs/{ExternalExecutionId}"},
		ConfigurationProperties: []sluice.ActionConfigurationProperty{
			{Name: "Project", Required: true, Key: true},
			{Name: "ApiKey", Secret: true}},
		InputArtifactDetails: sluice.ArtifactDetails{MinimumCount: 1, MaximumCount: 1},
	})
	require.NoError(tb, err)
	return client
}

// partnerPipelineBody is a CodeCommit source on partnerBranch, then Test/Probe of the
// partner type.
func partnerPipelineBody() string {
	return `{"pipeline":{"name":"` + partnerPipeline + `","roleArn":"arn:aws:iam::111111111111:role/p","pipelineType":"V2",
"artifactStore":{"type":"S3","location":"sluice-artifacts"},
"stages":[
 {"name":"Source","actions":[{"name":"Source","actionTypeId":{"category":"Source","owner":"AWS","provider":"CodeCommit","version":"1"},
  "configuration":{"RepositoryName":"` + fixtureRepo + `","BranchName":"` + partnerBranch + `","PollForSourceChanges":"false"},"outputArtifacts":[{"name":"Code"}]}]},
 {"name":"Test","actions":[{"name":"Probe","actionTypeId":` + probeTypeJSON + `,
  "configuration":{"Project":"app","ApiKey":"k3y"},"inputArtifacts":[{"name":"Code"}]}]}]}}`
}

// passPartnerSource reports the partner pipeline's queued source job succeeded.
func (h *harness) passPartnerSource(tb testing.TB) {
	tb.Helper()
	ctx := context.Background()
	jobs, err := h.db.ClaimJobs(ctx, sluice.ClaimParams{Worker: "harness", Limit: 10, Now: time.Now().UTC(), LeaseFor: time.Hour,
		Acknowledge: true, Match: map[string]string{"BranchName": partnerBranch}})
	require.NoError(tb, err)
	require.Len(tb, jobs, 1, "the partner pipeline's source job")
	require.NoError(tb, h.srv.Service.Engine.JobResult(ctx, sluice.JobResult{JobID: jobs[0].ID, Nonce: jobs[0].Nonce, Success: true,
		Revision: &sluice.Revision{RevisionID: "fedcba9876543210fedcba9876543210fedcba98", Created: time.Now().UTC()}}))
}

type polledPartnerJob struct {
	ClientID string `json:"clientId"`
	JobID    string `json:"jobId"`
}

// pollProbe polls the partner type's jobs.
func (h *harness) pollProbe(tb testing.TB) []polledPartnerJob {
	tb.Helper()
	r := h.call(tb, pipelineTarget+"PollForThirdPartyJobs", []byte(`{"actionTypeId":`+probeTypeJSON+`,"maxBatchSize":5}`))
	require.Equal(tb, http.StatusOK, r.status, "%s", r.body)
	var out struct{ Jobs []polledPartnerJob }
	require.NoError(tb, json.Unmarshal(r.body, &out))
	return out.Jobs
}

func (h *harness) probeRun(tb testing.TB) *sluice.ActionRun {
	tb.Helper()
	st, err := h.db.PipelineState(context.Background(), partnerPipeline)
	require.NoError(tb, err)
	run := st.LatestActionRuns["Test/Probe"]
	require.NotNil(tb, run)
	return run
}

// TestThirdPartyJobs drives a partner action through the third-party job protocol to
// success, then a second execution's to failure.
func TestThirdPartyJobs(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	client := h.registerProbe(t)
	h.ok(t, pipelineTarget+"CreatePipeline", partnerPipelineBody())
	require.Empty(t, h.pollProbe(t), "no job before the source succeeded")
	h.passPartnerSource(t)

	jobs := h.pollProbe(t)
	require.Len(t, jobs, 1)
	require.Equal(t, client.ClientID, jobs[0].ClientID)
	require.Empty(t, h.pollProbe(t), "a polled job is not handed out again")
	job := jobs[0].JobID
	tok := client.ClientToken

	r := h.call(t, pipelineTarget+"GetThirdPartyJobDetails", []byte(`{"jobId":"`+job+`","clientToken":"wrong"}`))
	r.requireError(t, "InvalidClientTokenException")
	r = h.call(t, pipelineTarget+"GetThirdPartyJobDetails", []byte(`{"jobId":"`+job+`","clientToken":"`+tok+`"}`))
	require.Equal(t, http.StatusOK, r.status, "%s", r.body)
	var details struct {
		JobDetails map[string]any `json:"jobDetails"`
	}
	require.NoError(t, json.Unmarshal(r.body, &details))
	d := details.JobDetails
	require.Equal(t, job, d["id"])
	require.NotContains(t, d, "accountId")
	nonce, _ := d["nonce"].(string)
	require.NotEmpty(t, nonce)
	data := d["data"].(map[string]any)
	require.Equal(t, map[string]any{"configuration": map[string]any{"Project": "app", "ApiKey": "k3y"}}, data["actionConfiguration"])
	require.Equal(t, map[string]any{"pipelineName": partnerPipeline, "stage": map[string]any{"name": "Test"},
		"action": map[string]any{"name": "Probe", "actionExecutionId": h.probeRun(t).ID}}, data["pipelineContext"])
	require.Len(t, data["inputArtifacts"], 1)

	h.call(t, pipelineTarget+"AcknowledgeThirdPartyJob", []byte(`{"jobId":"`+job+`","nonce":"stale","clientToken":"`+tok+`"}`)).
		requireError(t, "InvalidNonceException")
	r = h.call(t, pipelineTarget+"AcknowledgeThirdPartyJob", []byte(`{"jobId":"`+job+`","nonce":"`+nonce+`","clientToken":"`+tok+`"}`))
	require.Equal(t, http.StatusOK, r.status, "%s", r.body)
	require.JSONEq(t, `{"status":"InProgress"}`, string(r.body))

	h.call(t, pipelineTarget+"PutThirdPartyJobSuccessResult", []byte(`{"jobId":"`+job+`","clientToken":"wrong"}`)).
		requireError(t, "InvalidClientTokenException")
	h.ok(t, pipelineTarget+"PutThirdPartyJobSuccessResult", `{"jobId":"`+job+`","clientToken":"`+tok+`",
"executionDetails":{"summary":"42 checks passed","externalExecutionId":"run-7","percentComplete":100}}`)
	run := h.probeRun(t)
	require.Equal(t, sluice.ActionSucceeded, run.Status)
	require.Equal(t, "42 checks passed", run.Summary)
	require.Equal(t, "https://probe.example.com/app/runs/run-7", run.ExternalExecutionURL)
	h.call(t, pipelineTarget+"PutThirdPartyJobSuccessResult", []byte(`{"jobId":"`+job+`","clientToken":"`+tok+`"}`)).
		requireError(t, "InvalidJobStateException", job)

	h.ok(t, pipelineTarget+"StartPipelineExecution", `{"name":"`+partnerPipeline+`"}`)
	h.passPartnerSource(t)
	jobs = h.pollProbe(t)
	require.Len(t, jobs, 1)
	h.ok(t, pipelineTarget+"PutThirdPartyJobFailureResult", `{"jobId":"`+jobs[0].JobID+`","clientToken":"`+tok+`",
"failureDetails":{"type":"JobFailed","message":"3 checks failed","externalExecutionId":"run-8"}}`)
	run = h.probeRun(t)
	require.Equal(t, sluice.ActionFailed, run.Status)
	require.Equal(t, "3 checks failed", run.ErrorMessage)
}

// TestThirdPartyJobErrors covers the refusals of the partner job operations.
func TestThirdPartyJobErrors(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	client := h.registerProbe(t)
	h.seedJob(t) // a custom job: not a partner's

	t.Run("ErrPollOwner", func(t *testing.T) {
		t.Parallel()
		for _, owner := range []string{"AWS", "Custom"} {
			r := h.call(t, pipelineTarget+"PollForThirdPartyJobs", []byte(`{"actionTypeId":{"category":"Test","owner":"`+owner+`","provider":"FuzzProbe","version":"1"}}`))
			r.requireError(t, "ValidationException")
		}
	})
	t.Run("ErrPollBuiltIn", func(t *testing.T) {
		t.Parallel()
		r := h.call(t, pipelineTarget+"PollForThirdPartyJobs", []byte(`{"actionTypeId":{"category":"Source","owner":"ThirdParty","provider":"GitHub","version":"1"}}`))
		r.requireError(t, "ValidationException", "run by Sluice")
	})
	t.Run("ErrPollUnknownType", func(t *testing.T) {
		t.Parallel()
		h.call(t, pipelineTarget+"PollForThirdPartyJobs", []byte(`{"actionTypeId":`+partnerTypeJSON+`}`)).requireError(t, "ActionTypeNotFoundException")
	})
	t.Run("ErrPollBatch", func(t *testing.T) {
		t.Parallel()
		h.call(t, pipelineTarget+"PollForThirdPartyJobs", []byte(`{"actionTypeId":`+probeTypeJSON+`,"maxBatchSize":0}`)).requireError(t, "ValidationException", "maxBatchSize")
	})
	t.Run("ErrCustomJob", func(t *testing.T) {
		t.Parallel()
		h.call(t, pipelineTarget+"GetThirdPartyJobDetails", []byte(`{"jobId":"`+h.job+`","clientToken":"`+client.ClientToken+`"}`)).requireError(t, "JobNotFoundException")
	})
	t.Run("ErrUnknownJob", func(t *testing.T) {
		t.Parallel()
		h.call(t, pipelineTarget+"AcknowledgeThirdPartyJob", []byte(`{"jobId":"nope","nonce":"n","clientToken":"t"}`)).requireError(t, "JobNotFoundException")
	})
	t.Run("ErrMembers", func(t *testing.T) {
		t.Parallel()
		h.call(t, pipelineTarget+"PutThirdPartyJobFailureResult", []byte(`{"jobId":"j"}`)).requireError(t, "ValidationException", "clientToken", "failureDetails")
		h.call(t, pipelineTarget+"AcknowledgeThirdPartyJob", []byte(`{"clientToken":"t"}`)).requireError(t, "ValidationException", "jobId", "nonce")
	})
}

// TestThirdPartyJobQueuedDetails: a job not polled yet has no details to give.
func TestThirdPartyJobQueuedDetails(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	client := h.registerProbe(t)
	h.ok(t, pipelineTarget+"CreatePipeline", partnerPipelineBody())
	h.passPartnerSource(t)
	db, err := sql.Open("sqlite", "file:"+filepath.Join(h.dir, "sluice.db")+"?mode=ro")
	require.NoError(t, err)
	defer db.Close()
	var queued string
	require.NoError(t, db.QueryRow(`SELECT id FROM jobs WHERE status = 'Queued' AND provider = 'FuzzProbe'`).Scan(&queued))
	h.call(t, pipelineTarget+"GetThirdPartyJobDetails", []byte(`{"jobId":"`+queued+`","clientToken":"`+client.ClientToken+`"}`)).
		requireError(t, "InvalidJobException", "not been handed out")
}

// partnerJob is a polled partner job, its nonce and its client's token.
type partnerJob struct{ job, nonce, token string }

// seedPartnerJob registers the partner type, creates the partner pipeline, passes its
// source and polls the partner action's job.
func (h *harness) seedPartnerJob(tb testing.TB) partnerJob {
	tb.Helper()
	client := h.registerProbe(tb)
	h.ok(tb, pipelineTarget+"CreatePipeline", partnerPipelineBody())
	h.passPartnerSource(tb)
	jobs := h.pollProbe(tb)
	require.Len(tb, jobs, 1)
	j, err := h.db.GetJob(context.Background(), jobs[0].JobID)
	require.NoError(tb, err)
	return partnerJob{job: j.ID, nonce: j.Nonce, token: client.ClientToken}
}

// TestBuiltInPartnerType: Snyk, a partner type of the action reference, is accepted in a
// declaration without registration; registering it mints its client, and its job goes to
// the partner's poller. CodePipeline's own ThirdParty actions cannot be registered.
func TestBuiltInPartnerType(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	snyk := `{"category":"Invoke","owner":"ThirdParty","provider":"Snyk","version":"1"}`
	body := strings.NewReplacer(probeTypeJSON, snyk, `"configuration":{"Project":"app","ApiKey":"k3y"},"inputArtifacts":[{"name":"Code"}]`,
		`"inputArtifacts":[{"name":"Code"}],"outputArtifacts":[{"name":"Scanned"}]`).Replace(partnerPipelineBody())
	h.ok(t, pipelineTarget+"CreatePipeline", body)
	h.call(t, pipelineTarget+"PollForThirdPartyJobs", []byte(`{"actionTypeId":`+snyk+`}`)).requireError(t, "ActionTypeNotFoundException", "no third-party client")

	r := h.call(t, partnerTarget+"RegisterPartnerActionType", []byte(`{"category":"Invoke","provider":"Snyk","version":"1",
"inputArtifactDetails":{"minimumCount":0,"maximumCount":0},"outputArtifactDetails":{"minimumCount":0,"maximumCount":0}}`))
	require.Equal(t, http.StatusOK, r.status, "%s", r.body)
	var reg struct {
		ActionType sluice.ActionType `json:"actionType"`
		ClientID   string            `json:"clientId"`
	}
	require.NoError(t, json.Unmarshal(r.body, &reg))
	require.Equal(t, 1, reg.ActionType.InputArtifactDetails.MinimumCount, "the catalog's definition stands")
	h.passPartnerSource(t)
	r = h.call(t, pipelineTarget+"PollForThirdPartyJobs", []byte(`{"actionTypeId":`+snyk+`}`))
	require.Equal(t, http.StatusOK, r.status, "%s", r.body)
	require.Contains(t, string(r.body), reg.ClientID)

	h.call(t, partnerTarget+"RegisterPartnerActionType", []byte(`{"category":"Source","provider":"GitHub","version":"1",
"inputArtifactDetails":{"minimumCount":0,"maximumCount":0},"outputArtifactDetails":{"minimumCount":1,"maximumCount":1}}`)).
		requireError(t, "ValidationException", "built in")
}

// TestThirdPartyJobContinues: a success with a continuationToken keeps the partner action
// in progress and queues a new job that carries the token.
func TestThirdPartyJobContinues(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	p := h.seedPartnerJob(t)
	h.ok(t, pipelineTarget+"AcknowledgeThirdPartyJob", `{"jobId":"`+p.job+`","nonce":"`+p.nonce+`","clientToken":"`+p.token+`"}`)
	h.ok(t, pipelineTarget+"PutThirdPartyJobSuccessResult", `{"jobId":"`+p.job+`","clientToken":"`+p.token+`","continuationToken":"scan-1",
"executionDetails":{"summary":"scanning","percentComplete":40}}`)
	run := h.probeRun(t)
	require.Equal(t, sluice.ActionInProgress, run.Status)
	require.Equal(t, "scanning", run.Summary)

	jobs := h.pollProbe(t)
	require.Len(t, jobs, 1)
	require.NotEqual(t, p.job, jobs[0].JobID)
	r := h.call(t, pipelineTarget+"GetThirdPartyJobDetails", []byte(`{"jobId":"`+jobs[0].JobID+`","clientToken":"`+p.token+`"}`))
	require.Equal(t, http.StatusOK, r.status, "%s", r.body)
	var out struct {
		JobDetails struct {
			Data struct {
				ContinuationToken string `json:"continuationToken"`
			} `json:"data"`
		} `json:"jobDetails"`
	}
	require.NoError(t, json.Unmarshal(r.body, &out))
	require.Equal(t, "scan-1", out.JobDetails.Data.ContinuationToken)
	h.ok(t, pipelineTarget+"PutThirdPartyJobSuccessResult", `{"jobId":"`+jobs[0].JobID+`","clientToken":"`+p.token+`"}`)
	require.Equal(t, sluice.ActionSucceeded, h.probeRun(t).Status)
}
