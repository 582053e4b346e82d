package api

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"sluice"
)

// noSuchExecution is an execution id no harness pipeline has.
const noSuchExecution = "00000000-0000-4000-8000-0000000000ee"

// TestConditionAndRollbackRequests drives OverrideStageCondition, RollbackStage and
// ListRuleExecutions through the server on the fixture pipeline: the model's constraints on
// their members, and the pipeline, stage and execution each names looked up in that order.
func TestConditionAndRollbackRequests(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	override := func(pipeline, stage, exec, typ string) *response {
		return h.call(t, pipelineTarget+"OverrideStageCondition", []byte(`{"pipelineName":"`+pipeline+`","stageName":"`+stage+
			`","pipelineExecutionId":"`+exec+`","conditionType":"`+typ+`"}`))
	}
	rollback := func(pipeline, stage, target string) *response {
		return h.call(t, pipelineTarget+"RollbackStage", []byte(`{"pipelineName":"`+pipeline+`","stageName":"`+stage+
			`","targetPipelineExecutionId":"`+target+`"}`))
	}
	rules := func(body string) *response { return h.call(t, pipelineTarget+"ListRuleExecutions", []byte(body)) }

	t.Run("ErrConditionType", func(t *testing.T) {
		t.Parallel() // ON_FAILURE conditions cannot be overridden, and the model's enum says so
		override(fixturePipeline, "Approve", h.exec, "ON_FAILURE").requireError(t, "ValidationException",
			"1 validation error", "'ON_FAILURE' at 'conditionType'", "[BEFORE_ENTRY, ON_SUCCESS]")
	})

	t.Run("ErrMembers", func(t *testing.T) {
		t.Parallel()
		override("bad name!", "Approve", "not-an-id", "BEFORE_ENTRY").requireError(t, "ValidationException",
			"2 validation errors", "'pipelineName'", "'pipelineExecutionId'")
		rollback(fixturePipeline, strings.Repeat("s", 101), "NOT-AN-ID").requireError(t, "ValidationException",
			"2 validation errors", "'stageName'", "'targetPipelineExecutionId'")
		rules(`{"pipelineName":"fixture","maxResults":0}`).requireError(t, "ValidationException", "'maxResults'", "between 1 and 100")
		rules(`{"pipelineName":"fixture","maxResults":101}`).requireError(t, "ValidationException", "'maxResults'", "between 1 and 100")
		rules(`{"pipelineName":"fixture","nextToken":"`+strings.Repeat("A", 2049)+`"}`).requireError(t, "ValidationException", "'nextToken'")
		rules(`{"pipelineName":"fixture","filter":{"pipelineExecutionId":"x"}}`).requireError(t, "ValidationException", "'filter.pipelineExecutionId'")
		rules(`{"pipelineName":"fixture","filter":{"latestInPipelineExecution":{"pipelineExecutionId":"`+h.exec+`"}}}`).requireError(t,
			"ValidationException", "'filter.latestInPipelineExecution.startTimeRange'")
		rules(`{"pipelineName":"fixture","maxResults":"5"}`).requireError(t, "SerializationException", "maxResults")
	})

	t.Run("ErrPipelineNotFound", func(t *testing.T) {
		t.Parallel()
		override("nothing", "Approve", h.exec, "BEFORE_ENTRY").requireError(t, "PipelineNotFoundException", "nothing")
		rollback("nothing", "Approve", h.exec).requireError(t, "PipelineNotFoundException", "nothing")
		rules(`{"pipelineName":"nothing"}`).requireError(t, "PipelineNotFoundException", "nothing")
	})

	t.Run("ErrStageNotFound", func(t *testing.T) {
		t.Parallel()
		override(fixturePipeline, "Nowhere", h.exec, "ON_SUCCESS").requireError(t, "StageNotFoundException", "Nowhere")
		rollback(fixturePipeline, "Nowhere", h.exec).requireError(t, "StageNotFoundException", "Nowhere")
	})

	t.Run("ErrExecutionNotFound", func(t *testing.T) {
		t.Parallel() // OverrideStageCondition's model has no not-found exception for executions
		override(fixturePipeline, "Approve", noSuchExecution, "BEFORE_ENTRY").requireError(t, "ConditionNotOverridableException", noSuchExecution)
		rollback(fixturePipeline, "Build", noSuchExecution).requireError(t, "PipelineExecutionNotFoundException", noSuchExecution)
		rules(`{"pipelineName":"fixture","filter":{"pipelineExecutionId":"`+noSuchExecution+`"}}`).requireError(t,
			"PipelineExecutionNotFoundException", noSuchExecution)
		rules(`{"pipelineName":"fixture","filter":{"latestInPipelineExecution":{"pipelineExecutionId":"`+noSuchExecution+
			`","startTimeRange":"Latest"}}}`).requireError(t, "PipelineExecutionNotFoundException", noSuchExecution)
	})

	t.Run("ErrNextToken", func(t *testing.T) {
		t.Parallel()
		rules(`{"pipelineName":"fixture","nextToken":"not-a-token"}`).requireError(t, "InvalidNextTokenException")
		rules(`{"pipelineName":"fixture","nextToken":"not-a-token","filter":{"latestInPipelineExecution":{"pipelineExecutionId":"`+h.exec+
			`","startTimeRange":"Latest"}}}`).requireError(t, "InvalidNextTokenException")
	})

	t.Run("ErrTwoExecutions", func(t *testing.T) {
		t.Parallel()
		rules(`{"pipelineName":"fixture","filter":{"pipelineExecutionId":"`+h.exec+`","latestInPipelineExecution":{"pipelineExecutionId":"`+
			noSuchExecution+`","startTimeRange":"All"}}}`).requireError(t, "ValidationException", "two different pipeline executions")
	})
}

// TestConditionErrorsOnTheWire: the engine's refusals of an override or a rollback are the
// exceptions the operations' models list, with the engine's message.
func TestConditionErrorsOnTheWire(t *testing.T) {
	t.Parallel()
	for code, name := range map[sluice.Code]string{
		sluice.ENotOverridable: "ConditionNotOverridableException",
		sluice.ENoRollback:     "UnableToRollbackStageException",
		sluice.EOutdated:       "PipelineExecutionOutdatedException",
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			rec := httptest.NewRecorder()
			writeError(rec, slog.New(slog.NewTextHandler(io.Discard, nil)), "req-1", harnessAcct, sluice.Errorf(code, "", "the engine says no"))
			require.Equal(t, http.StatusBadRequest, rec.Code)
			require.Equal(t, name, rec.Header().Get("X-Amzn-ErrorType"))
			require.JSONEq(t, `{"__type":"`+name+`","message":"the engine says no"}`, rec.Body.String())
			listed := false
			for _, op := range []string{"OverrideStageCondition", "RollbackStage"} {
				errs, _ := modelErrorsOf(t, pipelineTarget+op)
				listed = listed || strings.Contains(strings.Join(errs, " "), name)
			}
			require.True(t, listed, "no operation that answers %s lists it", name)
		})
	}
}

// TestRuleExecutionDetail renders rule runs as ListRuleExecutions answers them: what a run
// has, and nothing (no nulls) for what it has not.
func TestRuleExecutionDetail(t *testing.T) {
	t.Parallel()
	s := &Server{}
	at := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)

	t.Run("Finished", func(t *testing.T) {
		t.Parallel()
		run := &sluice.RuleRun{ID: "rule-1", ExecutionID: "11111111-1111-4111-8111-111111111111", StageName: "Deploy", StageAttempt: 1,
			Condition: sluice.ConditionOnSuccess, RuleName: "Alarm", PipelineVersion: 3, Status: sluice.RuleFailed,
			RuleType:  sluice.RuleTypeID{Category: sluice.RuleCategory, Owner: sluice.OwnerAWS, Provider: "CloudWatchAlarm", Version: "1"},
			StartTime: at, LastUpdateTime: at.Add(time.Minute), UpdatedBy: "sluice", Summary: "alarm High is in ALARM",
			ExternalExecutionID: "High", ExternalExecutionURL: "http://prometheus.test/alerts", ErrorCode: "JobFailed", ErrorMessage: "in ALARM",
			Configuration: map[string]string{"AlarmName": "High"}, ResolvedConfiguration: map[string]string{"AlarmName": "High"},
			RoleARN: "arn:aws:iam::111111111111:role/r", Region: "us-east-1", InputArtifacts: []sluice.ArtifactRef{{Name: "Code", Key: "p/e/Code.zip"}}}
		b, err := json.Marshal(s.ruleDetail(run))
		require.NoError(t, err)
		require.JSONEq(t, `{"pipelineExecutionId":"11111111-1111-4111-8111-111111111111","ruleExecutionId":"rule-1","pipelineVersion":3,
			"stageName":"Deploy","ruleName":"Alarm","startTime":1796637600.000,"lastUpdateTime":1796637660.000,"updatedBy":"sluice","status":"Failed",
			"input":{"ruleTypeId":{"category":"Rule","owner":"AWS","provider":"CloudWatchAlarm","version":"1"},"configuration":{"AlarmName":"High"},
			 "resolvedConfiguration":{"AlarmName":"High"},"roleArn":"arn:aws:iam::111111111111:role/r","region":"us-east-1",
			 "inputArtifacts":[{"name":"Code","s3location":{"bucket":"sluice-artifacts","key":"p/e/Code.zip"}}]},
			"output":{"executionResult":{"externalExecutionId":"High","externalExecutionSummary":"alarm High is in ALARM",
			 "externalExecutionUrl":"http://prometheus.test/alerts","errorDetails":{"code":"JobFailed","message":"in ALARM"}}}}`, string(b))
	})

	t.Run("JustStarted", func(t *testing.T) {
		t.Parallel()
		b, err := json.Marshal(s.ruleDetail(&sluice.RuleRun{ID: "rule-2", ExecutionID: "11111111-1111-4111-8111-111111111111", StageName: "Deploy",
			RuleName: "Window", PipelineVersion: 1, Status: sluice.RuleInProgress, StartTime: at, LastUpdateTime: at}))
		require.NoError(t, err)
		require.JSONEq(t, `{"pipelineExecutionId":"11111111-1111-4111-8111-111111111111","ruleExecutionId":"rule-2","pipelineVersion":1,
			"stageName":"Deploy","ruleName":"Window","startTime":1796637600.000,"lastUpdateTime":1796637600.000,"status":"InProgress",
			"input":{"configuration":{},"resolvedConfiguration":{},"inputArtifacts":[]},"output":{"executionResult":{}}}`, string(b))
	})
}
