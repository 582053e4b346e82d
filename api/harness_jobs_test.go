package api

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"sluice"
)

// The harness's custom job: a custom action type whose Build action in pipeline "custom"
// waits for a job worker. seedJob polls the job, so $JOB and $NONCE in fuzz bodies name it.
const (
	customProvider = "FuzzCI"
	customPipeline = "custom"
	// customBranch is the custom pipeline's source branch, which tells its source jobs apart
	// from the fixture pipeline's.
	customBranch   = "custom"
	customTypeJSON = `{"category":"Build","owner":"Custom","provider":"` + customProvider + `","version":"1"}`
)

var customTypeID = sluice.ActionTypeID{Category: sluice.CategoryBuild, Owner: sluice.OwnerCustom, Provider: customProvider, Version: "1"}

// customTypeBody is a CreateCustomActionType body with every member: a queryable
// ProjectName, a secret Token and URL templates.
func customTypeBody(provider string) string {
	return `{"category":"Build","provider":"` + provider + `","version":"1",
"settings":{"entityUrlTemplate":"https://ci.example.com/job/{Config:ProjectName}/",
 "executionUrlTemplate":"https://ci.example.com/job/{Config:ProjectName}/{ExternalExecutionId}/"},
"configurationProperties":[
 {"name":"ProjectName","required":true,"key":true,"secret":false,"queryable":true,"description":"The CI job","type":"String"},
 {"name":"Token","required":false,"key":false,"secret":true}],
"inputArtifactDetails":{"minimumCount":0,"maximumCount":1},"outputArtifactDetails":{"minimumCount":0,"maximumCount":1},
"tags":[{"key":"team","value":"ci"}]}`
}

// customPipelineBody is a CreatePipeline body: a CodeCommit source on customBranch, then
// Build/CI of the custom type for project "app".
func customPipelineBody() string {
	return `{"pipeline":{"name":"` + customPipeline + `","roleArn":"arn:aws:iam::111111111111:role/p","pipelineType":"V2",
"artifactStore":{"type":"S3","location":"sluice-artifacts"},
"stages":[
 {"name":"Source","actions":[{"name":"Source","actionTypeId":{"category":"Source","owner":"AWS","provider":"CodeCommit","version":"1"},
  "configuration":{"RepositoryName":"` + fixtureRepo + `","BranchName":"` + customBranch + `","PollForSourceChanges":"false"},"outputArtifacts":[{"name":"Code"}]}]},
 {"name":"Build","actions":[{"name":"CI","actionTypeId":` + customTypeJSON + `,
  "configuration":{"ProjectName":"app","Token":"s3cr3t"},"inputArtifacts":[{"name":"Code"}],"outputArtifacts":[{"name":"Built"}]}]}]}}`
}

// seedJob (re)creates the custom action type and pipeline, reports the pipeline's source
// action succeeded and polls the Build action's job, which becomes h.job with h.nonce.
func (h *harness) seedJob(tb testing.TB) {
	tb.Helper()
	h.ok(tb, pipelineTarget+"CreateCustomActionType", customTypeBody(customProvider)) // the same definition restores a deleted type
	h.ok(tb, pipelineTarget+"DeletePipeline", `{"name":"`+customPipeline+`"}`)
	h.ok(tb, pipelineTarget+"CreatePipeline", customPipelineBody())
	ctx := context.Background()
	jobs, err := h.db.ClaimJobs(ctx, sluice.ClaimParams{Worker: "harness", Limit: 10, Now: time.Now().UTC(), LeaseFor: time.Hour,
		Acknowledge: true, Match: map[string]string{"BranchName": customBranch}})
	require.NoError(tb, err)
	require.Len(tb, jobs, 1, "the custom pipeline's source job")
	require.NoError(tb, h.srv.Service.Engine.JobResult(ctx, sluice.JobResult{JobID: jobs[0].ID, Nonce: jobs[0].Nonce, Success: true,
		Revision: &sluice.Revision{RevisionID: "89abcdef0123456789abcdef0123456789abcdef", Created: time.Now().UTC()}}))
	r := h.call(tb, pipelineTarget+"PollForJobs", []byte(`{"actionTypeId":`+customTypeJSON+`,"maxBatchSize":1,"queryParam":{"ProjectName":"app"}}`))
	require.Equal(tb, http.StatusOK, r.status, "%s", r.body)
	var out struct {
		Jobs []struct {
			ID    string `json:"id"`
			Nonce string `json:"nonce"`
		} `json:"jobs"`
	}
	require.NoError(tb, json.Unmarshal(r.body, &out))
	require.Len(tb, out.Jobs, 1, "the Build action's job: %s", r.body)
	h.job, h.nonce = out.Jobs[0].ID, out.Jobs[0].Nonce
}

// restoreJob seeds a new custom job when a call closed, deleted or took over h.job, or
// deleted the custom type.
func (h *harness) restoreJob(tb testing.TB) {
	tb.Helper()
	ctx := context.Background()
	t, err := h.db.GetActionType(ctx, customTypeID)
	if err != nil || t.Deleted {
		h.seedJob(tb)
		return
	}
	if j, err := h.db.GetJob(ctx, h.job); err != nil || !j.Status.Open() || j.Nonce != h.nonce {
		h.seedJob(tb)
	}
}

// partnerTypeJSON is a ThirdParty (partner) action type no harness registers.
const partnerTypeJSON = `{"category":"Test","owner":"ThirdParty","provider":"Probe","version":"1"}`
