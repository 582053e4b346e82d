package restjson_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/api/restjson"
	"sluice/api/sigv4"
	"sluice/engine"
	"sluice/service"
	"sluice/store/sqlite"
)

type clock struct{}

func (clock) Now() time.Time { return time.Now() }

type ids struct{}

func (ids) NewID() string { return "req-1" }

const (
	account = "123456789012"
	keyID   = "AKIARESTJSONTEST0001"
	secret  = "restjson-test-secret"
)

// modelErrors are the exceptions CodeStar Notifications' model lists.
var modelErrors = map[string]bool{
	"ValidationException": true, "ResourceNotFoundException": true, "ResourceAlreadyExistsException": true,
	"LimitExceededException": true, "ConfigurationException": true, "ConcurrentModificationException": true,
	"AccessDeniedException": true, "InvalidNextTokenException": true,
}

func setup(t testing.TB) *httptest.Server {
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "sluice.db"))
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() })
	require.NoError(t, db.PutAccessKey(context.Background(), &sluice.AccessKey{ID: keyID, Secret: secret, Principal: "arn:aws:iam::" + account + ":root"}))
	eng := &engine.Engine{Store: db, Clock: clock{}, IDs: ids{}, Account: account, Region: "us-east-1"}
	core := &service.Service{Engine: eng, Store: db, IDs: ids{}, Authz: &service.Authorizer{Store: db, Account: account}}
	s := &restjson.Server{Service: core, Verifier: &sigv4.Verifier{Lookup: sigv4.KeyStoreLookup(db)},
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)), IDs: ids{}}
	mux := http.NewServeMux()
	s.Register(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// request is a signed POST of body to path, for the signing service svc.
func request(t testing.TB, url, path, svc, body string) *http.Request {
	req, err := http.NewRequest(http.MethodPost, url+path, strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	sum := sha256.Sum256([]byte(body))
	require.NoError(t, v4.NewSigner().SignHTTP(context.Background(), aws.Credentials{AccessKeyID: keyID, SecretAccessKey: secret},
		req, hex.EncodeToString(sum[:]), svc, "us-east-1", time.Now()))
	return req
}

// call sends a request and returns the status, the X-Amzn-ErrorType and the decoded body.
func call(t testing.TB, srv *httptest.Server, path, svc, body string) (int, string, map[string]any) {
	resp, err := http.DefaultClient.Do(request(t, srv.URL, path, svc, body))
	require.NoError(t, err)
	defer resp.Body.Close()
	var out map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&out))
	return resp.StatusCode, resp.Header.Get("X-Amzn-ErrorType"), out
}

func TestRestJSON(t *testing.T) {
	t.Parallel()
	srv := setup(t)
	t.Run("ListEventTypes", func(t *testing.T) {
		t.Parallel()
		status, _, out := call(t, srv, "/listEventTypes", "codestar-notifications", `{"MaxResults":2}`)
		require.Equal(t, http.StatusOK, status)
		require.Len(t, out["EventTypes"], 2)
		require.NotEmpty(t, out["NextToken"])
		// Every page's token matches the model's pattern, and the next page follows it.
		seen := map[string]bool{}
		for token := out["NextToken"]; token != nil; token = out["NextToken"] {
			require.Regexp(t, `^[\w/+=]+$`, token)
			body, _ := json.Marshal(map[string]any{"MaxResults": 2, "NextToken": token})
			status, _, out = call(t, srv, "/listEventTypes", "codestar-notifications", string(body))
			require.Equal(t, http.StatusOK, status)
			for _, et := range out["EventTypes"].([]any) {
				id := et.(map[string]any)["EventTypeId"].(string)
				require.False(t, seen[id], "%s twice", id)
				seen[id] = true
			}
		}
		require.Len(t, seen, 16, "every event type after the first page")
	})
	t.Run("EmptyBodyIsEmptyInput", func(t *testing.T) {
		t.Parallel()
		status, _, out := call(t, srv, "/listNotificationRules", "codestar-notifications", ``)
		require.Equal(t, http.StatusOK, status)
		require.Equal(t, []any{}, out["NotificationRules"])
	})
	t.Run("ErrMissingMembers", func(t *testing.T) {
		t.Parallel()
		status, name, out := call(t, srv, "/createNotificationRule", "codestar-notifications", `{}`)
		require.Equal(t, http.StatusBadRequest, status)
		require.Equal(t, "ValidationException", name)
		require.Equal(t, "ValidationException", out["__type"])
		require.Contains(t, out["message"], "5 validation errors detected: Value null at 'name' failed to satisfy constraint: Member must not be null")
	})
	t.Run("ErrNotJSON", func(t *testing.T) {
		t.Parallel()
		_, name, _ := call(t, srv, "/describeNotificationRule", "codestar-notifications", `{"Arn":`)
		require.Equal(t, "ValidationException", name)
	})
	t.Run("ErrRuleNotFound", func(t *testing.T) {
		t.Parallel()
		status, name, _ := call(t, srv, "/describeNotificationRule", "codestar-notifications",
			`{"Arn":"arn:aws:codestar-notifications:us-east-1:123456789012:notificationrule/abc"}`)
		require.Equal(t, http.StatusNotFound, status)
		require.Equal(t, "ResourceNotFoundException", name)
	})
	t.Run("ErrBadToken", func(t *testing.T) {
		t.Parallel()
		_, name, _ := call(t, srv, "/listTargets", "codestar-notifications", `{"NextToken":"bogus"}`)
		require.Equal(t, "InvalidNextTokenException", name)
	})
	t.Run("ErrOtherService", func(t *testing.T) {
		t.Parallel()
		_, name, out := call(t, srv, "/listEventTypes", "sns", `{}`)
		require.Equal(t, "ValidationException", name)
		require.Contains(t, out["message"], "codestar-notifications")
	})
	t.Run("ErrUnsigned", func(t *testing.T) {
		t.Parallel()
		resp, err := http.Post(srv.URL+"/listEventTypes", "application/json", strings.NewReader(`{}`))
		require.NoError(t, err)
		defer resp.Body.Close()
		require.Equal(t, http.StatusBadRequest, resp.StatusCode)
		require.Equal(t, "MissingAuthenticationTokenException", resp.Header.Get("X-Amzn-ErrorType"))
	})
}

// FuzzOperations sends signed requests with any body to every operation: the answer is
// never a 500, and an error is one the model lists, with a message.
func FuzzOperations(f *testing.F) {
	paths := []string{"/createNotificationRule", "/updateNotificationRule", "/deleteNotificationRule", "/describeNotificationRule",
		"/listNotificationRules", "/listEventTypes", "/subscribe", "/unsubscribe", "/listTargets", "/deleteTarget",
		"/tagResource", "/listTagsForResource", "/untagResource/arn%3Aaws%3Acodestar-notifications%3Aus-east-1%3A123456789012%3Anotificationrule%2Fx?tagKeys=a"}
	rule := `"arn:aws:codestar-notifications:us-east-1:123456789012:notificationrule/x"`
	for i, body := range []string{
		`{"Name":"n","Resource":"arn:aws:codepipeline:us-east-1:123456789012:web","EventTypeIds":["codepipeline-pipeline-pipeline-execution-failed"],"Targets":[{"TargetType":"SNS","TargetAddress":"arn:aws:sns:us-east-1:123456789012:t"}],"DetailType":"FULL"}`,
		`{"Arn":` + rule + `,"Status":"DISABLED","Targets":[]}`, `{"Arn":` + rule + `}`, `{"Filters":[{"Name":"RESOURCE","Value":"x"}],"MaxResults":0}`,
		`{"Filters":[{"Name":"SERVICE_NAME"}]}`, `{"Arn":` + rule + `,"Target":{"TargetType":"AWSChatbotSlack","TargetAddress":"x"}}`,
		`{"Arn":` + rule + `,"TargetAddress":"x"}`, `{"Filters":null,"NextToken":"@"}`, `{"TargetAddress":"x","ForceUnsubscribeAll":true}`,
		`{"Arn":` + rule + `,"Tags":{"":"v"}}`, `{"Arn":1}`, `[]`,
	} {
		f.Add(uint8(i), body)
	}
	srv := setup(f)
	f.Fuzz(func(t *testing.T, op uint8, body string) {
		path := paths[int(op)%len(paths)]
		resp, err := http.DefaultClient.Do(request(t, srv.URL, path, "codestar-notifications", body))
		require.NoError(t, err)
		defer resp.Body.Close()
		require.Less(t, resp.StatusCode, 500)
		var out map[string]any
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&out), "the answer is a JSON object")
		if resp.StatusCode == http.StatusOK {
			return
		}
		name := resp.Header.Get("X-Amzn-ErrorType")
		require.True(t, modelErrors[name], "error %q is not in the model", name)
		require.NotEmpty(t, out["message"])
	})
}
