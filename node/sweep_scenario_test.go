package node_test

import (
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"
	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/node/nodetest"
)

// The sweep's pipeline "sweep": Source; Build runs a custom action (a job worker's) and a
// partner's ThirdParty action side by side, both failed once and retried; Approve waits on
// an entry condition (a Commands rule held by a gate) that is overridden, then on a manual
// approval; Deploy runs a command and is rolled back to once the execution succeeded.
const sweepName = "sweep"

var (
	sweepWorker  = obj{"category": "Build", "owner": "Custom", "provider": "SweepWorker", "version": "1"}
	sweepPartner = obj{"category": "Test", "owner": "ThirdParty", "provider": "Probe", "version": "1"} // registerPartner's
	sweepCode    = []obj{{"name": "Code"}}
)

func (s *sweep) run() {
	s.actionTypes()
	exec := s.createPipeline(nodetest.NewGate(s.t))
	s.tagsAndTransitions()
	s.webhooks()
	s.jobsFailThenRetry(exec)
	s.conditionAndApproval(exec)
	sha := s.reads(exec)
	s.revisionAndRollback(exec, sha)
	s.startAndStop()
	s.updateAndDelete()
}

// actionTypes lists rule types, creates the custom action type, and declares and reads
// back a registered partner type.
func (s *sweep) actionTypes() {
	t := s.t
	_, _, err := s.c.Node.API.Service.RegisterPartnerActionType(s.c.ctx, sluice.ServerCaller(), sluice.ActionType{
		ID:                   sluice.ActionTypeID{Category: "Deploy", Owner: "ThirdParty", Provider: "SweepDeploy", Version: "1"},
		InputArtifactDetails: sluice.ArtifactDetails{MinimumCount: 0, MaximumCount: 1},
	})
	require.NoError(t, err)
	probe, partner := registerPartner(s.c, t)
	require.Equal(t, sweepPartner["provider"], aws.ToString(probe.Provider))
	s.partner = partner

	rules := s.call("ListRuleTypes", obj{"ruleOwnerFilter": "AWS"})
	var providers []string
	for i := range len(member(rules, "ruleTypes").([]any)) {
		providers = append(providers, memberStr(rules, "ruleTypes", i, "id", "provider"))
	}
	require.Contains(t, providers, "Commands")
	created := s.call("CreateCustomActionType", obj{"category": "Build", "provider": "SweepWorker", "version": "1",
		"settings": obj{"executionUrlTemplate": "https://ci.example.com/{Config:ProjectName}/{ExternalExecutionId}"},
		"configurationProperties": []obj{{"name": "ProjectName", "required": true, "key": true, "secret": false, "queryable": true,
			"description": "The project to build.", "type": "String"}},
		"inputArtifactDetails": obj{"minimumCount": 0, "maximumCount": 1}, "outputArtifactDetails": obj{"minimumCount": 0, "maximumCount": 0},
		"tags": []obj{{"key": "team", "value": "sweep"}}})
	require.Equal(t, "Custom", memberStr(created, "actionType", "id", "owner"))
	listed := s.call("ListActionTypes", obj{"actionOwnerFilter": "Custom"})
	require.Equal(t, "SweepWorker", memberStr(listed, "actionTypes", 0, "id", "provider"))

	id := obj{"category": "Deploy", "owner": "ThirdParty", "provider": "SweepDeploy", "version": "1"}
	s.call("UpdateActionType", obj{"actionType": obj{"id": id, "description": "Deploys for the sweep.",
		"executor": obj{"type": "JobWorker", "jobTimeout": 600,
			"configuration": obj{"jobWorkerExecutorConfiguration": obj{"pollingAccounts": []string{"111111111111"}}}},
		"inputArtifactDetails": obj{"minimumCount": 0, "maximumCount": 1}, "outputArtifactDetails": obj{"minimumCount": 0, "maximumCount": 0},
		"permissions": obj{"allowedAccounts": []string{"111111111111"}},
		"properties":  []obj{{"name": "Fleet", "optional": false, "key": true, "noEcho": false}},
		"urls":        obj{"entityUrlTemplate": "https://partner.example.com/{Config:Fleet}"}}})
	got := s.call("GetActionType", id)
	require.Equal(t, "Deploys for the sweep.", memberStr(got, "actionType", "description"))
}

// createPipeline creates the pipeline, whose Approve stage waits on gate, and returns the
// execution CreatePipeline started.
func (s *sweep) createPipeline(gate nodetest.Gate) string {
	t := s.t
	s.gate = gate
	action := func(name string, typ obj, more obj) obj {
		a := obj{"name": name, "actionTypeId": typ}
		for k, v := range more {
			a[k] = v
		}
		return a
	}
	aws := func(category, provider string) obj {
		return obj{"category": category, "owner": "AWS", "provider": provider, "version": "1"}
	}
	stages := []obj{
		{"name": "Source", "actions": []obj{action("Source", aws("Source", "CodeCommit"), obj{"outputArtifacts": sweepCode,
			"configuration": obj{"RepositoryName": srcRepo, "BranchName": "main", "PollForSourceChanges": "false"}})}},
		{"name": "Build", "actions": []obj{
			action("Custom", sweepWorker, obj{"configuration": obj{"ProjectName": "sweep"}, "inputArtifacts": sweepCode}),
			action("Partner", sweepPartner, obj{"configuration": obj{"Project": "sweep"}, "inputArtifacts": sweepCode})}},
		{"name": "Approve", "actions": []obj{action("Approve", aws("Approval", "Manual"), nil)},
			"beforeEntry": obj{"conditions": []obj{{"result": "FAIL", "rules": []obj{{"name": "Wait", "ruleTypeId": aws("Rule", "Commands"),
				"commands": []string{gate.Wait()}, "inputArtifacts": sweepCode}}}}}},
		{"name": "Deploy", "actions": []obj{action("Deploy", aws("Compute", "Commands"), obj{"commands": []string{"true"}, "inputArtifacts": sweepCode})}},
	}
	created := s.call("CreatePipeline", obj{"tags": []obj{{"key": "team", "value": "sweep"}}, "pipeline": obj{"name": sweepName,
		"roleArn":       "arn:aws:iam::000000000000:role/sluice-pipeline",
		"artifactStore": obj{"type": "S3", "location": "sluice-artifacts"}, "pipelineType": "V2", "stages": stages}})
	require.EqualValues(t, 1, member(created, "pipeline", "version"))

	got := s.call("GetPipeline", obj{"name": sweepName})
	s.arn = memberStr(got, "metadata", "pipelineArn")
	require.NotEmpty(t, s.arn)
	require.NotNil(t, memberWhere(s.call("ListPipelines", obj{}), "name", sweepName, "pipelines"))
	execs := s.call("ListPipelineExecutions", obj{"pipelineName": sweepName})
	exec := memberStr(execs, "pipelineExecutionSummaries", 0, "pipelineExecutionId")
	require.NotEmpty(t, exec, "CreatePipeline started an execution")
	return exec
}

// tagsAndTransitions tags the pipeline and freezes and thaws Deploy's inbound transition.
func (s *sweep) tagsAndTransitions() {
	t := s.t
	s.call("TagResource", obj{"resourceArn": s.arn, "tags": []obj{{"key": "stage", "value": "sweep"}}})
	tags := s.call("ListTagsForResource", obj{"resourceArn": s.arn})
	require.ElementsMatch(t, []any{obj{"key": "team", "value": "sweep"}, obj{"key": "stage", "value": "sweep"}}, tags["tags"])
	s.call("UntagResource", obj{"resourceArn": s.arn, "tagKeys": []string{"stage"}})

	s.call("DisableStageTransition", obj{"pipelineName": sweepName, "stageName": "Deploy", "transitionType": "Inbound", "reason": "the sweep"})
	state := s.call("GetPipelineState", obj{"name": sweepName})
	deploy := memberWhere(state, "stageName", "Deploy", "stageStates")
	require.Equal(t, false, member(deploy, "inboundTransitionState", "enabled"), "state: %v", state)
	s.call("EnableStageTransition", obj{"pipelineName": sweepName, "stageName": "Deploy", "transitionType": "Inbound"})
}

// webhooks puts a webhook on the Source action, lists, registers, deregisters and deletes it.
func (s *sweep) webhooks() {
	t := s.t
	put := s.call("PutWebhook", obj{"tags": []obj{{"key": "team", "value": "sweep"}}, "webhook": obj{"name": "sweep-hook",
		"targetPipeline": sweepName, "targetAction": "Source", "authentication": "GITHUB_HMAC",
		"filters":                     []obj{{"jsonPath": "$.ref", "matchEquals": "refs/heads/{BranchName}"}},
		"authenticationConfiguration": obj{"SecretToken": "s3cret"}}})
	require.NotEmpty(t, memberStr(put, "webhook", "url"))
	require.NotNil(t, memberWhere(s.call("ListWebhooks", obj{}), "url", memberStr(put, "webhook", "url"), "webhooks"))
	s.call("RegisterWebhookWithThirdParty", obj{"webhookName": "sweep-hook"})
	s.call("DeregisterWebhookWithThirdParty", obj{"webhookName": "sweep-hook"})
	s.call("DeleteWebhook", obj{"name": "sweep-hook"})
}

// jobsFailThenRetry fails Build's first attempt through both job workers (the custom one and
// the partner's), retries the stage, and lets the second attempt succeed.
func (s *sweep) jobsFailThenRetry(exec string) {
	t := s.t
	token, client := s.partner.ClientToken, s.partner.ClientID

	job := s.pollJob()
	details := s.call("GetJobDetails", obj{"jobId": memberStr(job, "id")})
	require.Equal(t, exec, memberStr(details, "jobDetails", "data", "pipelineContext", "pipelineExecutionId"))
	ack := s.call("AcknowledgeJob", obj{"jobId": memberStr(job, "id"), "nonce": memberStr(job, "nonce")})
	require.Equal(t, "InProgress", memberStr(ack, "status"))
	s.call("PutJobFailureResult", obj{"jobId": memberStr(job, "id"),
		"failureDetails": obj{"type": "JobFailed", "message": "the first attempt fails", "externalExecutionId": "run-1"}})

	pjob := s.pollPartnerJob(client)
	pdetails := s.call("GetThirdPartyJobDetails", obj{"jobId": memberStr(pjob, "jobId"), "clientToken": token})
	ack = s.call("AcknowledgeThirdPartyJob", obj{"jobId": memberStr(pjob, "jobId"), "nonce": memberStr(pdetails, "jobDetails", "nonce"), "clientToken": token})
	require.Equal(t, "InProgress", memberStr(ack, "status"))
	s.call("PutThirdPartyJobFailureResult", obj{"jobId": memberStr(pjob, "jobId"), "clientToken": token,
		"failureDetails": obj{"type": "JobFailed", "message": "the first attempt fails"}})
	s.c.WaitStatus(t, sweepName, exec, types.PipelineExecutionStatusFailed)

	retried := s.call("RetryStageExecution", obj{"pipelineName": sweepName, "stageName": "Build", "pipelineExecutionId": exec, "retryMode": "FAILED_ACTIONS"})
	require.Equal(t, exec, memberStr(retried, "pipelineExecutionId"))
	job = s.pollJob()
	s.call("AcknowledgeJob", obj{"jobId": memberStr(job, "id"), "nonce": memberStr(job, "nonce")})
	s.call("PutJobSuccessResult", obj{"jobId": memberStr(job, "id"),
		"executionDetails": obj{"summary": "built", "externalExecutionId": "run-2", "percentComplete": 100}})
	pjob = s.pollPartnerJob(client)
	pdetails = s.call("GetThirdPartyJobDetails", obj{"jobId": memberStr(pjob, "jobId"), "clientToken": token})
	s.call("AcknowledgeThirdPartyJob", obj{"jobId": memberStr(pjob, "jobId"), "nonce": memberStr(pdetails, "jobDetails", "nonce"), "clientToken": token})
	s.call("PutThirdPartyJobSuccessResult", obj{"jobId": memberStr(pjob, "jobId"), "clientToken": token,
		"executionDetails": obj{"summary": "checked", "externalExecutionId": "probe-2", "percentComplete": 100}})
}

// pollJob polls for the custom action's job until one is queued.
func (s *sweep) pollJob() obj {
	var job obj
	s.c.WaitFor(s.t, "a SweepWorker job", func() bool {
		out := s.call("PollForJobs", obj{"actionTypeId": sweepWorker, "maxBatchSize": 1, "queryParam": obj{"ProjectName": "sweep"}})
		job, _ = member(out, "jobs", 0).(obj)
		return job != nil
	})
	return job
}

// pollPartnerJob polls for the partner action's job until one is queued for client.
func (s *sweep) pollPartnerJob(client string) obj {
	var job obj
	s.c.WaitFor(s.t, "a Probe job", func() bool {
		out := s.call("PollForThirdPartyJobs", obj{"actionTypeId": sweepPartner, "maxBatchSize": 1})
		job, _ = member(out, "jobs", 0).(obj)
		return job != nil
	})
	require.Equal(s.t, client, memberStr(job, "clientId"))
	return job
}

// conditionAndApproval overrides Approve's entry condition while its rule waits on the
// gate, then approves; the execution succeeds.
func (s *sweep) conditionAndApproval(exec string) {
	t := s.t
	s.c.WaitFor(t, "Approve's entry condition evaluated", func() bool {
		c := stageState(t, s.c.State(t, sweepName), "Approve").BeforeEntryConditionState
		return c != nil && c.LatestExecution != nil && c.LatestExecution.Status == types.ConditionExecutionStatusInProgress
	})
	s.call("OverrideStageCondition", obj{"pipelineName": sweepName, "stageName": "Approve", "pipelineExecutionId": exec, "conditionType": "BEFORE_ENTRY"})
	s.gate.Open(t) // the abandoned rule's command may end
	token := s.c.ApprovalToken(t, sweepName, "Approve", "Approve")
	approved := s.call("PutApprovalResult", obj{"pipelineName": sweepName, "stageName": "Approve", "actionName": "Approve",
		"result": obj{"summary": "the sweep approves", "status": "Approved"}, "token": token})
	require.NotNil(t, approved["approvedAt"])
	s.c.WaitStatus(t, sweepName, exec, types.PipelineExecutionStatusSucceeded)
}

// reads reads the succeeded execution, its action and rule executions and Deploy's
// targets, and returns its source revision.
func (s *sweep) reads(exec string) string {
	t := s.t
	got := s.call("GetPipelineExecution", obj{"pipelineName": sweepName, "pipelineExecutionId": exec})
	require.Equal(t, "Succeeded", memberStr(got, "pipelineExecution", "status"))
	sha := memberStr(got, "pipelineExecution", "artifactRevisions", 0, "revisionId")
	require.NotEmpty(t, sha)

	runs := s.call("ListActionExecutions", obj{"pipelineName": sweepName, "filter": obj{"pipelineExecutionId": exec}})
	deploy := memberWhere(runs, "actionName", "Deploy", "actionExecutionDetails")
	require.NotNil(t, deploy, "action executions: %v", runs)
	targets := s.call("ListDeployActionExecutionTargets", obj{"pipelineName": sweepName, "actionExecutionId": memberStr(deploy, "actionExecutionId")})
	require.Empty(t, targets["targets"], "a Commands action has no deployment targets")

	rules := s.call("ListRuleExecutions", obj{"pipelineName": sweepName, "filter": obj{"pipelineExecutionId": exec}})
	wait := memberWhere(rules, "ruleName", "Wait", "ruleExecutionDetails")
	require.NotNil(t, wait, "rule executions: %v", rules)
	require.Equal(t, "Abandoned", memberStr(wait, "status"), "the override abandoned the rule")
	return sha
}

// revisionAndRollback announces the revision the execution ran (nothing new starts) and
// rolls Deploy back to that execution.
func (s *sweep) revisionAndRollback(exec, sha string) {
	t := s.t
	rev := s.call("PutActionRevision", obj{"pipelineName": sweepName, "stageName": "Source", "actionName": "Source",
		"actionRevision": obj{"revisionId": sha, "revisionChangeId": sha, "created": time.Now().UTC().Format(time.RFC3339)}})
	require.Equal(t, false, rev["newRevision"])
	require.Equal(t, exec, memberStr(rev, "pipelineExecutionId"))

	back := s.call("RollbackStage", obj{"pipelineName": sweepName, "stageName": "Deploy", "targetPipelineExecutionId": exec})
	rollback := memberStr(back, "pipelineExecutionId")
	require.NotEmpty(t, rollback)
	require.NotEqual(t, exec, rollback)
	s.c.WaitStatus(t, sweepName, rollback, types.PipelineExecutionStatusSucceeded)
}

// startAndStop starts an execution and, once its custom job waits for a worker, stops it
// abandoning what runs.
func (s *sweep) startAndStop() {
	t := s.t
	started := s.call("StartPipelineExecution", obj{"name": sweepName, "clientRequestToken": "sweep-start-1"})
	exec := memberStr(started, "pipelineExecutionId")
	require.NotEmpty(t, exec)
	s.c.WaitAction(t, sweepName, "Build", "Custom", types.ActionExecutionStatusInProgress)
	stopped := s.call("StopPipelineExecution", obj{"pipelineName": sweepName, "pipelineExecutionId": exec, "abandon": true, "reason": "the sweep stops it"})
	require.Equal(t, exec, memberStr(stopped, "pipelineExecutionId"))
	s.c.WaitStatus(t, sweepName, exec, types.PipelineExecutionStatusStopped)
}

// updateAndDelete edits Deploy's command, then deletes the pipeline and the custom type.
func (s *sweep) updateAndDelete() {
	t := s.t
	decl, _ := s.call("GetPipeline", obj{"name": sweepName})["pipeline"].(obj)
	deploy, _ := member(decl, "stages", 3, "actions", 0).(obj)
	require.NotNil(t, deploy, "pipeline: %v", decl)
	deploy["commands"] = []string{"echo updated"}
	updated := s.call("UpdatePipeline", obj{"pipeline": decl})
	require.EqualValues(t, 2, member(updated, "pipeline", "version"))
	s.call("DeletePipeline", obj{"name": sweepName})
	s.call("DeleteCustomActionType", obj{"category": "Build", "provider": "SweepWorker", "version": "1"})
}
