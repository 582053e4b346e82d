package audit_test

import (
	"bufio"
	"context"
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/audit"
	"sluice/store/sqlite"
)

func openStore(t *testing.T) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "sluice.db"))
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, db.Close()) })
	return db
}

// event is the record of a call named name at t, begun as a surface begins it.
func event(name string, t time.Time) *sluice.AuditEvent {
	_, rec := audit.Begin(context.Background(), audit.Call{Source: "codepipeline.amazonaws.com", Name: name,
		Region: "us-east-1", Account: "123456789012", Caller: sluice.Caller{Principal: "arn:aws:iam::123456789012:root"}})
	ev, _ := rec.Finish(t, nil, "", "")
	return ev
}

func TestParametersHideSecrets(t *testing.T) {
	t.Parallel()
	in := `{"Name":"p","SecretToken":"s1","authenticationConfiguration":{"SecretToken":"s2","AllowedIPRange":"10.0.0.0/8"},
		"Tags":[{"Key":"k","Value":"v"}],"SecretString":"s3","password":"s4","WebhookSecret":"s5","secret":"s6"}`
	var got map[string]any
	require.NoError(t, json.Unmarshal(audit.Parameters([]byte(in)), &got))
	require.Equal(t, map[string]any{"name": "p", "secretToken": audit.Hidden,
		"authenticationConfiguration": map[string]any{"secretToken": audit.Hidden, "allowedIPRange": "10.0.0.0/8"},
		"tags":                        []any{map[string]any{"key": "k", "value": "v"}}, "secretString": audit.Hidden, "password": audit.Hidden,
		"webhookSecret": audit.Hidden, "secret": audit.Hidden}, got)

	// SSM's values are secret in its parameter operations only.
	require.JSONEq(t, `{"name":"/db/pw","type":"SecureString","value":"HIDDEN_DUE_TO_SECURITY_REASONS"}`,
		string(audit.ParametersOf("PutParameter", []byte(`{"Name":"/db/pw","Type":"SecureString","Value":"hunter2"}`))))
	require.Equal(t, "null", string(audit.Parameters(nil)))
	require.Equal(t, "null", string(audit.Parameters([]byte(`[1]`))))
	// Answers lose their secrets altogether.
	require.JSONEq(t, `{"accessKey":{"accessKeyId":"AKIA1"}}`,
		string(audit.Response(map[string]any{"AccessKey": map[string]any{"AccessKeyId": "AKIA1", "SecretAccessKey": "x"}})))
}

func TestIdentity(t *testing.T) {
	t.Parallel()
	root := audit.Identity(sluice.Caller{Principal: "arn:aws:iam::123456789012:root", AccessKeyID: "AKIAROOT"}, "123456789012")
	require.Equal(t, sluice.AuditIdentity{Type: "Root", PrincipalID: "123456789012", ARN: "arn:aws:iam::123456789012:root",
		AccountID: "123456789012", AccessKeyID: "AKIAROOT"}, root)
	require.Equal(t, "root", root.Username())
	user := audit.Identity(sluice.Caller{Principal: "arn:aws:iam::123456789012:user/dev/alice"}, "123456789012")
	require.Equal(t, "IAMUser", user.Type)
	require.Equal(t, "alice", user.Username())
	require.True(t, audit.IsReadOnly("GetPipeline"))
	require.True(t, audit.IsReadOnly("GitPull"))
	require.False(t, audit.IsReadOnly("PutApprovalResult"))
}

func TestExportAppendsOnceAndResumes(t *testing.T) {
	t.Parallel()
	db := openStore(t)
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	x := &audit.Exporter{Path: path, Store: db}
	now := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	a, b := event("CreatePipeline", now), event("GetPipeline", now.Add(time.Second))
	require.NoError(t, db.AddAuditEvents(ctx, a, b))
	require.NoError(t, x.Drain(ctx))
	require.NoError(t, x.Drain(ctx)) // nothing new: nothing appended
	c := event("DeletePipeline", now.Add(2*time.Second))
	require.NoError(t, db.AddAuditEvents(ctx, c))
	// A new exporter on the same file (a restart) goes on from the cursor.
	require.NoError(t, (&audit.Exporter{Path: path, Store: db}).Drain(ctx))
	require.Equal(t, []string{a.EventID, b.EventID, c.EventID}, exported(t, path))
	info, err := os.Stat(path)
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o600), info.Mode().Perm())
}

func exported(t *testing.T, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	var ids []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var rec struct{ EventID, EventTime string }
		require.NoError(t, json.Unmarshal(sc.Bytes(), &rec))
		require.Regexp(t, `Z$`, rec.EventTime)
		ids = append(ids, rec.EventID)
	}
	return ids
}

type fixedClock time.Time

func (c fixedClock) Now() time.Time { return time.Time(c) }

func TestPruneKeepsTheRetention(t *testing.T) {
	t.Parallel()
	db := openStore(t)
	ctx := t.Context()
	now := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	old, kept := event("Old", now.Add(-91*24*time.Hour)), event("Kept", now.Add(-89*24*time.Hour))
	require.NoError(t, db.AddAuditEvents(ctx, old, kept))
	p := &audit.Pruner{Store: db, Clock: fixedClock(now), Retention: audit.DefaultRetention}
	n, err := p.Prune(ctx)
	require.NoError(t, err)
	require.Equal(t, 1, n)
	left, _, err := db.LookupAuditEvents(ctx, sluice.AuditQuery{})
	require.NoError(t, err)
	require.Len(t, left, 1)
	require.Equal(t, kept.EventID, left[0].EventID)
}

func TestQueryParams(t *testing.T) {
	t.Parallel()
	form := url.Values{"Action": {"CreateLoginProfile"}, "Version": {"2010-05-08"}, "UserName": {"alice"}, "Password": {"hunter2"}}
	require.JSONEq(t, `{"userName":"alice","password":"HIDDEN_DUE_TO_SECURITY_REASONS"}`,
		string(audit.ParametersOf("CreateLoginProfile", audit.QueryParams(form))))
	require.Nil(t, audit.QueryParams(url.Values{"Action": {"GetCallerIdentity"}}))
}
