package api

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

// lookupRecords answers LookupEvents by event name on h, with the records decoded.
func lookupRecords(t *testing.T, h *harness, name string) []map[string]any {
	t.Helper()
	r := h.call(t, cloudtrailTarget+"LookupEvents", []byte(`{"LookupAttributes":[{"AttributeKey":"EventName","AttributeValue":"`+name+`"}]}`))
	require.Equal(t, http.StatusOK, r.status, "%s", r.body)
	var out struct {
		Events []struct{ CloudTrailEvent string }
	}
	require.NoError(t, json.Unmarshal(r.body, &out))
	recs := make([]map[string]any, len(out.Events))
	for i, e := range out.Events {
		require.NoError(t, json.Unmarshal([]byte(e.CloudTrailEvent), &recs[i]))
	}
	return recs
}

// TestAuditRecordsDenials: a denied call is recorded with AccessDeniedException and AWS's
// message, and changes nothing else.
func TestAuditRecordsDenials(t *testing.T) {
	t.Parallel()
	b := authzSetup(t, true)
	r := b.call(t, pipelineTarget+"StartPipelineExecution", []byte(`{"name":"fixture"}`))
	r.requireError(t, "AccessDeniedException")
	// A denied LookupEvents is recorded too.
	b.call(t, cloudtrailTarget+"LookupEvents", []byte(`{}`)).requireError(t, "AccessDeniedException")
	b.srv.Service.Authz = nil // now look, as an administrator would

	recs := lookupRecords(t, b.harness, "StartPipelineExecution")
	require.Len(t, recs, 1)
	require.Equal(t, "AccessDeniedException", recs[0]["errorCode"])
	require.Contains(t, recs[0]["errorMessage"], "is not authorized to perform: codepipeline:StartPipelineExecution")
	require.Nil(t, recs[0]["responseElements"])
	require.Equal(t, r.reqID, recs[0]["requestID"])
	lookups := lookupRecords(t, b.harness, "LookupEvents")
	require.NotEmpty(t, lookups)
	require.Equal(t, "AccessDeniedException", lookups[len(lookups)-1]["errorCode"])
}

// TestAuditHidesSecrets: a webhook's secret and a connection's secret reach no record.
func TestAuditHidesSecrets(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	r := h.call(t, functionsTarget+"PutFunction", []byte(`{"name":"notify","url":"http://127.0.0.1:9/","secret":"do-not-record-this-secret"}`))
	require.Equal(t, http.StatusOK, r.status, "%s", r.body)
	all := h.call(t, cloudtrailTarget+"LookupEvents", []byte(`{}`))
	require.Equal(t, http.StatusOK, all.status)
	require.NotContains(t, string(all.body), "do-not-record-this-secret")
	recs := lookupRecords(t, h, "PutFunction")
	require.Len(t, recs, 1)
	require.Equal(t, "HIDDEN_DUE_TO_SECURITY_REASONS", recs[0]["requestParameters"].(map[string]any)["secret"])
}

// TestAuditHidesStoredSecrets: Secrets Manager's and Parameter Store's values reach no record.
func TestAuditHidesStoredSecrets(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	for target, body := range map[string]string{
		secretsTarget + "CreateSecret": `{"Name":"db","SecretString":"sm-value-never-recorded"}`,
		ssmTarget + "PutParameter":     `{"Name":"/db/pw","Type":"SecureString","Value":"ssm-value-never-recorded"}`,
	} {
		r := h.call(t, target, []byte(body))
		require.Equal(t, http.StatusOK, r.status, "%s: %s", target, r.body)
	}
	all := h.call(t, cloudtrailTarget+"LookupEvents", []byte(`{}`))
	require.Equal(t, http.StatusOK, all.status)
	require.NotContains(t, string(all.body), "never-recorded")
	put := lookupRecords(t, h, "PutParameter")
	require.Len(t, put, 1)
	require.Equal(t, "ssm.amazonaws.com", put[0]["eventSource"])
	require.Equal(t, "HIDDEN_DUE_TO_SECURITY_REASONS", put[0]["requestParameters"].(map[string]any)["value"])
}
