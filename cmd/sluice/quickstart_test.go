package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice/node"
)

// quickstartBlocks returns the shell blocks of the README's Quickstart section, in order.
func quickstartBlocks(t *testing.T, readme string) []string {
	t.Helper()
	raw, err := os.ReadFile(readme)
	require.NoError(t, err)
	section := string(raw)
	_, section, ok := strings.Cut(section, "## Quickstart")
	require.True(t, ok, "README has no Quickstart section")
	section, _, _ = strings.Cut(section, "\n## ")
	var blocks []string
	for _, m := range regexp.MustCompile("(?s)```sh\n(.*?)```").FindAllStringSubmatch(section, -1) {
		blocks = append(blocks, m[1])
	}
	return blocks
}

// TestQuickstart runs the README's quickstart as written, with the real AWS CLI and git, in a
// scratch copy of the repository's top level; only the listen address differs, so that the
// test can run beside anything already on port 7080.
func TestQuickstart(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("aws"); err != nil {
		if os.Getenv("SLUICE_REQUIRE_AWSCLI") != "" {
			t.Fatal("the AWS CLI is required (SLUICE_REQUIRE_AWSCLI is set) but not installed")
		}
		t.Skip("the AWS CLI is not installed")
	}
	repo, err := filepath.Abs(filepath.Join("..", ".."))
	require.NoError(t, err)
	blocks := quickstartBlocks(t, filepath.Join(repo, "README.md"))
	require.GreaterOrEqual(t, len(blocks), 3)
	work := scratchCopy(t, repo)
	addr := freeAddr(t)
	env := append(gitEnv(t), "SLUICE_LISTEN="+addr, "AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null")
	fix := func(s string) string { return strings.ReplaceAll(s, "127.0.0.1:7080", addr) }

	build, serve, _ := strings.Cut(strings.TrimSpace(blocks[0]), "\n")
	shell(t, work, env, build)
	server := exec.Command("bash", "-c", "exec "+serve)
	server.Dir, server.Env = work, env
	serverLog, err := os.Create(filepath.Join(t.TempDir(), "server.log"))
	require.NoError(t, err)
	defer serverLog.Close()
	server.Stdout, server.Stderr = serverLog, serverLog
	require.NoError(t, server.Start())
	t.Cleanup(func() { _ = server.Process.Kill(); _, _ = server.Process.Wait() })
	(&process{addr: addr}).waitHealthy(t)

	script := fix(strings.Join(blocks[1:3], "\n"))
	out := shell(t, work, env, "set -euo pipefail\n"+script)
	require.Contains(t, out, "approvedAt", "the approval step ran")
	key, err := node.ReadKey(filepath.Join(work, "sluice-data", node.KeyFile))
	require.NoError(t, err)
	gitConfig, err := os.ReadFile(filepath.Join(work, "work-app", ".git", "config"))
	require.NoError(t, err)
	require.NotContains(t, string(gitConfig), key.Secret, "the clone keeps the secret in .git/config")
	poll(t, "the pushed execution to succeed", func() bool {
		status := shell(t, work, env, fix(blocks[1][:strings.Index(blocks[1], "\n")])+"\nE=http://"+addr+
			"\naws codepipeline list-pipeline-executions --pipeline-name app --endpoint-url $E --query 'pipelineExecutionSummaries[0].status' --output text")
		if strings.Contains(status, "Failed") {
			out, _ := os.ReadFile(serverLog.Name())
			t.Fatalf("the pushed execution failed; server log:\n%s", out)
		}
		return strings.TrimSpace(status) == "Succeeded"
	})
}

// scratchCopy links the repository's top-level entries into a temporary directory, so the
// quickstart's build and data directory do not touch the checkout.
func scratchCopy(t *testing.T, repo string) string {
	t.Helper()
	work := t.TempDir()
	entries, err := os.ReadDir(repo)
	require.NoError(t, err)
	for _, e := range entries {
		if e.Name() == ".git" || e.Name() == "sluice" || e.Name() == "sluice-data" || e.Name() == "work-app" {
			continue
		}
		require.NoError(t, os.Symlink(filepath.Join(repo, e.Name()), filepath.Join(work, e.Name())))
	}
	return work
}

func shell(t *testing.T, dir string, env []string, script string) string {
	t.Helper()
	cmd := exec.Command("bash", "-c", script)
	cmd.Dir, cmd.Env = dir, env
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s\n%s", script, out)
	return string(out)
}
