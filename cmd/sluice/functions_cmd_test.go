package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/node"
)

// TestFunctionsCommand registers, lists and deletes functions with `sluice functions`.
func TestFunctionsCommand(t *testing.T) {
	t.Parallel()
	b := setup(t)
	dir := t.TempDir()
	require.NoError(t, node.WriteKey(filepath.Join(dir, "root-access-key.json"), sluice.AccessKey{ID: testKeyID, Secret: testSecret}))
	run := func(args ...string) (string, string, error) {
		var stdout, stderr bytes.Buffer
		cmd := rootCmd()
		cmd.SetArgs(append([]string{"functions"}, append(args, "--endpoint-url", b.URL, "--data-dir", dir)...))
		cmd.SetOut(&stdout)
		cmd.SetErr(&stderr)
		err := cmd.ExecuteContext(context.Background())
		return stdout.String(), stderr.String(), err
	}

	out, msg, err := run("put", "notify", "--url", "https://hooks.example.com/notify")
	require.NoError(t, err)
	require.Contains(t, msg, "Registered function notify at https://hooks.example.com/notify")
	secret := strings.TrimSpace(out)
	require.Regexp(t, regexp.MustCompile(`^[0-9a-f]{64}$`), secret, "the generated secret, alone on stdout")
	stored, err := b.Node.DB.GetFunction(context.Background(), "notify")
	require.NoError(t, err)
	require.Equal(t, secret, stored.Secret)

	file := filepath.Join(t.TempDir(), "deploy.secret")
	require.NoError(t, os.WriteFile(file, []byte("from-a-file-0123456789\n"), 0o600))
	out, _, err = run("put", "deploy", "--url", "http://10.0.0.7:8080/", "--secret-file", file)
	require.NoError(t, err)
	require.Empty(t, out, "a secret the user gave is not printed")
	stored, err = b.Node.DB.GetFunction(context.Background(), "deploy")
	require.NoError(t, err)
	require.Equal(t, "from-a-file-0123456789", stored.Secret)

	out, _, err = run("list")
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.Len(t, lines, 3)
	require.Regexp(t, `^deploy\s+http://10\.0\.0\.7:8080/\s+\d{4}-`, lines[1])
	require.Regexp(t, `^notify\s+https://hooks\.example\.com/notify\s+`, lines[2])
	require.NotContains(t, out, secret)

	_, _, err = run("put", "bad", "--url", "ftp://hooks.example.com/")
	require.ErrorContains(t, err, "ValidationException")
	require.ErrorContains(t, err, "'url'")
	_, msg, err = run("delete", "notify")
	require.NoError(t, err)
	require.Contains(t, msg, "Deleted function notify")
	_, _, err = run("delete", "notify")
	require.EqualError(t, err, "ResourceNotFoundException: Function not found: notify")
}
