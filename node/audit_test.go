package node_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"
	"github.com/stretchr/testify/require"
)

// trailCLI runs the real AWS CLI against b with the root key: its output, and its error.
func trailCLI(b *bundle, args ...string) (string, error) {
	cmd := exec.Command("aws", append(args, "--endpoint-url", b.URL, "--output", "json")...)
	cmd.Env = append(os.Environ(), "AWS_ACCESS_KEY_ID="+testKeyID, "AWS_SECRET_ACCESS_KEY="+testSecret,
		"AWS_DEFAULT_REGION=us-east-1", "AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null", "AWS_PAGER=")
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// trailEvent is one of LookupEvents' Events with its CloudTrailEvent decoded.
type trailEvent struct {
	EventID, EventName, ReadOnly, Username, AccessKeyId, EventSource string
	EventTime                                                        float64
	Resources                                                        []struct{ ResourceType, ResourceName string }
	Record                                                           struct {
		EventSource, EventName, AWSRegion, SourceIPAddress, UserAgent, ErrorCode, ErrorMessage, EventID, EventTime string
		ReadOnly                                                                                                   bool
		UserIdentity                                                                                               struct{ Type, ARN, AccountID, AccessKeyID string }
		RequestParameters, ResponseElements, AdditionalEventData                                                   json.RawMessage
		Resources                                                                                                  []struct{ ARN, Type string }
	}
}

// lookup runs `aws cloudtrail lookup-events` with args and decodes its events.
func lookup(t *testing.T, b *bundle, args ...string) []trailEvent {
	t.Helper()
	out, err := trailCLI(b, append([]string{"cloudtrail", "lookup-events"}, args...)...)
	require.NoError(t, err, "aws cloudtrail lookup-events %s: %s", strings.Join(args, " "), out)
	var page struct {
		Events []struct {
			trailEvent
			CloudTrailEvent string
		}
	}
	require.NoError(t, json.Unmarshal([]byte(out), &page), out)
	evs := make([]trailEvent, len(page.Events))
	for i, e := range page.Events {
		evs[i] = e.trailEvent
		require.NoError(t, json.Unmarshal([]byte(e.CloudTrailEvent), &evs[i].Record), e.CloudTrailEvent)
	}
	return evs
}

func byName(t *testing.T, b *bundle, name string) []trailEvent {
	t.Helper()
	return lookup(t, b, "--lookup-attributes", "AttributeKey=EventName,AttributeValue="+name)
}

// TestAuditTrailCLI asks the real AWS CLI who started, approved, disabled a transition and
// pushed, and what failed with which error code.
func TestAuditTrailCLI(t *testing.T) {
	t.Parallel()
	requireAWSCLI(t)
	c := setupConformance(t) // its source repository got one push
	c.Create(t, gated("audited"))
	token := c.ApprovalToken(t, "audited", "Gate", "Approve")
	_, err := c.answer("audited", "Gate", "Approve", token, types.ApprovalStatusApproved, "ship it")
	require.NoError(t, err)
	_, err = c.CP.DisableStageTransition(c.ctx, &codepipeline.DisableStageTransitionInput{PipelineName: aws.String("audited"),
		StageName: aws.String("Ship"), TransitionType: types.StageTransitionTypeInbound, Reason: aws.String("freeze")})
	require.NoError(t, err)
	started, err := c.CP.StartPipelineExecution(c.ctx, &codepipeline.StartPipelineExecutionInput{Name: aws.String("audited")})
	require.NoError(t, err)
	_, err = c.CP.GetPipeline(c.ctx, &codepipeline.GetPipelineInput{Name: aws.String("missing")})
	requireAPIError(t, err, "PipelineNotFoundException", "missing")
	p := gated("audited")
	p.Stages = p.Stages[:1] // one stage is not a pipeline: nothing is saved
	_, err = c.CP.UpdatePipeline(c.ctx, &codepipeline.UpdatePipelineInput{Pipeline: p})
	require.Error(t, err)

	t.Run("WhoStarted", func(t *testing.T) {
		t.Parallel()
		evs := byName(t, c.bundle, "StartPipelineExecution")
		require.Len(t, evs, 1)
		e := evs[0]
		require.Equal(t, "root", e.Username)
		require.Equal(t, testKeyID, e.AccessKeyId)
		require.Equal(t, "false", e.ReadOnly)
		require.Equal(t, "codepipeline.amazonaws.com", e.EventSource)
		require.Equal(t, "Root", e.Record.UserIdentity.Type)
		require.Equal(t, "arn:aws:iam::"+c.Node.Config.Account+":root", e.Record.UserIdentity.ARN)
		require.Equal(t, "127.0.0.1", e.Record.SourceIPAddress)
		require.Contains(t, e.Record.UserAgent, "aws-sdk-go-v2")
		require.Contains(t, string(e.Record.RequestParameters), `"name":"audited"`)
		require.JSONEq(t, `{"pipelineExecutionId":"`+aws.ToString(started.PipelineExecutionId)+`"}`, string(e.Record.ResponseElements))
		require.Equal(t, []struct{ ResourceType, ResourceName string }{{"AWS::CodePipeline::Pipeline", "audited"}}, e.Resources)
		require.Equal(t, e.EventID, e.Record.EventID)
		require.Regexp(t, `^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$`, e.Record.EventTime)
	})

	t.Run("WhoApproved", func(t *testing.T) {
		t.Parallel()
		evs := byName(t, c.bundle, "PutApprovalResult")
		require.Len(t, evs, 1)
		require.Equal(t, "root", evs[0].Username)
		var params map[string]any
		require.NoError(t, json.Unmarshal(evs[0].Record.RequestParameters, &params))
		require.Equal(t, "audited", params["pipelineName"])
		require.Equal(t, map[string]any{"status": "Approved", "summary": "ship it"}, params["result"])
	})

	t.Run("WhoDisabledATransition", func(t *testing.T) {
		t.Parallel()
		evs := byName(t, c.bundle, "DisableStageTransition")
		require.Len(t, evs, 1)
		require.Equal(t, "root", evs[0].Username)
		require.Contains(t, string(evs[0].Record.RequestParameters), `"reason":"freeze"`)
	})

	t.Run("WhoPushed", func(t *testing.T) {
		t.Parallel()
		evs := byName(t, c.bundle, "GitPush")
		var pack *trailEvent
		for i := range evs {
			require.Equal(t, "codecommit.amazonaws.com", evs[i].EventSource)
			require.Equal(t, "root", evs[i].Username)
			if evs[i].ReadOnly == "false" {
				pack = &evs[i]
			}
		}
		require.NotNil(t, pack, "the pack's record: %+v", evs)
		require.Contains(t, string(pack.Record.RequestParameters), `"ref":"refs/heads/main"`)
		require.Contains(t, string(pack.Record.AdditionalEventData), `"repositoryName":"src"`)
		require.Contains(t, string(pack.Record.AdditionalEventData), `"dataTransferred":true`)
		require.Equal(t, []struct{ ResourceType, ResourceName string }{{"AWS::CodeCommit::Repository", "src"}}, pack.Resources)
		require.Contains(t, pack.Record.UserAgent, "git/")
		pulls := byName(t, c.bundle, "GitPull")
		require.NotEmpty(t, pulls, "the clone before the push")
		require.Equal(t, "true", pulls[0].ReadOnly)
	})

	t.Run("FailedCallsWithTheirErrorCode", func(t *testing.T) {
		t.Parallel()
		evs := byName(t, c.bundle, "GetPipeline")
		var missing *trailEvent
		for i := range evs {
			if strings.Contains(string(evs[i].Record.RequestParameters), `"missing"`) {
				missing = &evs[i]
			}
		}
		require.NotNil(t, missing)
		require.Equal(t, "PipelineNotFoundException", missing.Record.ErrorCode)
		require.Contains(t, missing.Record.ErrorMessage, "missing")
		require.Equal(t, "null", string(missing.Record.ResponseElements))

		upd := byName(t, c.bundle, "UpdatePipeline")
		require.Len(t, upd, 1, "the failed update's record, and no success")
		require.Equal(t, "InvalidStructureException", upd[0].Record.ErrorCode)
	})

	t.Run("ReadsAreRecorded", func(t *testing.T) {
		t.Parallel()
		evs := lookup(t, c.bundle, "--lookup-attributes", "AttributeKey=ReadOnly,AttributeValue=true")
		require.NotEmpty(t, evs)
		for _, e := range evs {
			require.Equal(t, "true", e.ReadOnly, e.EventName)
			require.True(t, e.Record.ReadOnly)
		}
	})

	t.Run("FiltersAndPages", func(t *testing.T) {
		t.Parallel()
		all := lookup(t, c.bundle, "--lookup-attributes", "AttributeKey=ResourceName,AttributeValue=audited")
		require.GreaterOrEqual(t, len(all), 5)
		for i := 1; i < len(all); i++ {
			require.GreaterOrEqual(t, all[i-1].EventTime, all[i].EventTime, "newest first")
		}
		paged := lookup(t, c.bundle, "--lookup-attributes", "AttributeKey=ResourceName,AttributeValue=audited", "--page-size", "1")
		require.Equal(t, ids(all), ids(paged), "one event per page, every page followed")

		byType := lookup(t, c.bundle, "--lookup-attributes", "AttributeKey=ResourceType,AttributeValue=AWS::CodeCommit::Repository")
		require.NotEmpty(t, byType)
		bySource := lookup(t, c.bundle, "--lookup-attributes", "AttributeKey=EventSource,AttributeValue=codecommit.amazonaws.com")
		require.GreaterOrEqual(t, len(bySource), len(byType))
		byKey := lookup(t, c.bundle, "--lookup-attributes", "AttributeKey=AccessKeyId,AttributeValue="+testKeyID)
		require.GreaterOrEqual(t, len(byKey), len(all))
		require.Empty(t, lookup(t, c.bundle, "--lookup-attributes", "AttributeKey=Username,AttributeValue=nobody"))
	})

	t.Run("TimeRange", func(t *testing.T) {
		t.Parallel()
		start := byName(t, c.bundle, "StartPipelineExecution")[0]
		at := strconv.FormatFloat(start.EventTime, 'f', 0, 64)
		inRange := lookup(t, c.bundle, "--start-time", at, "--end-time", at)
		require.Contains(t, ids(inRange), start.EventID, "both ends inclusive")
		for _, e := range inRange {
			require.Equal(t, start.EventTime, e.EventTime)
		}
		before := strconv.FormatFloat(start.EventTime-3600, 'f', 0, 64)
		require.Empty(t, lookup(t, c.bundle, "--start-time", before, "--end-time", before))
	})

	t.Run("BadLookups", func(t *testing.T) {
		t.Parallel()
		for _, c2 := range []struct {
			want string
			args []string
		}{
			{"InvalidTimeRangeException", []string{"--start-time", "2026-01-02T00:00:00Z", "--end-time", "2026-01-01T00:00:00Z"}},
			{"InvalidLookupAttributesException", []string{"--lookup-attributes", "AttributeKey=EventName,AttributeValue=A",
				"AttributeKey=Username,AttributeValue=root"}},
			{"InvalidLookupAttributesException", []string{"--lookup-attributes", "AttributeKey=ReadOnly,AttributeValue=maybe"}},
			{"InvalidMaxResultsException", []string{"--page-size", "51"}},
			{"InvalidNextTokenException", []string{"--starting-token", "bm90IGEgdG9rZW4="}},
		} {
			out, err := trailCLI(c.bundle, append([]string{"cloudtrail", "lookup-events"}, c2.args...)...)
			require.Error(t, err, out)
			require.Contains(t, out, c2.want)
		}
		// LookupEvents itself is recorded, as a read.
		require.NotEmpty(t, byName(t, c.bundle, "LookupEvents"))
	})
}

func ids(evs []trailEvent) []string {
	out := make([]string, len(evs))
	for i, e := range evs {
		out[i] = e.EventID
	}
	return out
}
