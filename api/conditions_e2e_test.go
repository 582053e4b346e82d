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

// gatedBody is a pipeline whose Deploy stage waits before entry for a Commands rule (a job
// no worker runs here) and a VariableCheck rule the engine decides at once.
func gatedBody(name string) string {
	return deployBody(name, "true", `,
  "beforeEntry":{"conditions":[{"result":"FAIL","rules":[
   {"name":"Check","ruleTypeId":{"category":"Rule","owner":"AWS","provider":"Commands","version":"1"},"commands":["test -f ready"],"inputArtifacts":[{"name":"Code"}]},
   {"name":"Branch","ruleTypeId":{"category":"Rule","owner":"AWS","provider":"VariableCheck","version":"1"},
    "configuration":{"Variable":"main","Operator":"EQ","Value":"main"}}]}]}`)
}

// deployBody is a pipeline of a CodeCommit Source stage and a Deploy stage whose Commands
// action runs command; deployHooks ends the Deploy stage's members.
func deployBody(name, command, deployHooks string) string {
	return `{"pipeline":{"name":"` + name + `","roleArn":"arn:aws:iam::111111111111:role/p","pipelineType":"V2",
"artifactStore":{"type":"S3","location":"sluice-artifacts"},
"stages":[
 {"name":"Source","actions":[{"name":"Source","actionTypeId":{"category":"Source","owner":"AWS","provider":"CodeCommit","version":"1"},
  "configuration":{"RepositoryName":"` + fixtureRepo + `","BranchName":"main","PollForSourceChanges":"false"},"outputArtifacts":[{"name":"Code"}]}]},
 {"name":"Deploy","actions":[{"name":"Ship","actionTypeId":{"category":"Compute","owner":"AWS","provider":"Commands","version":"1"},
  "inputArtifacts":[{"name":"Code"}],"commands":["` + command + `"]}]` + deployHooks + `}]}}`
}

// finishJobs claims every queued job and reports it: failed when its action or rule is
// named in fail, else succeeded (sources with a revision). It returns the jobs' names.
func (h *harness) finishJobs(t *testing.T, fail ...string) []string {
	t.Helper()
	ctx := context.Background()
	jobs, err := h.db.ClaimJobs(ctx, sluice.ClaimParams{Worker: "harness", Limit: 1000, Now: time.Now().UTC(), LeaseFor: time.Hour, Acknowledge: true})
	require.NoError(t, err)
	var names []string
	for _, j := range jobs {
		names = append(names, j.ActionName)
		res := sluice.JobResult{JobID: j.ID, Nonce: j.Nonce, Success: true,
			Revision: &sluice.Revision{RevisionID: "0123456789abcdef0123456789abcdef01234567", Created: time.Now().UTC()}}
		for _, f := range fail {
			if f == j.ActionName {
				res = sluice.JobResult{JobID: j.ID, Nonce: j.Nonce, ErrorType: sluice.FailureJobFailed, ErrorMessage: "exit status 1"}
			}
		}
		require.NoError(t, h.srv.Service.Engine.JobResult(ctx, res))
	}
	return names
}

// answer calls target and decodes its 200 answer into out.
func (h *harness) answer(t *testing.T, target, body string, out any) {
	t.Helper()
	r := h.call(t, target, []byte(body))
	require.Equal(t, http.StatusOK, r.status, "%s: %s", target, r.body)
	requireNoNulls(t, target, r.body)
	require.NoError(t, json.Unmarshal(r.body, out))
}

// stateOf is GetPipelineState's answer for pipeline, by stage name.
func (h *harness) stateOf(t *testing.T, pipeline string) map[string]stageState {
	t.Helper()
	var out struct {
		StageStates []stageState `json:"stageStates"`
	}
	h.answer(t, pipelineTarget+"GetPipelineState", `{"name":"`+pipeline+`"}`, &out)
	byName := map[string]stageState{}
	for _, s := range out.StageStates {
		byName[s.StageName] = s
	}
	return byName
}

// ruleDetails is ListRuleExecutions' answer for body.
func (h *harness) ruleDetails(t *testing.T, body string) []ruleExecutionDetail {
	t.Helper()
	var out struct {
		Details []ruleExecutionDetail `json:"ruleExecutionDetails"`
	}
	h.answer(t, pipelineTarget+"ListRuleExecutions", body, &out)
	return out.Details
}

// TestOverrideThroughTheAPI runs an execution into a before-entry condition, watches it in
// GetPipelineState and ListRuleExecutions, and overrides it.
func TestOverrideThroughTheAPI(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.ok(t, pipelineTarget+"CreatePipeline", gatedBody("gated"))
	require.Equal(t, []string{"Source"}, h.finishJobs(t))
	var execs struct {
		Summaries []executionSummary `json:"pipelineExecutionSummaries"`
	}
	h.answer(t, pipelineTarget+"ListPipelineExecutions", `{"pipelineName":"gated"}`, &execs)
	require.Len(t, execs.Summaries, 1)
	exec := execs.Summaries[0].PipelineExecutionID
	require.Equal(t, "STANDARD", execs.Summaries[0].ExecutionType)

	deploy := h.stateOf(t, "gated")["Deploy"]
	require.Equal(t, &stageExecution{exec, "InProgress", "STANDARD"}, deploy.LatestExecution)
	entry := deploy.BeforeEntryConditionState
	require.NotNil(t, entry, "the stage is evaluating its entry condition")
	require.Nil(t, deploy.OnSuccessConditionState)
	require.Equal(t, "InProgress", entry.LatestExecution.Status)
	require.Len(t, entry.ConditionStates, 1)
	rules := entry.ConditionStates[0].RuleStates
	require.Len(t, rules, 2)
	require.Equal(t, "Check", rules[0].RuleName)
	require.Equal(t, "InProgress", rules[0].LatestExecution.Status)
	require.Equal(t, "Branch", rules[1].RuleName)
	require.Equal(t, "Succeeded", rules[1].LatestExecution.Status)
	require.Nil(t, deploy.ActionStates[0].LatestExecution, "Ship waits for the condition")

	details := h.ruleDetails(t, `{"pipelineName":"gated","filter":{"pipelineExecutionId":"`+exec+`"}}`)
	require.Len(t, details, 2)
	byRule := map[string]ruleExecutionDetail{}
	for _, d := range details {
		require.Equal(t, exec, d.PipelineExecutionID)
		require.Equal(t, "Deploy", d.StageName)
		require.Equal(t, 1, d.PipelineVersion)
		byRule[d.RuleName] = d
	}
	check := byRule["Check"]
	require.Equal(t, rules[0].LatestExecution.RuleExecutionID, check.RuleExecutionID)
	require.Equal(t, &sluice.RuleTypeID{Category: "Rule", Owner: "AWS", Provider: "Commands", Version: "1"}, check.Input.RuleTypeID)
	require.Len(t, check.Input.InputArtifacts, 1)
	require.Equal(t, "Code", check.Input.InputArtifacts[0].Name)
	branch := byRule["Branch"]
	require.Equal(t, "Succeeded", branch.Status)
	require.Equal(t, map[string]string{"Variable": "main", "Operator": "EQ", "Value": "main"}, branch.Input.ResolvedConfiguration)
	require.Contains(t, branch.Output.ExecutionResult.ExternalExecutionSummary, "satisfies")

	override := func(typ string) *response {
		return h.call(t, pipelineTarget+"OverrideStageCondition", []byte(`{"pipelineName":"gated","stageName":"Deploy","pipelineExecutionId":"`+
			exec+`","conditionType":"`+typ+`"}`))
	}
	override("ON_SUCCESS").requireError(t, "ConditionNotOverridableException", "ON_SUCCESS")
	r := override("BEFORE_ENTRY")
	require.Equal(t, http.StatusOK, r.status, "%s", r.body)
	require.JSONEq(t, `{}`, string(r.body))
	override("BEFORE_ENTRY").requireError(t, "ConditionNotOverridableException")

	deploy = h.stateOf(t, "gated")["Deploy"]
	require.Equal(t, "Overridden", deploy.BeforeEntryConditionState.LatestExecution.Status)
	require.Equal(t, "Abandoned", deploy.BeforeEntryConditionState.ConditionStates[0].RuleStates[0].LatestExecution.Status)
	require.Equal(t, "InProgress", deploy.ActionStates[0].LatestExecution.Status, "Ship started once the condition was overridden")
	latest := h.ruleDetails(t, `{"pipelineName":"gated","filter":{"latestInPipelineExecution":{"pipelineExecutionId":"`+exec+`","startTimeRange":"Latest"}},"maxResults":1}`)
	require.Len(t, latest, 1, "maxResults")
}

// TestRetryAndRollbackThroughTheAPI retries a failed stage by hand, then rolls it back to that
// execution and reads the rollback execution as GetPipelineExecution, ListPipelineExecutions and
// GetPipelineState show it.
func TestRetryAndRollbackThroughTheAPI(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.ok(t, pipelineTarget+"CreatePipeline", deployBody("rolled", "true", ""))
	require.Equal(t, []string{"Source"}, h.finishJobs(t))
	require.Equal(t, []string{"Ship"}, h.finishJobs(t, "Ship"))
	var started struct {
		Summaries []executionSummary `json:"pipelineExecutionSummaries"`
	}
	h.answer(t, pipelineTarget+"ListPipelineExecutions", `{"pipelineName":"rolled"}`, &started)
	exec := started.Summaries[0].PipelineExecutionID
	require.Nil(t, h.stateOf(t, "rolled")["Deploy"].RetryStageMetadata, "not retried yet")
	h.ok(t, pipelineTarget+"RetryStageExecution", `{"pipelineName":"rolled","stageName":"Deploy","pipelineExecutionId":"`+exec+`","retryMode":"FAILED_ACTIONS"}`)
	require.Equal(t, []string{"Ship"}, h.finishJobs(t))
	deploy := h.stateOf(t, "rolled")["Deploy"]
	require.Equal(t, &retryStageMetadata{AutoStageRetryAttempt: 0, ManualStageRetryAttempt: 1, LatestRetryTrigger: "ManualStageRetry"}, deploy.RetryStageMetadata)
	require.Equal(t, "Succeeded", deploy.LatestExecution.Status)

	rollback := func(stage, target string) *response {
		return h.call(t, pipelineTarget+"RollbackStage", []byte(`{"pipelineName":"rolled","stageName":"`+stage+`","targetPipelineExecutionId":"`+target+`"}`))
	}
	rollback("Source", exec).requireError(t, "UnableToRollbackStageException", "source")
	var out struct {
		ID string `json:"pipelineExecutionId"`
	}
	r := rollback("Deploy", exec)
	require.Equal(t, http.StatusOK, r.status, "%s", r.body)
	require.NoError(t, json.Unmarshal(r.body, &out))
	require.NotEqual(t, exec, out.ID)

	var got struct {
		Execution struct {
			ExecutionType    string            `json:"executionType"`
			RollbackMetadata *rollbackMetadata `json:"rollbackMetadata"`
			Trigger          trigger           `json:"trigger"`
		} `json:"pipelineExecution"`
	}
	h.answer(t, pipelineTarget+"GetPipelineExecution", `{"pipelineName":"rolled","pipelineExecutionId":"`+out.ID+`"}`, &got)
	require.Equal(t, "ROLLBACK", got.Execution.ExecutionType)
	require.Equal(t, &rollbackMetadata{exec}, got.Execution.RollbackMetadata)
	require.Equal(t, "ManualRollback", got.Execution.Trigger.TriggerType)
	var list struct {
		Summaries []executionSummary `json:"pipelineExecutionSummaries"`
	}
	h.answer(t, pipelineTarget+"ListPipelineExecutions", `{"pipelineName":"rolled"}`, &list)
	require.Len(t, list.Summaries, 2)
	require.Equal(t, out.ID, list.Summaries[0].PipelineExecutionID)
	require.Equal(t, "ROLLBACK", list.Summaries[0].ExecutionType)
	require.Equal(t, &rollbackMetadata{exec}, list.Summaries[0].RollbackMetadata)
	require.Equal(t, "STANDARD", list.Summaries[1].ExecutionType)
	require.Nil(t, list.Summaries[1].RollbackMetadata)
	deploy = h.stateOf(t, "rolled")["Deploy"]
	require.Equal(t, &stageExecution{out.ID, "InProgress", "ROLLBACK"}, deploy.LatestExecution)
	rollback("Deploy", exec).requireError(t, "UnableToRollbackStageException", "in progress")
	rollback("Deploy", out.ID).requireError(t, "UnableToRollbackStageException")

	h.ok(t, pipelineTarget+"UpdatePipeline", deployBody("rolled", "true && true", ""))
	rollback("Deploy", exec).requireError(t, "PipelineExecutionOutdatedException", "version 1")
}
