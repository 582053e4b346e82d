package main

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codecommit"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline"
	"github.com/stretchr/testify/require"
)

// sluiceAudit runs `sluice audit` against the server at addr with the test key.
func sluiceAudit(t *testing.T, addr string, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command(sluiceBinary(t), append([]string{"audit", "--endpoint-url", "http://" + addr}, args...)...)
	cmd.Env = append(os.Environ(), "AWS_ACCESS_KEY_ID="+testKeyID, "AWS_SECRET_ACCESS_KEY="+testSecret, "AWS_REGION=us-east-1")
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// TestAuditAfterKill makes a change, kills the server with SIGKILL at once, and finds the
// change's record after a restart, through `sluice audit` and in the JSON-lines export.
func TestAuditAfterKill(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	data, export := filepath.Join(root, "data"), filepath.Join(root, "audit.jsonl")
	addr := freeAddr(t)
	srv := startServerWith(t, data, addr, "--audit-export", export)
	cp, cc := clients("http://"+addr, testKeyID, testSecret)
	ctx := context.Background()
	_, err := cc.CreateRepository(ctx, &codecommit.CreateRepositoryInput{RepositoryName: aws.String("kept")})
	require.NoError(t, err)
	srv.kill()

	startServerWith(t, data, addr, "--audit-export", export)
	out, err := sluiceAudit(t, addr, "--event-name", "CreateRepository", "--json")
	require.NoError(t, err, out)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.Len(t, lines, 1, out)
	var rec struct {
		EventName, ErrorCode string
		UserIdentity         struct{ Type, AccessKeyID string }
		RequestParameters    map[string]any
	}
	require.NoError(t, json.Unmarshal([]byte(lines[0]), &rec))
	require.Equal(t, "Root", rec.UserIdentity.Type)
	require.Equal(t, testKeyID, rec.UserIdentity.AccessKeyID)
	require.Equal(t, "kept", rec.RequestParameters["repositoryName"])
	require.Empty(t, rec.ErrorCode)

	// The export catches up after the restart: the record is appended, once complete.
	poll(t, "the export of CreateRepository", func() bool {
		b, _ := os.ReadFile(export)
		return strings.Contains(string(b), `"eventName":"CreateRepository"`)
	})

	// The table, a failed call, and a filter the server refuses.
	_, err = cp.GetPipeline(ctx, &codepipeline.GetPipelineInput{Name: aws.String("absent")})
	require.Error(t, err)
	out, err = sluiceAudit(t, addr, "--event-name", "GetPipeline")
	require.NoError(t, err, out)
	require.Contains(t, out, "TIME")
	require.Contains(t, out, "PipelineNotFoundException")
	require.Contains(t, out, "absent")
	out, err = sluiceAudit(t, addr, "--since", "2026-12-08T00:00:00Z", "--until", "2026-12-07T00:00:00Z")
	require.Error(t, err)
	require.Contains(t, out, "InvalidTimeRangeException")
	out, err = sluiceAudit(t, addr, "--event-name", "A", "--username", "root")
	require.Error(t, err)
	require.Contains(t, out, "at most one")
}
