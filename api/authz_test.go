package api

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/actionlog"
	"sluice/api/apitest"
)

const harnessPrincipal = "arn:aws:iam::" + harnessAcct + ":root"

// The ARNs the harness's resources have.
func plARN(res string) string {
	return "arn:aws:codepipeline:" + harnessRegion + ":" + harnessAcct + ":" + res
}
func ccARN(res string) string {
	return "arn:aws:codecommit:" + harnessRegion + ":" + harnessAcct + ":" + res
}
func cbARN(res string) string {
	return "arn:aws:codebuild:" + harnessRegion + ":" + harnessAcct + ":project/" + res
}
func fnARN(res string) string {
	return "arn:aws:lambda:" + harnessRegion + ":" + harnessAcct + ":function:" + res
}

func smARN(res string) string {
	return "arn:aws:secretsmanager:" + harnessRegion + ":" + harnessAcct + ":secret:" + res
}
func ebARN(res string) string {
	return "arn:aws:events:" + harnessRegion + ":" + harnessAcct + ":" + res
}
func ssmARN(res string) string {
	return "arn:aws:ssm:" + harnessRegion + ":" + harnessAcct + ":parameter/" + res
}

func access(action, resource string) sluice.Access {
	return sluice.Access{Action: action, Resource: resource}
}

// authzCase is one operation, a request that reaches its end, the exception that end is
// when it is not success, and every access the core asks about, in order.
type authzCase struct {
	target, body string
	err          string
	want         []sluice.Access
}

const missingConn = "arn:aws:codestar-connections:us-east-1:111111111111:connection/00000000-0000-0000-0000-000000000000"
const missingHost = "arn:aws:codestar-connections:us-east-1:111111111111:host/gone-00000000"

// linkedBody is a CreatePipeline body whose source fetches through connection $CONN.
func linkedBody() string {
	return `{"pipeline":{"name":"linked","roleArn":"arn:aws:iam::111111111111:role/p","pipelineType":"V2",
"artifactStore":{"type":"S3","location":"sluice-artifacts"},
"stages":[
 {"name":"Source","actions":[{"name":"Source","actionTypeId":{"category":"Source","owner":"AWS","provider":"CodeStarSourceConnection","version":"1"},
  "configuration":{"ConnectionArn":"$CONN","FullRepositoryId":"o/r","BranchName":"main"},"outputArtifacts":[{"name":"Code"}]}]},
 {"name":"Approve","actions":[{"name":"Gate","actionTypeId":{"category":"Approval","owner":"AWS","provider":"Manual","version":"1"}}]}]}}`
}

// authzCases lists every routed operation, in an order in which each one succeeds (or
// fails as err says) on the harness authzSetup makes. $EXEC, $TOKEN, $JOB, $NONCE, $CONN
// and $HOST name its execution, approval token, custom job, connection and host.
func authzCases() []authzCase {
	pl, cp := pipelineTarget, "codepipeline:"
	fixture := plARN(fixturePipeline)
	customARN := plARN("actiontype:Custom/Build/" + customProvider + "/1")
	cases := []authzCase{
		{pl + "CreatePipeline", linkedBody(), "", []sluice.Access{access(cp+"CreatePipeline", plARN("linked")), access("codestar-connections:PassConnection", "$CONN")}},
		{pl + "GetPipeline", `{"name":"fixture","version":1}`, "", []sluice.Access{access(cp+"GetPipeline", fixture)}},
		{pl + "PutApprovalResult", `{"pipelineName":"fixture","stageName":"Approve","actionName":"Gate","result":{"summary":"ok","status":"Approved"},"token":"$TOKEN"}`, "", []sluice.Access{access(cp+"PutApprovalResult", fixture+"/Approve/Gate")}},
		{pl + "UpdatePipeline", fixtureBody(fixturePipeline), "", []sluice.Access{access(cp+"UpdatePipeline", fixture)}},
		{pl + "ListPipelines", `{}`, "", []sluice.Access{access(cp+"ListPipelines", "*")}},
		{pl + "StartPipelineExecution", `{"name":"fixture"}`, "", []sluice.Access{access(cp+"StartPipelineExecution", fixture)}},
		{pl + "GetPipelineExecution", `{"pipelineName":"fixture","pipelineExecutionId":"$EXEC"}`, "", []sluice.Access{access(cp+"GetPipelineExecution", fixture)}},
		{pl + "ListPipelineExecutions", `{"pipelineName":"fixture"}`, "", []sluice.Access{access(cp+"ListPipelineExecutions", fixture)}},
		{pl + "GetPipelineState", `{"name":"fixture"}`, "", []sluice.Access{access(cp+"GetPipelineState", fixture)}},
		{pl + "ListActionExecutions", `{"pipelineName":"fixture","filter":{"pipelineExecutionId":"$EXEC"}}`, "", []sluice.Access{access(cp+"ListActionExecutions", fixture)}},
		{pl + "EnableStageTransition", `{"pipelineName":"fixture","stageName":"Build","transitionType":"Inbound"}`, "", []sluice.Access{access(cp+"EnableStageTransition", fixture+"/Build")}},
		{pl + "DisableStageTransition", `{"pipelineName":"fixture","stageName":"Approve","transitionType":"Outbound","reason":"hold"}`, "", []sluice.Access{access(cp+"DisableStageTransition", fixture+"/Approve")}},
		{pl + "RetryStageExecution", `{"pipelineName":"fixture","stageName":"Approve","pipelineExecutionId":"$EXEC","retryMode":"FAILED_ACTIONS"}`, "StageNotRetryableException", []sluice.Access{access(cp+"RetryStageExecution", fixture+"/Approve")}},
		{pl + "OverrideStageCondition", `{"pipelineName":"fixture","stageName":"Approve","pipelineExecutionId":"` + noSuchExecution + `","conditionType":"ON_SUCCESS"}`,
			"ConditionNotOverridableException", []sluice.Access{access(cp+"OverrideStageCondition", fixture+"/Approve")}},
		{pl + "RollbackStage", `{"pipelineName":"fixture","stageName":"Approve","targetPipelineExecutionId":"` + noSuchExecution + `"}`,
			"PipelineExecutionNotFoundException", []sluice.Access{access(cp+"RollbackStage", fixture+"/Approve")}},
		{pl + "ListRuleExecutions", `{"pipelineName":"fixture","filter":{"pipelineExecutionId":"` + noSuchExecution + `"}}`,
			"PipelineExecutionNotFoundException", []sluice.Access{access(cp+"ListRuleExecutions", fixture)}},
		{pl + "PutActionRevision", `{"pipelineName":"fixture","stageName":"Source","actionName":"Source","actionRevision":{"revisionId":"r2","revisionChangeId":"c2","created":1767225600}}`, "", []sluice.Access{access(cp+"PutActionRevision", fixture+"/Source/Source")}},
		{pl + "StopPipelineExecution", `{"pipelineName":"fixture","pipelineExecutionId":"$EXEC","abandon":true}`, "", []sluice.Access{access(cp+"StopPipelineExecution", fixture)}},
		{pl + "ListActionTypes", `{}`, "", []sluice.Access{access(cp+"ListActionTypes", "*")}},
		{pl + "GetActionType", `{"category":"Compute","owner":"AWS","provider":"Commands","version":"1"}`, "", []sluice.Access{access(cp+"GetActionType", "*")}},
		{pl + "ListRuleTypes", `{}`, "", []sluice.Access{access(cp+"ListRuleTypes", "*")}},
		{pl + "UpdateActionType", `{"actionType":{"id":{"category":"Deploy","owner":"ThirdParty","provider":"Nobody","version":"1"},"executor":{"type":"JobWorker","configuration":{"jobWorkerExecutorConfiguration":{"pollingAccounts":["111111111111"]}},"jobTimeout":600},"inputArtifactDetails":{"minimumCount":0,"maximumCount":1},"outputArtifactDetails":{"minimumCount":0,"maximumCount":0},"permissions":{"allowedAccounts":["*"]},"properties":[{"name":"P","optional":false,"key":true,"noEcho":false}],"urls":{"configurationUrl":"https://x.example.com"}}}`, "ActionTypeNotFoundException",
			[]sluice.Access{access(cp+"UpdateActionType", plARN("actiontype:ThirdParty/Deploy/Nobody/1"))}},
		{pl + "ListDeployActionExecutionTargets", `{"pipelineName":"fixture","actionExecutionId":"no-such-run"}`, "ActionExecutionNotFoundException",
			[]sluice.Access{access(cp+"ListDeployActionExecutionTargets", fixture)}},
		{pl + "TagResource", `{"resourceArn":"` + fixture + `","tags":[{"key":"team","value":"a"}]}`, "", []sluice.Access{access(cp+"TagResource", fixture)}},
		{pl + "ListTagsForResource", `{"resourceArn":"` + fixture + `"}`, "", []sluice.Access{access(cp+"ListTagsForResource", fixture)}},
		{pl + "UntagResource", `{"resourceArn":"` + fixture + `","tagKeys":["team"]}`, "", []sluice.Access{access(cp+"UntagResource", fixture)}},
		{pl + "PutWebhook", `{"webhook":{"name":"hook","targetPipeline":"fixture","targetAction":"Source","filters":[{"jsonPath":"$.ref","matchEquals":"refs/heads/main"}],` +
			`"authentication":"UNAUTHENTICATED","authenticationConfiguration":{}}}`, "", []sluice.Access{access(cp+"PutWebhook", fixture), access(cp+"PutWebhook", plARN("webhook:hook"))}},
		{pl + "ListWebhooks", `{}`, "", []sluice.Access{access(cp+"ListWebhooks", "*")}},
		{pl + "RegisterWebhookWithThirdParty", `{"webhookName":"hook"}`, "", []sluice.Access{access(cp+"RegisterWebhookWithThirdParty", plARN("webhook:hook"))}},
		{pl + "DeregisterWebhookWithThirdParty", `{"webhookName":"hook"}`, "", []sluice.Access{access(cp+"DeregisterWebhookWithThirdParty", plARN("webhook:hook"))}},
		{pl + "DeleteWebhook", `{"name":"hook"}`, "", []sluice.Access{access(cp+"DeleteWebhook", plARN("webhook:hook"))}},
		{pl + "CreateCustomActionType", customTypeBody("Made"), "", []sluice.Access{access(cp+"CreateCustomActionType", plARN("actiontype:Custom/Build/Made/1"))}},
		{pl + "DeleteCustomActionType", `{"category":"Build","provider":"Made","version":"1"}`, "", []sluice.Access{access(cp+"DeleteCustomActionType", plARN("actiontype:Custom/Build/Made/1"))}},
		{pl + "PollForJobs", `{"actionTypeId":` + customTypeJSON + `}`, "", []sluice.Access{access(cp+"PollForJobs", customARN)}},
		{pl + "AcknowledgeJob", `{"jobId":"$JOB","nonce":"$NONCE"}`, "", []sluice.Access{access(cp+"AcknowledgeJob", "*")}},
		{pl + "GetJobDetails", `{"jobId":"$JOB"}`, "", []sluice.Access{access(cp+"GetJobDetails", "*")}},
		{pl + "PutJobSuccessResult", `{"jobId":"$JOB"}`, "", []sluice.Access{access(cp+"PutJobSuccessResult", "*")}},
		{pl + "PutJobFailureResult", `{"jobId":"$JOB","failureDetails":{"type":"JobFailed","message":"late"}}`, "InvalidJobStateException", []sluice.Access{access(cp+"PutJobFailureResult", "*")}},
		{partnerTarget + "RegisterPartnerActionType", strings.Replace(customTypeBody("Partnered"), `"tags":[{"key":"team","value":"ci"}]`, `"tags":[]`, 1), "",
			[]sluice.Access{access("sluice:RegisterPartnerActionType", plARN("actiontype:ThirdParty/Build/Partnered/1"))}},
		{pl + "PollForThirdPartyJobs", `{"actionTypeId":` + partnerTypeJSON + `}`, "ActionTypeNotFoundException", []sluice.Access{access(cp+"PollForThirdPartyJobs", plARN("actiontype:ThirdParty/Test/Probe/1"))}},
		{pl + "GetThirdPartyJobDetails", `{"jobId":"$JOB","clientToken":"t"}`, "JobNotFoundException", []sluice.Access{access(cp+"GetThirdPartyJobDetails", "*")}},
		{pl + "AcknowledgeThirdPartyJob", `{"jobId":"$JOB","nonce":"$NONCE","clientToken":"t"}`, "JobNotFoundException", []sluice.Access{access(cp+"AcknowledgeThirdPartyJob", "*")}},
		{pl + "PutThirdPartyJobSuccessResult", `{"jobId":"$JOB","clientToken":"t"}`, "JobNotFoundException", []sluice.Access{access(cp+"PutThirdPartyJobSuccessResult", "*")}},
		{pl + "PutThirdPartyJobFailureResult", `{"jobId":"$JOB","clientToken":"t","failureDetails":{"type":"JobFailed","message":"late"}}`, "JobNotFoundException", []sluice.Access{access(cp+"PutThirdPartyJobFailureResult", "*")}},
		{workerTarget + "PollForWorkerJobs", `{"actionTypeIds":[{"category":"Compute","owner":"AWS","provider":"Commands","version":"1"}],"worker":"w1"}`, "", []sluice.Access{access("sluice:PollForWorkerJobs", "*")}},
		{codecommitTarget + "CreateRepository", `{"repositoryName":"made"}`, "", []sluice.Access{access("codecommit:CreateRepository", ccARN("made"))}},
		{codecommitTarget + "GetRepository", `{"repositoryName":"src"}`, "", []sluice.Access{access("codecommit:GetRepository", ccARN("src"))}},
		{codecommitTarget + "ListRepositories", `{}`, "", []sluice.Access{access("codecommit:ListRepositories", "*")}},
		{codecommitTarget + "GetBranch", `{"repositoryName":"src","branchName":"main"}`, "BranchDoesNotExistException", []sluice.Access{access("codecommit:GetBranch", ccARN("src"))}},
		{codecommitTarget + "DeleteRepository", `{"repositoryName":"made"}`, "", []sluice.Access{access("codecommit:DeleteRepository", ccARN("made"))}},
		{codebuildTarget + "CreateProject", projectBody("made"), "", []sluice.Access{access("codebuild:CreateProject", cbARN("made"))}},
		{codebuildTarget + "UpdateProject", `{"name":"` + fixtureProject + `","timeoutInMinutes":30}`, "", []sluice.Access{access("codebuild:UpdateProject", cbARN(fixtureProject))}},
		{codebuildTarget + "BatchGetProjects", `{"names":["` + fixtureProject + `","` + cbARN("made") + `","nope"]}`, "",
			[]sluice.Access{access("codebuild:BatchGetProjects", cbARN(fixtureProject)), access("codebuild:BatchGetProjects", cbARN("made")), access("codebuild:BatchGetProjects", cbARN("nope"))}},
		{codebuildTarget + "ListProjects", `{}`, "", []sluice.Access{access("codebuild:ListProjects", "*")}},
		{codebuildTarget + "DeleteProject", `{"name":"made"}`, "", []sluice.Access{access("codebuild:DeleteProject", cbARN("made"))}},
		{functionsTarget + "PutFunction", `{"name":"made","url":"https://fn.example.com/made","secret":"0123456789abcdef"}`, "", []sluice.Access{access("sluice:PutFunction", fnARN("made"))}},
		{functionsTarget + "GetFunction", `{"name":"made"}`, "", []sluice.Access{access("sluice:GetFunction", fnARN("made"))}},
		{functionsTarget + "ListFunctions", `{}`, "", []sluice.Access{access("sluice:ListFunctions", "*")}},
		{functionsTarget + "DeleteFunction", `{"name":"made"}`, "", []sluice.Access{access("sluice:DeleteFunction", fnARN("made"))}},
		{cloudtrailTarget + "LookupEvents", `{"LookupAttributes":[{"AttributeKey":"EventName","AttributeValue":"GetPipeline"}]}`, "", []sluice.Access{access("cloudtrail:LookupEvents", "*")}},
		{sluiceConnTarget + "UpdateConnectionCredentials", `{"ConnectionArn":"$CONN","Secret":"tok"}`, "", []sluice.Access{access("codestar-connections:UpdateConnectionCredentials", "$CONN")}},
		{sluiceConnTarget + "ListWebhookDeliveries", `{"ConnectionArn":"$CONN"}`, "", []sluice.Access{access("codestar-connections:ListWebhookDeliveries", "$CONN")}},
		{notificationsTarget + "ListDeliveries", `{"TargetArn":"arn:aws:sns:us-east-1:123456789012:alerts:0b5e1c55-0000-4000-8000-000000000001"}`, "",
			[]sluice.Access{access("sluice:ListDeliveries", "arn:aws:sns:us-east-1:123456789012:alerts:0b5e1c55-0000-4000-8000-000000000001")}},
	}
	cs := "codestar-connections:"
	for _, prefix := range connectionTargets { // each spelling of the service asks the same
		cases = append(cases,
			authzCase{prefix + "CreateConnection", `{"ConnectionName":"c","ProviderType":"GitHub"}`, "", []sluice.Access{access(cs+"CreateConnection", "*")}},
			authzCase{prefix + "GetConnection", `{"ConnectionArn":"$CONN"}`, "", []sluice.Access{access(cs+"GetConnection", "$CONN")}},
			authzCase{prefix + "ListConnections", `{}`, "", []sluice.Access{access(cs+"ListConnections", "*")}},
			authzCase{prefix + "DeleteConnection", `{"ConnectionArn":"` + missingConn + `"}`, "ResourceNotFoundException", []sluice.Access{access(cs+"DeleteConnection", missingConn)}},
			authzCase{prefix + "CreateHost", `{"Name":"h","ProviderType":"GitHubEnterpriseServer","ProviderEndpoint":"https://git.example.com"}`, "", []sluice.Access{access(cs+"CreateHost", "*")}},
			authzCase{prefix + "GetHost", `{"HostArn":"$HOST"}`, "", []sluice.Access{access(cs+"GetHost", "$HOST")}},
			authzCase{prefix + "ListHosts", `{}`, "", []sluice.Access{access(cs+"ListHosts", "*")}},
			authzCase{prefix + "DeleteHost", `{"HostArn":"` + missingHost + `"}`, "ResourceNotFoundException", []sluice.Access{access(cs+"DeleteHost", missingHost)}},
		)
	}
	sm, made, fixtureSecret := secretsTarget, smARN("made-AbCdEf"), smARN("fixture-AbCdEf")
	ssm, param := ssmTarget, ssmARN("app/p")
	cases = append(cases,
		authzCase{sm + "CreateSecret", `{"Name":"made","SecretString":"v"}`, "", []sluice.Access{access("secretsmanager:CreateSecret", made)}},
		authzCase{sm + "GetSecretValue", `{"SecretId":"fixture"}`, "", []sluice.Access{access("secretsmanager:GetSecretValue", fixtureSecret)}},
		authzCase{sm + "PutSecretValue", `{"SecretId":"` + fixtureSecret + `","SecretString":"v2"}`, "", []sluice.Access{access("secretsmanager:PutSecretValue", fixtureSecret)}},
		authzCase{sm + "UpdateSecret", `{"SecretId":"fixture","Description":"d"}`, "", []sluice.Access{access("secretsmanager:UpdateSecret", fixtureSecret)}},
		authzCase{sm + "DescribeSecret", `{"SecretId":"fixture"}`, "", []sluice.Access{access("secretsmanager:DescribeSecret", fixtureSecret)}},
		authzCase{sm + "ListSecrets", `{}`, "", []sluice.Access{access("secretsmanager:ListSecrets", "*")}},
		authzCase{sm + "DeleteSecret", `{"SecretId":"fixture"}`, "", []sluice.Access{access("secretsmanager:DeleteSecret", fixtureSecret)}},
		authzCase{ssm + "PutParameter", `{"Name":"/app/p","Value":"v","Type":"SecureString"}`, "", []sluice.Access{access("ssm:PutParameter", param)}},
		authzCase{ssm + "GetParameter", `{"Name":"/app/p","WithDecryption":true}`, "", []sluice.Access{access("ssm:GetParameter", param)}},
		authzCase{ssm + "GetParameters", `{"Names":["/app/p","/app/none"]}`, "",
			[]sluice.Access{access("ssm:GetParameters", param), access("ssm:GetParameters", ssmARN("app/none"))}},
		authzCase{ssm + "GetParametersByPath", `{"Path":"/app"}`, "", []sluice.Access{access("ssm:GetParametersByPath", ssmARN("app"))}},
		authzCase{ssm + "DeleteParameter", `{"Name":"/app/p"}`, "", []sluice.Access{access("ssm:DeleteParameter", param)}},
		authzCase{chatTarget + "CreateChatChannel", `{"name":"made","kind":"slack","url":"https://hooks.slack.example/services/T/B/x"}`, "",
			[]sluice.Access{access("sluice:CreateChatChannel", "arn:aws:chatbot::"+harnessAcct+":chat-configuration/slack-channel/made")}},
		authzCase{chatTarget + "ListChatChannels", `{}`, "", []sluice.Access{access("sluice:ListChatChannels", "*")}},
		authzCase{chatTarget + "DeleteChatChannel", `{"name":"made"}`, "", []sluice.Access{access("sluice:DeleteChatChannel", "*")}},
		authzCase{workerTarget + "ResolveJobSecrets", `{"jobId":"$JOB","nonce":"$NONCE","refs":[{"Source":"PARAMETER_STORE","Ref":"/app/p"}]}`,
			"InvalidNonceException", []sluice.Access{access("sluice:ResolveJobSecrets", "*")}},
	)
	ev, made, rules := eventsTarget, ebARN("rule/made"), "events:"
	cases = append(cases,
		authzCase{ev + "PutRule", `{"Name":"made","EventPattern":"{\"source\":[\"aws.codepipeline\"]}"}`, "", []sluice.Access{access(rules+"PutRule", made)}},
		authzCase{ev + "DescribeRule", `{"Name":"made"}`, "", []sluice.Access{access(rules+"DescribeRule", made)}},
		authzCase{ev + "ListRules", `{}`, "", []sluice.Access{access(rules+"ListRules", "*")}},
		authzCase{ev + "DisableRule", `{"Name":"made"}`, "", []sluice.Access{access(rules+"DisableRule", made)}},
		authzCase{ev + "EnableRule", `{"Name":"made"}`, "", []sluice.Access{access(rules+"EnableRule", made)}},
		authzCase{ev + "PutTargets", `{"Rule":"made","Targets":[{"Id":"hook","Arn":"https://example.com/hook"}]}`, "", []sluice.Access{access(rules+"PutTargets", made)}},
		authzCase{ev + "ListTargetsByRule", `{"Rule":"made"}`, "", []sluice.Access{access(rules+"ListTargetsByRule", made)}},
		authzCase{ev + "RemoveTargets", `{"Rule":"made","Ids":["hook"]}`, "", []sluice.Access{access(rules+"RemoveTargets", made)}},
		authzCase{ev + "TestEventPattern", `{"EventPattern":"{\"source\":[\"a\"]}","Event":"{\"id\":\"1\",\"account\":\"1\",\"source\":\"a\",\"time\":\"t\",\"region\":\"r\",\"detail-type\":\"d\"}"}`, "", []sluice.Access{access(rules+"TestEventPattern", "*")}},
		authzCase{ev + "PutEvents", `{"Entries":[{"Source":"app","DetailType":"d","Detail":"{}"}]}`, "", []sluice.Access{access(rules+"PutEvents", ebARN("event-bus/default"))}},
		authzCase{ev + "TagResource", `{"ResourceARN":"` + made + `","Tags":[{"Key":"team","Value":"a"}]}`, "", []sluice.Access{access(rules+"TagResource", made)}},
		authzCase{ev + "ListTagsForResource", `{"ResourceARN":"` + made + `"}`, "", []sluice.Access{access(rules+"ListTagsForResource", made)}},
		authzCase{ev + "UntagResource", `{"ResourceARN":"` + made + `","TagKeys":["team"]}`, "", []sluice.Access{access(rules+"UntagResource", made)}},
		authzCase{ev + "DeleteRule", `{"Name":"made"}`, "", []sluice.Access{access(rules+"DeleteRule", made)}},
	)
	return append(cases, authzCase{pl + "DeletePipeline", `{"name":"linked"}`, "", []sluice.Access{access(cp+"DeletePipeline", plARN("linked"))}})
}

// authzBundle is a harness whose core asks rec, with the names the cases' placeholders stand for.
type authzBundle struct {
	*harness
	rec  *apitest.AccessRecorder
	vars *strings.Replacer
}

func authzSetup(t *testing.T, deny bool) *authzBundle {
	t.Helper()
	h := newHarness(t)
	h.seedJob(t)
	conn := h.call(t, "CodeStar_connections_20191201.CreateConnection", []byte(`{"ConnectionName":"gh","ProviderType":"GitHub"}`))
	require.Equal(t, http.StatusOK, conn.status, "%s", conn.body)
	host := h.call(t, "CodeStar_connections_20191201.CreateHost", []byte(`{"Name":"ghe","ProviderType":"GitHubEnterpriseServer","ProviderEndpoint":"https://ghe.example.com"}`))
	require.Equal(t, http.StatusOK, host.status, "%s", host.body)
	var ids struct{ ConnectionArn, HostArn string }
	require.NoError(t, decode(conn.body, &ids))
	require.NoError(t, decode(host.body, &ids))
	h.srv.Service.SecretSuffix = func() string { return "AbCdEf" }
	secret := h.call(t, secretsTarget+"CreateSecret", []byte(`{"Name":"fixture","SecretString":"v1"}`))
	require.Equal(t, http.StatusOK, secret.status, "%s", secret.body)
	rec := &apitest.AccessRecorder{Deny: deny}
	h.srv.Service.Authz = rec
	return &authzBundle{harness: h, rec: rec, vars: strings.NewReplacer("$EXEC", h.exec, "$TOKEN", h.token, "$JOB", h.job,
		"$NONCE", h.nonce, "$CONN", ids.ConnectionArn, "$HOST", ids.HostArn)}
}

// expand is c with its placeholders replaced.
func (b *authzBundle) expand(c authzCase) authzCase {
	c.body = b.vars.Replace(c.body)
	want := make([]sluice.Access, len(c.want))
	for i, a := range c.want {
		want[i] = access(a.Action, b.vars.Replace(a.Resource))
	}
	c.want = want
	return c
}

func TestAuthorization(t *testing.T) {
	t.Parallel()

	t.Run("EveryOperationAsksItsActionAndResource", func(t *testing.T) {
		t.Parallel()
		b := authzSetup(t, false)
		for _, c := range authzCases() {
			c = b.expand(c)
			r := b.call(t, c.target, []byte(c.body))
			if c.err == "" {
				require.Equal(t, http.StatusOK, r.status, "%s: %s", c.target, r.body)
			} else {
				r.requireError(t, c.err)
			}
			require.Equal(t, c.want, b.rec.Take(), c.target)
		}
	})

	t.Run("DenialStopsEveryOperationFirst", func(t *testing.T) {
		t.Parallel()
		b := authzSetup(t, true)
		before := b.snapshot(t)
		for _, c := range authzCases() {
			c = b.expand(c)
			r := b.call(t, c.target, []byte(c.body))
			want := sluice.Denied(sluice.Caller{Principal: harnessPrincipal}, c.want[0], false).Message
			r.requireError(t, "AccessDeniedException")
			require.Equal(t, want, r.apiError(t).Message, c.target)
			require.Equal(t, c.want[:1], b.rec.Take(), "%s asked on after a denial", c.target)
		}
		require.Equal(t, before, b.snapshot(t), "a denied operation changed the store or the repositories")
	})

	t.Run("DeniedDeleteLeavesThePipeline", func(t *testing.T) {
		t.Parallel()
		b := authzSetup(t, true)
		b.call(t, pipelineTarget+"DeletePipeline", []byte(`{"name":"fixture"}`)).requireError(t, "AccessDeniedException")
		_, err := b.db.GetPipeline(context.Background(), fixturePipeline, 0)
		require.NoError(t, err)
	})

	t.Run("DeniedStartStartsNothing", func(t *testing.T) {
		t.Parallel()
		b := authzSetup(t, true)
		ctx := context.Background()
		before, _, err := b.db.ListExecutions(ctx, fixturePipeline, sluice.ExecutionFilter{})
		require.NoError(t, err)
		b.call(t, pipelineTarget+"StartPipelineExecution", []byte(`{"name":"fixture"}`)).requireError(t, "AccessDeniedException")
		after, _, err := b.db.ListExecutions(ctx, fixturePipeline, sluice.ExecutionFilter{})
		require.NoError(t, err)
		require.Equal(t, before, after)
	})

	t.Run("DeniedOnAMissingResourceIsDenied", func(t *testing.T) {
		t.Parallel()
		b := authzSetup(t, true) // not PipelineNotFound: a caller without access learns nothing
		b.call(t, pipelineTarget+"GetPipeline", []byte(`{"name":"nothing"}`)).requireError(t, "AccessDeniedException", plARN("nothing"))
	})

	t.Run("LogEndpoint", func(t *testing.T) {
		t.Parallel()
		for _, deny := range []bool{false, true} {
			b := authzSetup(t, deny)
			logs, err := actionlog.NewFileSink(t.TempDir(), 1<<20)
			require.NoError(t, err)
			b.srv.Logs = logs
			st, err := b.db.PipelineState(context.Background(), fixturePipeline)
			require.NoError(t, err)
			run := st.LatestActionRuns["Source/Source"]
			require.NotNil(t, run)
			for method, action := range map[string]string{http.MethodGet: "sluice:GetActionLog", http.MethodPost: "sluice:PutActionLog"} {
				body := ""
				if method == http.MethodPost {
					body = "line\n"
				}
				req := httptest.NewRequest(method, "http://sluice.test"+actionlog.URLPath(fixturePipeline, run.ID), strings.NewReader(body))
				b.sign(t, req, []byte(body))
				rec := httptest.NewRecorder()
				b.srv.LogHandler().ServeHTTP(rec, req)
				want := access(action, plARN(fixturePipeline))
				require.Equal(t, []sluice.Access{want}, b.rec.Take(), method)
				if !deny {
					require.NotEqual(t, http.StatusForbidden, rec.Code, "%s: %s", method, rec.Body)
					continue
				}
				require.Equal(t, http.StatusForbidden, rec.Code, method)
				require.Equal(t, sluice.Denied(sluice.Caller{Principal: harnessPrincipal}, want, false).Message+"\n", rec.Body.String())
			}
		}
	})

	t.Run("EveryRouteHasACase", func(t *testing.T) {
		t.Parallel()
		covered := map[string]bool{}
		for _, c := range authzCases() {
			covered[c.target] = true
		}
		for target := range (&Server{}).routes() {
			require.True(t, covered[target], "no authorization case for %s: add one to authzCases", target)
		}
	})
}

// snapshot is every row of every table of the harness's database, and the names of its
// hosted repositories.
func (h *harness) snapshot(t *testing.T) string {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(h.dir, "sluice.db")+"?mode=ro")
	require.NoError(t, err)
	defer db.Close()
	var out strings.Builder
	tables, err := db.Query(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)
	require.NoError(t, err)
	var names []string
	for tables.Next() {
		var n string
		require.NoError(t, tables.Scan(&n))
		names = append(names, n)
	}
	require.NoError(t, tables.Close())
	for _, n := range names {
		if strings.HasPrefix(n, "audit_") {
			continue // the audit trail records denials: that is not a change they made
		}
		rows, err := db.Query(`SELECT * FROM "` + n + `"`)
		require.NoError(t, err)
		cols, err := rows.Columns()
		require.NoError(t, err)
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			require.NoError(t, rows.Scan(ptrs...))
			if n == "sqlite_sequence" && vals[0] == "audit_events" {
				continue
			}
			fmt.Fprintf(&out, "%s %v\n", n, vals)
		}
		require.NoError(t, rows.Close())
	}
	repos, err := os.ReadDir(filepath.Join(h.dir, "repos"))
	require.NoError(t, err)
	for _, r := range repos {
		fmt.Fprintln(&out, "repo", r.Name())
	}
	return out.String()
}
