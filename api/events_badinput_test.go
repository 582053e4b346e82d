package api

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// eventsCalls are EventBridge's operations, each with a valid request, in an order in which
// each succeeds.
var eventsCalls = []struct{ op, body string }{
	{"PutRule", `{"Name":"r","EventPattern":"{\"source\":[\"aws.codepipeline\"],\"detail\":{\"state\":[{\"anything-but\":\"SUCCEEDED\"}]}}","Tags":[{"Key":"k","Value":"v"}]}`},
	{"PutRule", `{"Name":"s","ScheduleExpression":"cron(0/5 8-17 ? * MON-FRI *)","State":"DISABLED","Description":"d"}`},
	{"DescribeRule", `{"Name":"r"}`},
	{"ListRules", `{"NamePrefix":"r","Limit":1}`},
	{"DisableRule", `{"Name":"r"}`},
	{"EnableRule", `{"Name":"r"}`},
	{"PutTargets", `{"Rule":"r","Targets":[{"Id":"h","Arn":"https://example.com/h","InputTransformer":{"InputPathsMap":{"s":"$.detail.state"},"InputTemplate":"\"<s>\""},"RetryPolicy":{"MaximumRetryAttempts":3}}]}`},
	{"ListTargetsByRule", `{"Rule":"r","Limit":1}`},
	{"TestEventPattern", `{"EventPattern":"{\"source\":[\"a\"]}","Event":"{\"id\":\"1\",\"account\":\"1\",\"source\":\"a\",\"time\":\"t\",\"region\":\"r\",\"detail-type\":\"d\"}"}`},
	{"PutEvents", `{"Entries":[{"Source":"app","DetailType":"d","Detail":"{\"a\":1}","Resources":["x"],"Time":1767225600}]}`},
	{"TagResource", `{"ResourceARN":"arn:aws:events:us-east-1:111111111111:rule/r","Tags":[{"Key":"team","Value":"a"}]}`},
	{"ListTagsForResource", `{"ResourceARN":"arn:aws:events:us-east-1:111111111111:rule/r"}`},
	{"UntagResource", `{"ResourceARN":"arn:aws:events:us-east-1:111111111111:rule/r","TagKeys":["team"]}`},
	{"RemoveTargets", `{"Rule":"r","Ids":["h"]}`},
	{"DeleteRule", `{"Name":"r"}`},
}

// eventsExceptions are what EventBridge's operations answer, beside the generic ones.
var eventsExceptions = []string{"ValidationException", "InvalidEventPatternException", "ResourceNotFoundException",
	"LimitExceededException"}

func TestEventsSurviveBadBodies(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	for _, c := range eventsCalls {
		r := h.call(t, eventsTarget+c.op, []byte(c.body))
		require.Equal(t, http.StatusOK, r.status, "%s: %s", c.op, r.body)
	}
	for _, c := range eventsCalls {
		bodies := append([]string{c.body, c.body[:len(c.body)/2]}, wrongTypes(c.body)...)
		for _, body := range append(bodies, badBodies()...) {
			r := h.call(t, eventsTarget+c.op, []byte(body))
			require.NotContains(t, h.log.String(), "panic in handler", "request %s panicked", r.reqID)
			require.Contains(t, []int{http.StatusOK, http.StatusBadRequest}, r.status, "%s %q answered %d: %s", c.op, body, r.status, r.body)
			if r.status == http.StatusOK {
				continue
			}
			e := r.apiError(t)
			require.Contains(t, append(append([]string{}, genericExceptions...), eventsExceptions...), e.Type, "%s %q: %s", c.op, body, r.body)
		}
	}
}

func TestEventsAnswers(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	call := func(op, body string) *response { return h.call(t, eventsTarget+op, []byte(body)) }
	r := call("PutRule", `{"Name":"r","EventPattern":"{\"detail\":{\"state\":[\"FAILED\"]}}"}`)
	require.Equal(t, http.StatusOK, r.status, "%s", r.body)
	require.JSONEq(t, `{"RuleArn":"arn:aws:events:`+harnessRegion+`:`+harnessAcct+`:rule/r"}`, string(r.body))

	call("PutRule", `{"Name":"r","EventPattern":"{\"detail\":{\"state\":\"FAILED\"}}"}`).requireError(t, "InvalidEventPatternException",
		"Event pattern is not valid. Reason: ")
	call("PutRule", `{"Name":"bad name"}`).requireError(t, "ValidationException", "Name")
	call("DescribeRule", `{"Name":"r","EventBusName":"custom"}`).requireError(t, "ResourceNotFoundException", "Event bus custom does not exist.")

	targets := make([]string, 6)
	for i := range targets {
		targets[i] = fmt.Sprintf(`{"Id":"t%d","Arn":"https://example.com/"}`, i)
	}
	call("PutTargets", `{"Rule":"r","Targets":[`+strings.Join(targets, ",")+`]}`).requireError(t, "LimitExceededException")
	listed := call("ListTargetsByRule", `{"Rule":"r"}`)
	require.JSONEq(t, `{"Targets":[]}`, string(listed.body), "a refused PutTargets stores nothing")
	call("PutTargets", `{"Rule":"r","Targets":[{"Id":"a","Arn":"https://x.example.com/","Input":"{}","InputPath":"$.detail"}]}`).requireError(t,
		"ValidationException", "Only one of Input, InputPath, or InputTransformer")
	// EventBridge's models name no exception for a bad page token or too many tags.
	call("ListRules", `{"NextToken":"bogus"}`).requireError(t, "ValidationException")
	call("ListTargetsByRule", `{"Rule":"r","NextToken":"bogus"}`).requireError(t, "ValidationException")
	tags := make([]string, 51)
	for i := range tags {
		tags[i] = fmt.Sprintf(`{"Key":"k%d","Value":"v"}`, i)
	}
	call("TagResource", `{"ResourceARN":"arn:aws:events:`+harnessRegion+`:`+harnessAcct+`:rule/r","Tags":[`+strings.Join(tags, ",")+`]}`).requireError(t,
		"ValidationException", "50 tags")

	ok := call("TestEventPattern", `{"EventPattern":"{\"detail\":{\"n\":[{\"numeric\":[\">\",1]}]}}","Event":"{\"id\":\"1\",\"account\":\"1\",\"source\":\"a\",\"time\":\"t\",\"region\":\"r\",\"detail-type\":\"d\",\"detail\":{\"n\":2}}"}`)
	require.JSONEq(t, `{"Result":true}`, string(ok.body))
}
