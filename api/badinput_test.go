package api

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice/validate"
)

// badInput is a request every operation must refuse with the exception named, HTTP 400, and
// a message containing each of parts.
type badInput struct {
	name, op, body string
	exception      string
	parts          []string
}

// editedFixture is the fixture declaration named name, changed by edit, as a request body.
func editedFixture(t *testing.T, name string, edit func(p map[string]any)) string {
	t.Helper()
	var body map[string]map[string]any
	require.NoError(t, json.Unmarshal([]byte(fixtureBody(name)), &body))
	edit(body["pipeline"])
	b, err := json.Marshal(body)
	require.NoError(t, err)
	return string(b)
}

func pipelineCases(t *testing.T, op, name string) []badInput {
	stages := func(p map[string]any) []any { return p["stages"].([]any) }
	fixture := func(edit func(p map[string]any)) string { return editedFixture(t, name, edit) }
	return []badInput{
		{"ErrPipelineRequired", op, `{}`, "ValidationException", []string{"'pipeline'"}},
		{"ErrMembersRequired", op, `{"pipeline":{}}`, "ValidationException", []string{"3 validation errors", "pipeline.name", "pipeline.roleArn", "pipeline.stages"}},
		{"ErrNamePattern", op, fixture(func(p map[string]any) { p["name"] = "bad name!" }), "ValidationException", []string{"pipeline.name", "regular expression"}},
		{"ErrNameLength", op, fixture(func(p map[string]any) { p["name"] = strings.Repeat("n", 101) }), "ValidationException", []string{"pipeline.name", "100"}},
		{"ErrExecutionMode", op, fixture(func(p map[string]any) { p["executionMode"] = "FAST" }), "ValidationException", []string{"pipeline.executionMode", "FAST"}},
		{"ErrPipelineType", op, fixture(func(p map[string]any) { p["pipelineType"] = "V3" }), "ValidationException", []string{"pipeline.pipelineType", "V3"}},
		{"ErrRetryMode", op, fixture(func(p map[string]any) {
			stages(p)[1].(map[string]any)["onFailure"] = map[string]any{"result": "RETRY", "retryConfiguration": map[string]any{"retryMode": "SOME_ACTIONS"}}
		}), "ValidationException", []string{"retryMode", "SOME_ACTIONS"}},
		{"ErrStagesObject", op, fixture(func(p map[string]any) { p["stages"] = map[string]any{} }), "SerializationException", []string{"pipeline.stages", "list"}},
		{"ErrVersionString", op, fixture(func(p map[string]any) { p["version"] = "2" }), "SerializationException", []string{"pipeline.version", "integer"}},
		{"ErrRunOrderHuge", op, strings.Replace(fixtureBody(name), `"name":"Gate",`, `"name":"Gate","runOrder":1e400,`, 1), "SerializationException", []string{"runOrder"}},
		{"ErrActionNameNumber", op, strings.Replace(fixtureBody(name), `"name":"Gate"`, `"name":7`, 1), "SerializationException", []string{"pipeline.stages.actions.name", "string"}},
		{"ErrRunOrderZero", op, strings.Replace(fixtureBody(name), `"name":"Gate",`, `"name":"Gate","runOrder":0,`, 1), "ValidationException",
			[]string{"1 validation error", "Value '0' at 'pipeline.stages.2.member.actions.1.member.runOrder'", "greater than or equal to 1"}},
		{"ErrZeroMembers", op, strings.Replace(fixtureBody(name), `"name":"Gate",`, `"name":"Gate","timeoutInMinutes":0,"namespace":"","outputVariables":[],`, 1), "ValidationException",
			[]string{"4 validation errors", "Value '0' at 'pipeline.stages.2.member.actions.1.member.timeoutInMinutes'",
				"Value '' at 'pipeline.stages.2.member.actions.1.member.namespace'", "'pipeline.stages.2.member.actions.1.member.outputVariables'"}},
		{"ErrDuplicateStage", op, fixture(func(p map[string]any) { stages(p)[2].(map[string]any)["name"] = "Approve" }), "InvalidStageDeclarationException", []string{"Approve"}},
		{"ErrTruncated", op, fixtureBody(name)[:200], "SerializationException", []string{"not valid JSON"}},
	}
}

func operationCases(t *testing.T, h *harness) []badInput {
	long := strings.Repeat("n", 101)
	arn := `"resourceArn":"arn:aws:codepipeline:us-east-1:111111111111:fixture"`
	cases := []badInput{
		{"ErrNameInUse", "CreatePipeline", fixtureBody(fixturePipeline), "PipelineNameInUseException", []string{fixturePipeline}},
		{"ErrTagsObject", "CreatePipeline", strings.Replace(fixtureBody("tags"), `{"pipeline"`, `{"tags":{},"pipeline"`, 1), "SerializationException", []string{"tags", "list"}},
		{"ErrSystemTag", "CreatePipeline", strings.Replace(fixtureBody("tags"), `{"pipeline"`, `{"tags":[{"key":"aws:x","value":"y"}],"pipeline"`, 1), "InvalidTagsException", []string{"aws:"}},
		{"ErrNameRequired", "GetPipeline", `{}`, "ValidationException", []string{"'name'", "must not be null"}},
		{"ErrNameNumber", "GetPipeline", `{"name":5}`, "SerializationException", []string{"'name'", "string"}},
		{"ErrNamePattern", "GetPipeline", `{"name":"bad name!"}`, "ValidationException", []string{"'name'", "regular expression"}},
		{"ErrNameLength", "GetPipeline", `{"name":"` + long + `"}`, "ValidationException", []string{"'name'", "100"}},
		{"ErrVersionString", "GetPipeline", `{"name":"fixture","version":"1"}`, "SerializationException", []string{"'version'", "integer"}},
		{"ErrVersionZero", "GetPipeline", `{"name":"fixture","version":0}`, "ValidationException", []string{"'version'"}},
		{"ErrNameRequired", "DeletePipeline", `{}`, "ValidationException", []string{"'name'"}},
		{"ErrNamePattern", "DeletePipeline", `{"name":"a/b"}`, "ValidationException", []string{"'name'", "regular expression"}},
		{"ErrMaxResultsString", "ListPipelines", `{"maxResults":"10"}`, "SerializationException", []string{"maxResults", "integer"}},
		{"ErrMaxResultsHuge", "ListPipelines", `{"maxResults":99999999999999999999}`, "SerializationException", []string{"maxResults"}},
		{"ErrMaxResultsZero", "ListPipelines", `{"maxResults":0}`, "ValidationException", []string{"maxResults"}},
		{"ErrNextTokenLength", "ListPipelines", `{"nextToken":"` + strings.Repeat("t", 2049) + `"}`, "ValidationException", []string{"nextToken", "2048"}},
		{"ErrNameRequired", "StartPipelineExecution", `{}`, "ValidationException", []string{"'name'"}},
		{"ErrVariablesObject", "StartPipelineExecution", `{"name":"fixture","variables":{}}`, "SerializationException", []string{"variables", "list"}},
		{"ErrVariableValueRequired", "StartPipelineExecution", `{"name":"fixture","variables":[{"name":"v"}]}`, "ValidationException", []string{"variables.1.member.value"}},
		{"ErrVariableName", "StartPipelineExecution", `{"name":"fixture","variables":[{"name":"a b","value":"x"}]}`, "ValidationException", []string{"variables.1.member.name"}},
		{"ErrTooManyVariables", "StartPipelineExecution", `{"name":"fixture","variables":[` + strings.Repeat(`{"name":"v","value":"x"},`, 50) + `{"name":"v","value":"x"}]}`, "ValidationException", []string{"'variables'", "50"}},
		{"ErrClientToken", "StartPipelineExecution", `{"name":"fixture","clientRequestToken":"not a token!"}`, "ValidationException", []string{"clientRequestToken"}},
		{"ErrMembersRequired", "StopPipelineExecution", `{}`, "ValidationException", []string{"2 validation errors", "pipelineName", "pipelineExecutionId"}},
		{"ErrExecutionID", "StopPipelineExecution", `{"pipelineName":"fixture","pipelineExecutionId":"../x"}`, "ValidationException", []string{"pipelineExecutionId", "regular expression"}},
		{"ErrAbandonString", "StopPipelineExecution", `{"pipelineName":"fixture","pipelineExecutionId":"` + h.exec + `","abandon":"yes"}`, "SerializationException", []string{"abandon", "boolean"}},
		{"ErrReasonLength", "StopPipelineExecution", `{"pipelineName":"fixture","pipelineExecutionId":"` + h.exec + `","reason":"` + strings.Repeat("é", 201) + `"}`, "ValidationException", []string{"reason", "200"}},
		{"ErrMembersRequired", "GetPipelineExecution", `{}`, "ValidationException", []string{"pipelineName", "pipelineExecutionId"}},
		{"ErrNameRequired", "ListPipelineExecutions", `{}`, "ValidationException", []string{"pipelineName"}},
		{"ErrMaxResults", "ListPipelineExecutions", `{"pipelineName":"fixture","maxResults":101}`, "ValidationException", []string{"maxResults", "100"}},
		{"ErrFilterList", "ListPipelineExecutions", `{"pipelineName":"fixture","filter":[]}`, "SerializationException", []string{"filter", "object"}},
		{"ErrNameRequired", "GetPipelineState", `{}`, "ValidationException", []string{"'name'"}},
		{"ErrNameLength", "GetPipelineState", `{"name":"` + long + `"}`, "ValidationException", []string{"'name'", "100"}},
		{"ErrNameRequired", "ListActionExecutions", `{}`, "ValidationException", []string{"pipelineName"}},
		{"ErrStartTimeRangeRequired", "ListActionExecutions", `{"pipelineName":"fixture","filter":{"latestInPipelineExecution":{"pipelineExecutionId":"` + h.exec + `"}}}`, "ValidationException", []string{"filter.latestInPipelineExecution.startTimeRange"}},
		{"ErrStartTimeRange", "ListActionExecutions", `{"pipelineName":"fixture","filter":{"latestInPipelineExecution":{"pipelineExecutionId":"` + h.exec + `","startTimeRange":"Newest"}}}`, "ValidationException", []string{"startTimeRange", "Newest"}},
		{"ErrMembersRequired", "RetryStageExecution", `{}`, "ValidationException", []string{"4 validation errors", "pipelineName", "stageName", "pipelineExecutionId", "retryMode"}},
		{"ErrRetryMode", "RetryStageExecution", `{"pipelineName":"fixture","stageName":"Approve","pipelineExecutionId":"` + h.exec + `","retryMode":"SOME_ACTIONS"}`, "ValidationException", []string{"retryMode", "SOME_ACTIONS"}},
		{"ErrMembersRequired", "PutApprovalResult", `{}`, "ValidationException", []string{"pipelineName", "stageName", "actionName", "'result'", "token"}},
		{"ErrStatus", "PutApprovalResult", `{"pipelineName":"fixture","stageName":"Approve","actionName":"Gate","result":{"summary":"","status":"Maybe"},"token":"` + h.token + `"}`, "ValidationException", []string{"result.status", "Maybe"}},
		{"ErrSummaryRequired", "PutApprovalResult", `{"pipelineName":"fixture","stageName":"Approve","actionName":"Gate","result":{"status":"Approved"},"token":"` + h.token + `"}`, "ValidationException", []string{"result.summary"}},
		{"ErrResultString", "PutApprovalResult", `{"pipelineName":"fixture","stageName":"Approve","actionName":"Gate","result":"Approved","token":"` + h.token + `"}`, "SerializationException", []string{"result", "object"}},
		{"ErrMembersRequired", "EnableStageTransition", `{}`, "ValidationException", []string{"pipelineName", "stageName", "transitionType"}},
		{"ErrTransitionType", "EnableStageTransition", `{"pipelineName":"fixture","stageName":"Build","transitionType":"Sideways"}`, "ValidationException", []string{"transitionType", "Sideways"}},
		{"ErrReasonRequired", "DisableStageTransition", `{"pipelineName":"fixture","stageName":"Build","transitionType":"Inbound"}`, "ValidationException", []string{"'reason'"}},
		{"ErrReasonPattern", "DisableStageTransition", `{"pipelineName":"fixture","stageName":"Build","transitionType":"Inbound","reason":"ticket #12"}`, "ValidationException", []string{"'reason'", "regular expression"}},
		{"ErrOwnerFilter", "ListActionTypes", `{"actionOwnerFilter":"Amazon"}`, "ValidationException", []string{"actionOwnerFilter", "Amazon"}},
		{"ErrRegionFilter", "ListActionTypes", `{"regionFilter":"us"}`, "ValidationException", []string{"regionFilter"}},
		{"ErrRuleOwnerFilter", "ListRuleTypes", `{"ruleOwnerFilter":"Custom"}`, "ValidationException", []string{"ruleOwnerFilter", "Custom", "[AWS]"}},
		{"ErrRuleRegionFilter", "ListRuleTypes", `{"regionFilter":"us"}`, "ValidationException", []string{"regionFilter"}},
		{"ErrActionTypeRequired", "UpdateActionType", `{}`, "ValidationException", []string{"actionType"}},
		{"ErrDeclarationMembersRequired", "UpdateActionType", `{"actionType":{"properties":[{"name":"P"}]}}`, "ValidationException",
			[]string{"actionType.executor", "actionType.id", "actionType.inputArtifactDetails", "actionType.outputArtifactDetails", "actionType.properties.1.member.optional", "actionType.properties.1.member.noEcho"}},
		{"ErrExecutorType", "UpdateActionType", `{"actionType":{"executor":{"type":"Robot","configuration":{}},"id":{"category":"Deploy","owner":"Custom","provider":"P","version":"1"},"inputArtifactDetails":{"minimumCount":0,"maximumCount":1},"outputArtifactDetails":{"minimumCount":0,"maximumCount":0}}}`,
			"ValidationException", []string{"actionType.executor.type", "actionType.id.owner"}},
		{"ErrActionExecutionIDRequired", "ListDeployActionExecutionTargets", `{"pipelineName":"fixture"}`, "ValidationException", []string{"actionExecutionId"}},
		{"ErrTargetFilterName", "ListDeployActionExecutionTargets", `{"actionExecutionId":"r","filters":[{"name":"STATUS"}]}`, "ValidationException", []string{"filters.1.member.name", "[TARGET_STATUS]"}},
		{"ErrTargetFilterValue", "ListDeployActionExecutionTargets", `{"actionExecutionId":"r","filters":[{"name":"TARGET_STATUS","values":[""]}]}`, "ValidationException", []string{"filters.1.member.values.1.member"}},
		{"ErrTargetsMaxResults", "ListDeployActionExecutionTargets", `{"actionExecutionId":"r","maxResults":0}`, "ValidationException", []string{"maxResults"}},
		{"ErrMembersRequired", "GetActionType", `{}`, "ValidationException", []string{"category", "owner", "provider", "version"}},
		{"ErrCategory", "GetActionType", `{"category":"Cook","owner":"AWS","provider":"Commands","version":"1"}`, "ValidationException", []string{"category", "Cook"}},
		{"ErrTagsRequired", "TagResource", `{` + arn + `}`, "ValidationException", []string{"'tags'"}},
		{"ErrTagsObject", "TagResource", `{` + arn + `,"tags":{"a":"b"}}`, "SerializationException", []string{"tags", "list"}},
		{"ErrTagKeysRequired", "UntagResource", `{` + arn + `}`, "ValidationException", []string{"'tagKeys'"}},
		{"ErrTagKeysString", "UntagResource", `{` + arn + `,"tagKeys":"a"}`, "SerializationException", []string{"tagKeys", "list"}},
		{"ErrArnRequired", "ListTagsForResource", `{}`, "ValidationException", []string{"resourceArn"}},
		{"ErrNameRequired", "CreateRepository", `{}`, "RepositoryNameRequiredException", []string{"repositoryName"}},
		{"ErrName", "CreateRepository", `{"repositoryName":"a b"}`, "InvalidRepositoryNameException", []string{"a b"}},
		{"ErrDescription", "CreateRepository", `{"repositoryName":"long","repositoryDescription":"` + strings.Repeat("d", 1001) + `"}`, "InvalidRepositoryDescriptionException", []string{"repositoryDescription"}},
		{"ErrName", "GetRepository", `{"repositoryName":"a b"}`, "InvalidRepositoryNameException", []string{"a b"}},
		{"ErrNameDotGit", "GetRepository", `{"repositoryName":"src.git"}`, "InvalidRepositoryNameException", []string{"src.git"}},
		{"ErrNameLength", "GetRepository", `{"repositoryName":"` + long + `"}`, "InvalidRepositoryNameException", []string{long}},
		{"ErrNameRequired", "GetRepository", `{}`, "RepositoryNameRequiredException", []string{"repositoryName"}},
		{"ErrName", "DeleteRepository", `{"repositoryName":"../src"}`, "InvalidRepositoryNameException", []string{"../src"}},
		{"ErrNameRequired", "DeleteRepository", `{}`, "RepositoryNameRequiredException", []string{"repositoryName"}},
		{"ErrName", "GetBranch", `{"repositoryName":"a/b","branchName":"main"}`, "InvalidRepositoryNameException", []string{"a/b"}},
		{"ErrNameRequired", "GetBranch", `{"branchName":"main"}`, "RepositoryNameRequiredException", []string{"repositoryName"}},
		{"ErrBranchRequired", "GetBranch", `{"repositoryName":"src"}`, "BranchNameRequiredException", []string{"branchName"}},
		{"ErrBranchNUL", "GetBranch", `{"repositoryName":"src","branchName":"a\u0000b"}`, "InvalidBranchNameException", []string{"branchName"}},
		{"ErrBranchDots", "GetBranch", `{"repositoryName":"src","branchName":"a..b"}`, "InvalidBranchNameException", []string{"a..b"}},
	}
	many := func(op, prefix, item, suffix string, parts ...string) badInput {
		return badInput{"ErrManyViolations", op, prefix + strings.Repeat(item+",", 99999) + item + suffix, "ValidationException", parts}
	}
	cases = append(cases,
		many("CreatePipeline", `{"pipeline":{"name":"many","roleArn":"r","stages":[{"name":"s","actions":[`, `{}`, `]}]}}`,
			"500000 validation errors detected", "and 499975 more"),
		many("StartPipelineExecution", `{"name":"fixture","variables":[`, `{}`, `]}`,
			"200001 validation errors detected", "and 199976 more"))
	cases = append(cases, pipelineCases(t, "CreatePipeline", "created")...)
	return append(cases, pipelineCases(t, "UpdatePipeline", fixturePipeline)...)
}

// targetOf is the X-Amz-Target of an operation.
func targetOf(op string) string {
	for _, ft := range fuzzTargets {
		if strings.HasSuffix(ft.target, "."+op) {
			return ft.target
		}
	}
	return pipelineTarget + op
}

// TestBadInput sends each operation requests it must refuse, and checks that the refused
// Create/UpdatePipeline calls left the pipelines as they were.
func TestBadInput(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.seedJob(t)
	for _, c := range append(operationCases(t, h), jobCases(h)...) {
		t.Run(c.op+"/"+c.name, func(t *testing.T) {
			t.Parallel()
			before := h.pipelines(t)
			r := h.call(t, targetOf(c.op), []byte(c.body))
			r.requireError(t, c.exception, c.parts...)
			require.Less(t, len(r.body), 64<<10, "a short request makes a long answer")
			require.Equal(t, before, h.pipelines(t), "a refused call changed the pipelines")
			require.NotContains(t, h.log.String(), "panic in handler")
		})
	}
}

// TestBadRequest covers what goes wrong before an operation runs: method, size, target,
// signature.
func TestBadRequest(t *testing.T) {
	t.Parallel()
	h := newHarness(t)

	send := func(t *testing.T, method, target string, body []byte, sign bool) *response {
		t.Helper()
		req := httptest.NewRequest(method, "http://sluice.test/", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/x-amz-json-1.1")
		if target != "" {
			req.Header.Set("X-Amz-Target", target)
		}
		if sign {
			h.sign(t, req, body)
		}
		return h.serve(req)
	}

	t.Run("ErrMethod", func(t *testing.T) {
		t.Parallel()
		send(t, http.MethodGet, pipelineTarget+"ListPipelines", nil, true).requireError(t, "ValidationException", "POST", "GET")
	})

	t.Run("ErrBodyTooLarge", func(t *testing.T) {
		t.Parallel()
		before := h.pipelines(t)
		body := []byte(`{"pipeline":{"name":"huge","roleArn":"` + strings.Repeat("r", maxBody) + `"}}`)
		send(t, http.MethodPost, pipelineTarget+"CreatePipeline", body, true).requireError(t, "ValidationException", "larger than")
		require.Equal(t, before, h.pipelines(t))
	})

	t.Run("ErrTargetMissing", func(t *testing.T) {
		t.Parallel()
		send(t, http.MethodPost, "", []byte(`{}`), true).requireError(t, "UnknownOperationException")
	})

	t.Run("ErrTargetUnknown", func(t *testing.T) {
		t.Parallel()
		send(t, http.MethodPost, pipelineTarget+"Frobnicate", []byte(`{}`), true).requireError(t, "UnknownOperationException", "Frobnicate")
		send(t, http.MethodPost, "Frobnicate", []byte(`{}`), true).requireError(t, "UnknownOperationException", "Frobnicate")
	})

	t.Run("EveryModelOperationRouted", func(t *testing.T) {
		t.Parallel() // UnsupportedOperationException is left for operations a newer model adds
		routes := (&Server{}).routes()
		for _, op := range validate.Operations() {
			require.Contains(t, routes, pipelineTarget+op)
		}
	})

	t.Run("ErrUnsigned", func(t *testing.T) {
		t.Parallel()
		send(t, http.MethodPost, pipelineTarget+"ListPipelines", []byte(`{}`), false).requireError(t, "MissingAuthenticationTokenException")
	})

	t.Run("ErrNotJSON", func(t *testing.T) {
		t.Parallel()
		send(t, http.MethodPost, pipelineTarget+"ListPipelines", []byte("\x00\xff"), true).requireError(t, "SerializationException", "not valid JSON")
		send(t, http.MethodPost, pipelineTarget+"ListPipelines", []byte(`[1]`), true).requireError(t, "SerializationException", "JSON object", "array")
	})
}

// TestRequiredMembers holds every operation to the model's required input members: an empty
// request is refused naming exactly those, each as null.
func TestRequiredMembers(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	null := regexp.MustCompile(`Value null at '([^']+)'`)
	for _, op := range validate.Operations() {
		t.Run(op, func(t *testing.T) {
			t.Parallel()
			r := h.call(t, targetOf(op), []byte(`{}`))
			if r.status != http.StatusOK && r.apiError(t).Type == "UnsupportedOperationException" {
				return
			}
			var got []string
			for _, m := range null.FindAllStringSubmatch(string(r.body), -1) {
				got = append(got, m[1])
			}
			require.ElementsMatch(t, validate.InputRequired(op), got)
		})
	}
}
