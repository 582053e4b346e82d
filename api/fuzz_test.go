package api

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// fuzzTargets are the operations the fuzzers call, each with a valid request. In bodies,
// $EXEC and $TOKEN stand for the fixture execution and its approval token, $JOB and $NONCE
// for the custom job (seedJob), $PJOB, $PNONCE and $PTOKEN for the partner job and its
// client's token (seedPartnerJob).
var fuzzTargets = []struct{ target, body string }{
	{pipelineTarget + "CreatePipeline", fixtureBody("created")},
	{pipelineTarget + "GetPipeline", `{"name":"fixture","version":1}`},
	{pipelineTarget + "UpdatePipeline", fixtureBody(fixturePipeline)},
	{pipelineTarget + "DeletePipeline", `{"name":"created"}`},
	{pipelineTarget + "ListPipelines", `{"maxResults":10}`},
	{pipelineTarget + "StartPipelineExecution", `{"name":"fixture","variables":[{"name":"v","value":"x"}],"clientRequestToken":"abc-1"}`},
	{pipelineTarget + "PutActionRevision", `{"pipelineName":"fixture","stageName":"Source","actionName":"Source","actionRevision":{"revisionId":"r2","revisionChangeId":"c2","created":1767225600}}`},
	{pipelineTarget + "StopPipelineExecution", `{"pipelineName":"fixture","pipelineExecutionId":"$EXEC","abandon":false,"reason":"stop it"}`},
	{pipelineTarget + "GetPipelineExecution", `{"pipelineName":"fixture","pipelineExecutionId":"$EXEC"}`},
	{pipelineTarget + "ListPipelineExecutions", `{"pipelineName":"fixture","maxResults":5,"filter":{"succeededInStage":{"stageName":"Source"}}}`},
	{pipelineTarget + "GetPipelineState", `{"name":"fixture"}`},
	{pipelineTarget + "ListActionExecutions", `{"pipelineName":"fixture","filter":{"latestInPipelineExecution":{"pipelineExecutionId":"$EXEC","startTimeRange":"Latest"}},"maxResults":2}`},
	{pipelineTarget + "RetryStageExecution", `{"pipelineName":"fixture","stageName":"Approve","pipelineExecutionId":"$EXEC","retryMode":"FAILED_ACTIONS"}`},
	{pipelineTarget + "PutApprovalResult", `{"pipelineName":"fixture","stageName":"Approve","actionName":"Gate","result":{"summary":"ok","status":"Approved"},"token":"$TOKEN"}`},
	{pipelineTarget + "OverrideStageCondition", `{"pipelineName":"fixture","stageName":"Approve","pipelineExecutionId":"$EXEC","conditionType":"BEFORE_ENTRY"}`},
	{pipelineTarget + "RollbackStage", `{"pipelineName":"fixture","stageName":"Approve","targetPipelineExecutionId":"$EXEC"}`},
	{pipelineTarget + "ListRuleExecutions", `{"pipelineName":"fixture","filter":{"pipelineExecutionId":"$EXEC"},"maxResults":5}`},
	{pipelineTarget + "EnableStageTransition", `{"pipelineName":"fixture","stageName":"Build","transitionType":"Inbound"}`},
	{pipelineTarget + "DisableStageTransition", `{"pipelineName":"fixture","stageName":"Approve","transitionType":"Outbound","reason":"Hold (for now)"}`},
	{pipelineTarget + "ListActionTypes", `{"actionOwnerFilter":"AWS"}`},
	{pipelineTarget + "GetActionType", `{"category":"Compute","owner":"AWS","provider":"Commands","version":"1"}`},
	{pipelineTarget + "ListRuleTypes", `{"ruleOwnerFilter":"AWS","regionFilter":"us-east-1"}`},
	{pipelineTarget + "UpdateActionType", `{"actionType":{"id":{"category":"Deploy","owner":"ThirdParty","provider":"Nobody","version":"1"},"executor":{"type":"JobWorker","configuration":{"jobWorkerExecutorConfiguration":{"pollingAccounts":["111111111111"]}},"jobTimeout":600},"inputArtifactDetails":{"minimumCount":0,"maximumCount":1},"outputArtifactDetails":{"minimumCount":0,"maximumCount":0},"permissions":{"allowedAccounts":["*"]},"properties":[{"name":"P","optional":false,"key":true,"noEcho":false}],"urls":{"configurationUrl":"https://x.example.com"}}}`},
	{pipelineTarget + "ListDeployActionExecutionTargets", `{"pipelineName":"fixture","actionExecutionId":"run-1","filters":[{"name":"TARGET_STATUS","values":["Succeeded"]}],"maxResults":5}`},
	{pipelineTarget + "TagResource", `{"resourceArn":"arn:aws:codepipeline:us-east-1:111111111111:fixture","tags":[{"key":"team","value":"a"}]}`},
	{pipelineTarget + "UntagResource", `{"resourceArn":"arn:aws:codepipeline:us-east-1:111111111111:fixture","tagKeys":["team"]}`},
	{pipelineTarget + "ListTagsForResource", `{"resourceArn":"arn:aws:codepipeline:us-east-1:111111111111:fixture","maxResults":1}`},
	{codecommitTarget + "CreateRepository", `{"repositoryName":"made","repositoryDescription":"d"}`},
	{codecommitTarget + "GetRepository", `{"repositoryName":"src"}`},
	{codecommitTarget + "ListRepositories", `{}`},
	{codecommitTarget + "DeleteRepository", `{"repositoryName":"made"}`},
	{codecommitTarget + "GetBranch", `{"repositoryName":"src","branchName":"main"}`},
	{codebuildTarget + "CreateProject", projectBody("made")},
	{codebuildTarget + "UpdateProject", `{"name":"` + fixtureProject + `","timeoutInMinutes":30,"environment":{"type":"LINUX_CONTAINER","image":"i","computeType":"BUILD_GENERAL1_SMALL","environmentVariables":[{"name":"A","value":"b"}]}}`},
	{codebuildTarget + "BatchGetProjects", `{"names":["` + fixtureProject + `","arn:aws:codebuild:us-east-1:111111111111:project/made","nope"]}`},
	{codebuildTarget + "ListProjects", `{"sortBy":"CREATED_TIME","sortOrder":"DESCENDING"}`},
	{codebuildTarget + "DeleteProject", `{"name":"made"}`},
	{pipelineTarget + "CreateCustomActionType", customTypeBody("Made")},
	{pipelineTarget + "DeleteCustomActionType", `{"category":"Build","provider":"` + customProvider + `","version":"1"}`},
	{pipelineTarget + "PollForJobs", `{"actionTypeId":` + customTypeJSON + `,"maxBatchSize":2,"queryParam":{"ProjectName":"app"}}`},
	{pipelineTarget + "AcknowledgeJob", `{"jobId":"$JOB","nonce":"$NONCE"}`},
	{pipelineTarget + "GetJobDetails", `{"jobId":"$JOB"}`},
	{pipelineTarget + "PutJobSuccessResult", `{"jobId":"$JOB","currentRevision":{"revision":"r1","changeIdentifier":"c1","created":1767225600,"revisionSummary":"s"},` +
		`"executionDetails":{"summary":"built","externalExecutionId":"42","percentComplete":100},"outputVariables":{"Version":"1.2.3"}}`},
	{pipelineTarget + "PutJobFailureResult", `{"jobId":"$JOB","failureDetails":{"type":"JobFailed","message":"broke","externalExecutionId":"42"}}`},
	{pipelineTarget + "PollForThirdPartyJobs", `{"actionTypeId":` + probeTypeJSON + `,"maxBatchSize":2}`},
	{pipelineTarget + "GetThirdPartyJobDetails", `{"jobId":"$PJOB","clientToken":"$PTOKEN"}`},
	{pipelineTarget + "AcknowledgeThirdPartyJob", `{"jobId":"$PJOB","nonce":"$PNONCE","clientToken":"$PTOKEN"}`},
	{pipelineTarget + "PutThirdPartyJobSuccessResult", `{"jobId":"$PJOB","clientToken":"$PTOKEN","continuationToken":"more",` +
		`"currentRevision":{"revision":"r1","changeIdentifier":"c1","created":1767225600,"revisionSummary":"s"},` +
		`"executionDetails":{"summary":"probing","externalExecutionId":"42","percentComplete":50}}`},
	{pipelineTarget + "PutThirdPartyJobFailureResult", `{"jobId":"$PJOB","clientToken":"$PTOKEN","failureDetails":{"type":"JobFailed","message":"broke","externalExecutionId":"42"}}`},
	{workerTarget + "PollForWorkerJobs", `{"actionTypeIds":[{"category":"Compute","owner":"AWS","provider":"Commands","version":"1"}],` +
		`"labels":["linux"],"maxBatchSize":1,"waitSeconds":0,"worker":"fuzz-1"}`},
	{pipelineTarget + "PutWebhook", `{"webhook":{"name":"hook","targetPipeline":"fixture","targetAction":"Source",` +
		`"filters":[{"jsonPath":"$.ref","matchEquals":"refs/heads/{BranchName}"},{"jsonPath":"$['commits'][*].id"}],` +
		`"authentication":"GITHUB_HMAC","authenticationConfiguration":{"SecretToken":"s3cret"}},"tags":[{"key":"team","value":"a"}]}`},
	{pipelineTarget + "ListWebhooks", `{"MaxResults":1}`},
	{pipelineTarget + "RegisterWebhookWithThirdParty", `{"webhookName":"hook"}`},
	{pipelineTarget + "DeregisterWebhookWithThirdParty", `{"webhookName":"hook"}`},
	{pipelineTarget + "DeleteWebhook", `{"name":"hook"}`},
	{functionsTarget + "PutFunction", `{"name":"made","url":"https://fn.example.com/made","secret":"0123456789abcdef"}`},
	{functionsTarget + "GetFunction", `{"name":"made"}`},
	{functionsTarget + "ListFunctions", `{"maxResults":1}`},
	{functionsTarget + "DeleteFunction", `{"name":"made"}`},
}

// genericExceptions may answer any operation: the protocol's and the JSON 1.1 errors.
var genericExceptions = []string{"ValidationException", "UnrecognizedClientException", "InvalidSignatureException",
	"MissingAuthenticationTokenException", "IncompleteSignatureException", "UnknownOperationException",
	"UnsupportedOperationException", "InternalFailure", "SerializationException"}

// modelExceptions are the errors the API models define for each operation: CodePipeline's,
// CodeCommit's and CodeBuild's as testdata/models/aws/errors.json has them from the models
// (TestModelExceptions keeps them in step; checkCall reads that file for those three).
var modelExceptions = map[string][]string{
	"CreatePipeline": {"ValidationException", "PipelineNameInUseException", "InvalidStageDeclarationException", "InvalidActionDeclarationException",
		"InvalidBlockerDeclarationException", "InvalidStructureException", "LimitExceededException", "TooManyTagsException", "InvalidTagsException", "ConcurrentModificationException"},
	"GetPipeline": {"ValidationException", "PipelineNotFoundException", "PipelineVersionNotFoundException"},
	"UpdatePipeline": {"ValidationException", "InvalidStageDeclarationException", "InvalidActionDeclarationException",
		"InvalidBlockerDeclarationException", "InvalidStructureException", "LimitExceededException"},
	"DeletePipeline":         {"ValidationException", "ConcurrentModificationException"},
	"ListPipelines":          {"ValidationException", "InvalidNextTokenException"},
	"StartPipelineExecution": {"ValidationException", "ConflictException", "PipelineNotFoundException", "ConcurrentPipelineExecutionsLimitExceededException"},
	"PutActionRevision": {"PipelineNotFoundException", "StageNotFoundException", "ActionNotFoundException", "ValidationException",
		"ConcurrentPipelineExecutionsLimitExceededException"},
	"StopPipelineExecution": {"ValidationException", "ConflictException", "PipelineNotFoundException", "PipelineExecutionNotStoppableException",
		"DuplicatedStopRequestException"},
	"GetPipelineExecution":   {"ValidationException", "PipelineNotFoundException", "PipelineExecutionNotFoundException"},
	"ListPipelineExecutions": {"ValidationException", "PipelineNotFoundException", "InvalidNextTokenException"},
	"GetPipelineState":       {"ValidationException", "PipelineNotFoundException"},
	"ListActionExecutions":   {"ValidationException", "PipelineNotFoundException", "InvalidNextTokenException", "PipelineExecutionNotFoundException"},
	"RetryStageExecution": {"ValidationException", "ConflictException", "PipelineNotFoundException", "StageNotFoundException", "StageNotRetryableException",
		"NotLatestPipelineExecutionException", "ConcurrentPipelineExecutionsLimitExceededException"},
	"OverrideStageCondition": {"ValidationException", "ConflictException", "PipelineNotFoundException", "StageNotFoundException",
		"ConditionNotOverridableException", "NotLatestPipelineExecutionException", "ConcurrentPipelineExecutionsLimitExceededException"},
	"RollbackStage": {"ValidationException", "ConflictException", "PipelineNotFoundException", "PipelineExecutionNotFoundException",
		"PipelineExecutionOutdatedException", "StageNotFoundException", "UnableToRollbackStageException"},
	"ListRuleExecutions": {"ValidationException", "PipelineNotFoundException", "InvalidNextTokenException", "PipelineExecutionNotFoundException"},
	"PutApprovalResult": {"InvalidApprovalTokenException", "ApprovalAlreadyCompletedException", "PipelineNotFoundException", "StageNotFoundException",
		"ActionNotFoundException", "ValidationException"},
	"EnableStageTransition":  {"ValidationException", "PipelineNotFoundException", "StageNotFoundException"},
	"DisableStageTransition": {"ValidationException", "PipelineNotFoundException", "StageNotFoundException"},
	"ListActionTypes":        {"ValidationException", "InvalidNextTokenException"},
	"GetActionType":          {"ActionTypeNotFoundException", "ValidationException"},
	"ListRuleTypes":          {"ValidationException", "InvalidNextTokenException"},
	"UpdateActionType":       {"RequestFailedException", "ValidationException", "ActionTypeNotFoundException"},
	"ListDeployActionExecutionTargets": {"ValidationException", "PipelineNotFoundException", "InvalidNextTokenException",
		"ActionExecutionNotFoundException"},
	"TagResource": {"ValidationException", "ResourceNotFoundException", "InvalidArnException", "TooManyTagsException", "InvalidTagsException",
		"ConcurrentModificationException"},
	"UntagResource":       {"ValidationException", "ResourceNotFoundException", "InvalidArnException", "InvalidTagsException", "ConcurrentModificationException"},
	"ListTagsForResource": {"ValidationException", "ResourceNotFoundException", "InvalidNextTokenException", "InvalidArnException"},
	"PutWebhook": {"ValidationException", "LimitExceededException", "InvalidWebhookFilterPatternException",
		"InvalidWebhookAuthenticationParametersException", "PipelineNotFoundException", "TooManyTagsException", "InvalidTagsException",
		"ConcurrentModificationException"},
	"ListWebhooks":                    {"ValidationException", "InvalidNextTokenException"},
	"DeleteWebhook":                   {"ValidationException", "ConcurrentModificationException"},
	"RegisterWebhookWithThirdParty":   {"ValidationException", "WebhookNotFoundException"},
	"DeregisterWebhookWithThirdParty": {"ValidationException", "WebhookNotFoundException"},
	"CreateRepository": {"RepositoryNameExistsException", "RepositoryNameRequiredException", "InvalidRepositoryNameException",
		"InvalidRepositoryDescriptionException", "RepositoryLimitExceededException"},
	"GetRepository":    {"RepositoryNameRequiredException", "RepositoryDoesNotExistException", "InvalidRepositoryNameException"},
	"ListRepositories": {"InvalidSortByException", "InvalidOrderException", "InvalidContinuationTokenException"},
	"DeleteRepository": {"RepositoryNameRequiredException", "InvalidRepositoryNameException"},
	"GetBranch": {"RepositoryNameRequiredException", "RepositoryDoesNotExistException", "InvalidRepositoryNameException",
		"BranchNameRequiredException", "InvalidBranchNameException", "BranchDoesNotExistException"},
	// CodeBuild's, from botocore's codebuild/2016-10-06/service-2.json.
	"CreateProject":    {"InvalidInputException", "ResourceAlreadyExistsException", "AccountLimitExceededException"},
	"UpdateProject":    {"InvalidInputException", "ResourceNotFoundException"},
	"BatchGetProjects": {"InvalidInputException"},
	"ListProjects":     {"InvalidInputException"},
	"DeleteProject":    {"InvalidInputException"},
	// The job-worker operations'.
	"CreateCustomActionType":        {"ValidationException", "LimitExceededException", "TooManyTagsException", "InvalidTagsException", "ConcurrentModificationException"},
	"DeleteCustomActionType":        {"ValidationException", "ConcurrentModificationException"},
	"PollForJobs":                   {"ValidationException", "ActionTypeNotFoundException"},
	"AcknowledgeJob":                {"ValidationException", "InvalidNonceException", "JobNotFoundException"},
	"GetJobDetails":                 {"ValidationException", "JobNotFoundException"},
	"PutJobSuccessResult":           {"ValidationException", "JobNotFoundException", "InvalidJobStateException", "OutputVariablesSizeExceededException"},
	"PutJobFailureResult":           {"ValidationException", "JobNotFoundException", "InvalidJobStateException"},
	"PollForThirdPartyJobs":         {"ActionTypeNotFoundException", "ValidationException"},
	"AcknowledgeThirdPartyJob":      {"ValidationException", "InvalidNonceException", "JobNotFoundException", "InvalidClientTokenException"},
	"GetThirdPartyJobDetails":       {"JobNotFoundException", "ValidationException", "InvalidClientTokenException", "InvalidJobException"},
	"PutThirdPartyJobSuccessResult": {"ValidationException", "JobNotFoundException", "InvalidJobStateException", "InvalidClientTokenException"},
	"PutThirdPartyJobFailureResult": {"ValidationException", "JobNotFoundException", "InvalidJobStateException", "InvalidClientTokenException"},
	// Sluice's own worker protocol has no model: only the generic exceptions.
	"PollForWorkerJobs": {},
	// Sluice's own function registry, named as Lambda names its errors.
	"PutFunction":    {"ValidationException"},
	"GetFunction":    {"ValidationException", "ResourceNotFoundException"},
	"ListFunctions":  {"ValidationException", "InvalidNextTokenException"},
	"DeleteFunction": {"ValidationException", "ResourceNotFoundException"},
}

// modelDeviations are exceptions an operation answers although its model does not define
// them, each kept on purpose (see the comment on each).
var modelDeviations = map[string][]string{
	// None: RetryStageExecution of an unknown execution and UpdatePipeline of an unknown
	// pipeline answered PipelineExecutionNotFound and PipelineNotFound, which their models do
	// not list; they answer StageNotRetryable and ValidationException now (api/unmodelled.go).
}

// badBodies are bodies no operation accepts as they are, or accepts only by ignoring them.
func badBodies() []string {
	deep := strings.Repeat("[", 10001) + strings.Repeat("]", 10001) // encoding/json refuses nesting deeper than 10000
	return []string{
		"", " ", "{", "}", "null", "[]", `"x"`, "1", "true", `{"a":`, `{"name":"fixture"`, `{"name":}`, "{,}", "\x00", "\xff\xfe",
		`{"name":123}`, `{"name":{}}`, `{"name":[]}`, `{"name":null}`, `{"name":true}`, `{"name":"fixture","name":"x"}`,
		`{"maxResults":"10"}`, `{"maxResults":1e400}`, `{"maxResults":99999999999999999999}`, `{"maxResults":-1}`, `{"maxResults":1.5}`,
		`{"version":0}`, `{"version":-9223372036854775808}`, `{"version":9223372036854775807}`, `{"nextToken":"` + strings.Repeat("A", 3000) + `"}`,
		`{"name":"` + strings.Repeat("n", 101) + `"}`, `{"name":"bad name!"}`, `{"name":"é—☃"}`, `{"name":"a\u0000b"}`, "{\"name\":\"a\x00b\"}",
		`{"name":"\ud800"}`, "{\"name\":\"\xff\"}", `{"pipelineName":"fixture","pipelineExecutionId":"../../etc"}`,
		`{"pipeline":` + deep + `}`, deep, `{"pipeline":{}}`, `{"pipeline":[]}`, `{"pipeline":"x"}`, `{"pipeline":{"stages":{}}}`,
		`{"pipeline":{"name":"p","roleArn":"r","stages":[{"name":"s","actions":[{}]}]}}`,
		`{"tags":{}}`, `{"tags":[{}]}`, `{"tags":"x"}`, `{"resourceArn":"arn:aws:codepipeline:us-east-1:111111111111:"}`,
		`{"webhook":{}}`, `{"webhook":{"filters":[{}]}}`, `{"webhook":{"filters":[{"jsonPath":"$["}]}}`, `{"webhookName":"bad name!"}`,
		`{"NextToken":"x"}`, `{"MaxResults":0}`,
		`{"repositoryName":"../x"}`, `{"repositoryName":"src","branchName":"a\u0000b"}`, `{"repositoryName":"src","branchName":"--help"}`,
	}
}

// wrongTypes replaces each top-level member of a valid body with values of other JSON types.
func wrongTypes(body string) []string {
	var m map[string]json.RawMessage
	if json.Unmarshal([]byte(body), &m) != nil {
		return nil
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var out []string
	for _, k := range keys {
		for _, v := range []string{`123`, `"x"`, `[]`, `{}`, `null`, `true`, `1e400`, `[[[{}]]]`} {
			c := map[string]json.RawMessage{}
			for k2, v2 := range m {
				c[k2] = v2
			}
			c[k] = json.RawMessage(v)
			b, _ := json.Marshal(c) // raw messages of valid JSON always encode
			out = append(out, string(b))
		}
	}
	return out
}

// TestOperationsSurviveBadBodies sends every operation its valid body cut short, each member
// replaced by other JSON types, and every bad body: each answer keeps checkCall's promises.
// (It was a fuzz target through a whole server, about 40 inputs a second; the parsers are
// fuzzed directly now, by FuzzDecode here and the targets bench/fuzz.sh lists.)
func TestOperationsSurviveBadBodies(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.seedJob(t)
	p := h.seedPartnerJob(t)
	for _, ft := range fuzzTargets {
		bodies := append([]string{ft.body, ft.body[:len(ft.body)/2]}, wrongTypes(ft.body)...)
		for _, body := range append(bodies, badBodies()...) {
			b := []byte(body)
			for _, r := range [][2]string{{"$EXEC", h.exec}, {"$TOKEN", h.token}, {"$JOB", h.job}, {"$NONCE", h.nonce},
				{"$PJOB", p.job}, {"$PNONCE", p.nonce}, {"$PTOKEN", p.token}} {
				b = bytes.ReplaceAll(b, []byte(r[0]), []byte(r[1]))
			}
			h.checkCall(t, ft.target, b)
			h.restore(t)
		}
	}
}

// TestCreatePipelineBadBodies sends the corpus pipelines, whole and cut short, and bad
// bodies to CreatePipeline and UpdatePipeline; a refused one must leave the pipelines as
// they were.
func TestCreatePipelineBadBodies(t *testing.T) {
	t.Parallel()
	bodies := [][]byte{[]byte(fixtureBody("created")), []byte(fixtureBody(fixturePipeline))}
	for _, b := range corpusBodies(t) {
		bodies = append(bodies, b, b[:len(b)/2])
	}
	for _, b := range append(badBodies(), wrongTypes(fixtureBody("created"))...) {
		bodies = append(bodies, []byte(b))
	}
	h := newHarness(t)
	for _, body := range bodies {
		before := h.pipelines(t)
		created := h.checkCall(t, pipelineTarget+"CreatePipeline", body)
		if created.status != http.StatusOK {
			require.Equal(t, before, h.pipelines(t), "a refused CreatePipeline changed the pipelines")
		}
		before = h.pipelines(t)
		if updated := h.checkCall(t, pipelineTarget+"UpdatePipeline", body); updated.status != http.StatusOK {
			require.Equal(t, before, h.pipelines(t), "a refused UpdatePipeline changed the pipelines")
		}
		if created.status == http.StatusOK {
			var out struct {
				Pipeline struct {
					Name string `json:"name"`
				} `json:"pipeline"`
			}
			require.NoError(t, json.Unmarshal(created.body, &out))
			name, _ := json.Marshal(map[string]string{"name": out.Pipeline.Name})
			h.checkCall(t, pipelineTarget+"GetPipeline", name)
			h.checkCall(t, pipelineTarget+"GetPipelineState", name)
			require.Equal(t, http.StatusOK, h.checkCall(t, pipelineTarget+"DeletePipeline", name).status)
		}
	}
}

// corpusBodies are the shared corpus pipelines, each a CreatePipeline body ({"pipeline": …}).
func corpusBodies(tb testing.TB) [][]byte {
	files, err := filepath.Glob(filepath.Join("..", "..", "shared", "corpus", "pipelines", "*.json"))
	require.NoError(tb, err)
	invalid, err := filepath.Glob(filepath.Join("..", "..", "shared", "corpus", "pipelines", "invalid", "*.json"))
	require.NoError(tb, err)
	var out [][]byte
	for _, name := range append(files, invalid...) {
		b, err := os.ReadFile(name)
		require.NoError(tb, err)
		out = append(out, b)
	}
	return out
}

// checkCall serves one request and checks the promises every answer keeps: no panic, 200 or
// 400, a JSON body, and on error a __type the operation may return with a message.
func (h *harness) checkCall(t *testing.T, target string, body []byte) *response {
	t.Helper()
	r := h.call(t, target, body)
	require.NotContains(t, h.log.String(), "panic in handler", "request %s panicked", r.reqID)
	require.Contains(t, []int{http.StatusOK, http.StatusBadRequest}, r.status, "%s %q answered %d: %s", target, body, r.status, r.body)
	require.True(t, json.Valid(r.body), "%s answered with invalid JSON: %q", target, r.body)
	requireNoNulls(t, target, r.body)
	if r.status == http.StatusOK {
		return r
	}
	e := r.apiError(t)
	_, op, _ := strings.Cut(target, ".")
	allowed := append(append(append([]string{}, genericExceptions...), modelExceptions[op]...), modelDeviations[op]...)
	if model, ok := modelErrorsOf(t, target); ok { // the model's own list decides (modelerrors_test.go)
		allowed = append(protocolExceptions(target), append(model, modelDeviations[op]...)...)
	}
	require.Contains(t, allowed, e.Type, "%s %q answered an exception its model does not define: %s", target, body, r.body)
	return r
}

// pipelines is the visible state of every pipeline: ListPipelines and each declaration.
func (h *harness) pipelines(t *testing.T) string {
	t.Helper()
	list := h.call(t, pipelineTarget+"ListPipelines", nil)
	require.Equal(t, http.StatusOK, list.status, "%s", list.body)
	var out struct {
		Pipelines []struct {
			Name string `json:"name"`
		} `json:"pipelines"`
	}
	require.NoError(t, json.Unmarshal(list.body, &out))
	var sb strings.Builder
	sb.Write(list.body)
	for _, p := range out.Pipelines {
		name, _ := json.Marshal(map[string]string{"name": p.Name})
		get := h.call(t, pipelineTarget+"GetPipeline", name)
		require.Equal(t, http.StatusOK, get.status, "%s", get.body)
		sb.Write(get.body)
	}
	return sb.String()
}
