package main

import (
	"bufio"
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"
	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/node"
)

// logsCLI runs the `sluice logs` binary against the fixture's server, with the test key in a
// data directory as the server would have stored it.
type logsCLI struct {
	*conformance
	dataDir string
}

func setupLogsCLI(t *testing.T) *logsCLI {
	t.Helper()
	c := setupConformance(t)
	dir := t.TempDir()
	require.NoError(t, node.WriteKey(filepath.Join(dir, "root-access-key.json"), sluice.AccessKey{ID: testKeyID, Secret: testSecret}))
	return &logsCLI{conformance: c, dataDir: dir}
}

// command is `sluice logs PIPELINE ARGS` with the endpoint and data directory set.
func (l *logsCLI) command(t *testing.T, pipeline string, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(sluiceBinary(t), append([]string{"logs", pipeline, "--endpoint-url", l.URL, "--data-dir", l.dataDir}, args...)...)
	cmd.Env = append(os.Environ(), "AWS_ACCESS_KEY_ID=", "AWS_SECRET_ACCESS_KEY=")
	return cmd
}

// run runs the command to its end and returns stdout, stderr and its error.
func (l *logsCLI) run(t *testing.T, pipeline string, args ...string) (string, string, error) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	cmd := l.command(t, pipeline, args...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	return stdout.String(), stderr.String(), err
}

func TestLogsCommand(t *testing.T) {
	t.Parallel()

	t.Run("FollowsTheRunningAction", func(t *testing.T) {
		t.Parallel()
		l := setupLogsCLI(t)
		g := newGate(t)
		l.Create(t, pipeline("app", stage("Build", cmdAction("Run", "echo first-line", g.Wait(), "echo second-line"))))
		l.WaitAction(t, "app", "Build", "Run", types.ActionExecutionStatusInProgress)
		cmd := l.command(t, "app", "--follow")
		stdout, err := cmd.StdoutPipe()
		require.NoError(t, err)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		require.NoError(t, cmd.Start())
		t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
		r := bufio.NewReader(stdout)
		readLine(t, r, "first-line")
		g.Open(t)
		rest, err := io.ReadAll(r)
		require.NoError(t, err)
		require.Contains(t, string(rest), "\nsecond-line\n")
		require.NoError(t, cmd.Wait(), "stderr: %s", stderr.String())
		require.Contains(t, stderr.String(), "==> Build/Run (InProgress)")
		require.Contains(t, stderr.String(), "==> Build/Run Succeeded")
	})

	t.Run("PrintsTheLastActionOrTheOneNamed", func(t *testing.T) {
		t.Parallel()
		l := setupLogsCLI(t)
		exec := l.Create(t, pipeline("app", stage("Build", cmdAction("Compile", "echo compiled")), stage("Test", cmdAction("Check", "echo checked"))))
		l.WaitAction(t, "app", "Test", "Check", types.ActionExecutionStatusSucceeded)
		out, stderr, err := l.run(t, "app")
		require.NoError(t, err, stderr)
		require.Contains(t, out, "\nchecked\n")
		require.Contains(t, stderr, "==> Test/Check (Succeeded)")
		out, stderr, err = l.run(t, "app", "--action", "Build/Compile", "--execution", exec)
		require.NoError(t, err, stderr)
		require.Contains(t, out, "\ncompiled\n")
		require.NotContains(t, out, "checked")
	})

	t.Run("ErrUnknownActionListsTheActions", func(t *testing.T) {
		t.Parallel()
		l := setupLogsCLI(t)
		l.Create(t, pipeline("app", stage("Build", cmdAction("Compile", "true"))))
		l.WaitAction(t, "app", "Build", "Compile", types.ActionExecutionStatusSucceeded)
		_, stderr, err := l.run(t, "app", "--action", "Deploy")
		require.Error(t, err)
		require.Contains(t, stderr, `no action named "Deploy" ran in execution`)
		require.Contains(t, stderr, "actions that ran: Compile, Source")
	})

	t.Run("ErrUnknownPipeline", func(t *testing.T) {
		t.Parallel()
		l := setupLogsCLI(t)
		_, stderr, err := l.run(t, "nope")
		require.Error(t, err)
		require.Contains(t, stderr, "PipelineNotFoundException")
		require.Contains(t, stderr, "does not have a pipeline with name 'nope'")
	})
}

func TestClientCredentials(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	require.NoError(t, node.WriteKey(filepath.Join(dir, "root-access-key.json"), sluice.AccessKey{ID: "AKIAFROMDATADIR00001", Secret: "from-dir"}))
	env := map[string]string{"AWS_ACCESS_KEY_ID": "AKIAFROMENV000000001", "AWS_SECRET_ACCESS_KEY": "from-env"}

	t.Run("EnvironmentWithoutDataDirFlag", func(t *testing.T) {
		t.Parallel()
		k, err := clientCredentials(dir, false, func(k string) string { return env[k] })
		require.NoError(t, err)
		require.Equal(t, "AKIAFROMENV000000001", k.AccessKeyID)
	})
	t.Run("DataDirFlagWins", func(t *testing.T) {
		t.Parallel()
		k, err := clientCredentials(dir, true, func(k string) string { return env[k] })
		require.NoError(t, err)
		require.Equal(t, "AKIAFROMDATADIR00001", k.AccessKeyID)
		require.Equal(t, "from-dir", k.SecretAccessKey)
	})
	t.Run("DataDirWithoutEnvironment", func(t *testing.T) {
		t.Parallel()
		k, err := clientCredentials(dir, false, func(string) string { return "" })
		require.NoError(t, err)
		require.Equal(t, "AKIAFROMDATADIR00001", k.AccessKeyID)
	})
	t.Run("ErrNone", func(t *testing.T) {
		t.Parallel()
		_, err := clientCredentials(t.TempDir(), false, func(string) string { return "" })
		require.ErrorContains(t, err, "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")
		require.True(t, strings.Contains(err.Error(), "--data-dir"))
	})
}
