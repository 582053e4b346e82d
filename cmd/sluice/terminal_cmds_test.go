package main

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"
	"github.com/stretchr/testify/require"

	"sluice/node/nodetest"
)

// cli runs `sluice COMMAND PIPELINE ARGS` against the fixture's server, signed with the
// root key of the fixture's data directory.
func (l *logsCLI) cli(t *testing.T, command, pipeline string, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(sluiceBinary(t), append([]string{command, pipeline, "--endpoint-url", l.URL, "--data-dir", l.dataDir}, args...)...)
	cmd.Env = append(os.Environ(), "AWS_ACCESS_KEY_ID=", "AWS_SECRET_ACCESS_KEY=", "AWS_ENDPOINT_URL=", "NO_COLOR=")
	return cmd
}

// runCLI runs the command to its end: stdout, stderr, error.
func (l *logsCLI) runCLI(t *testing.T, command, pipeline string, args ...string) (string, string, error) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	cmd := l.cli(t, command, pipeline, args...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	return stdout.String(), stderr.String(), err
}

func TestStatusCommand(t *testing.T) {
	t.Parallel()

	t.Run("DrawsStagesActionsAndTheApprovalHint", func(t *testing.T) {
		t.Parallel()
		l := setupLogsCLI(t)
		exec := l.Create(t, pipeline("app", stage("Build", cmdAction("Compile", "echo compiled")),
			stage("Approve", nodetest.Approval("Review"))))
		token := l.ApprovalToken(t, "app", "Approve", "Review")
		out, stderr, err := l.runCLI(t, "status", "app")
		require.NoError(t, err, stderr)
		require.Contains(t, out, "execution "+exec+"  InProgress")
		require.Regexp(t, `┌─ Source ─+ Succeeded ─┐`, out)
		require.Regexp(t, `┌─ Build ─+ Succeeded ─┐`, out)
		require.Regexp(t, `│ ✓  Compile\s+Commands\s+Succeeded\s+\d+s`, out)
		require.Regexp(t, `┌─ Approve ─+ InProgress ─┐`, out)
		require.Regexp(t, `Review\s+Manual\s+InProgress`, out)
		require.Contains(t, out, "Waiting for approval: Approve/Review")
		require.Contains(t, out, "aws codepipeline put-approval-result --pipeline-name app --stage-name Approve --action-name Review --token "+token)
		require.Contains(t, out, "--endpoint-url "+l.URL)
		require.NotContains(t, out, "\x1b[", "no colours on a pipe")
	})
	t.Run("ErrUnknownPipeline", func(t *testing.T) {
		t.Parallel()
		l := setupLogsCLI(t)
		_, stderr, err := l.runCLI(t, "status", "nope")
		require.Error(t, err)
		require.Contains(t, stderr, "PipelineNotFoundException")
	})
}

func TestHistoryCommand(t *testing.T) {
	t.Parallel()
	l := setupLogsCLI(t)
	first := l.Create(t, pipeline("app", stage("Build", cmdAction("Compile", "echo compiled"))))
	l.WaitStatus(t, "app", first, types.PipelineExecutionStatusSucceeded)
	started, err := l.CP.StartPipelineExecution(l.ctx, &codepipeline.StartPipelineExecutionInput{Name: aws.String("app")})
	require.NoError(t, err)
	second := aws.ToString(started.PipelineExecutionId)
	l.WaitStatus(t, "app", second, types.PipelineExecutionStatusSucceeded)
	sha := aws.ToString(l.Executions(t, "app")[0].SourceRevisions[0].RevisionId)

	t.Run("ListsNewestFirst", func(t *testing.T) {
		t.Parallel()
		out, stderr, err := l.runCLI(t, "history", "app")
		require.NoError(t, err, stderr)
		lines := strings.Split(strings.TrimSpace(out), "\n")
		require.Len(t, lines, 3)
		require.Regexp(t, `^STATUS\s+EXECUTION\s+TRIGGER\s+COMMIT\s+MESSAGE\s+STARTED\s+DURATION$`, lines[0])
		require.Regexp(t, `^✓ Succeeded\s+`+second+`\s+StartPipelineExecution.*\s+`+sha[:7]+`\s+.+\s+\d+\w+ ago\s+\d+`, lines[1])
		require.Contains(t, lines[2], first)
		require.Contains(t, lines[2], "CreatePipeline")
	})
	t.Run("Limit", func(t *testing.T) {
		t.Parallel()
		out, stderr, err := l.runCLI(t, "history", "app", "--limit", "1")
		require.NoError(t, err, stderr)
		require.Contains(t, out, second)
		require.NotContains(t, out, first)
	})
	t.Run("StatusFilter", func(t *testing.T) {
		t.Parallel()
		out, stderr, err := l.runCLI(t, "history", "app", "--status", "failed")
		require.NoError(t, err, stderr)
		require.Equal(t, "No executions of app with status Failed\n", out)
	})
	t.Run("ErrUnknownStatus", func(t *testing.T) {
		t.Parallel()
		_, stderr, err := l.runCLI(t, "history", "app", "--status", "Done")
		require.Error(t, err)
		require.Contains(t, stderr, `--status "Done" is not a status: use one of`)
	})
}

func TestWatchCommand(t *testing.T) {
	t.Parallel()

	t.Run("ExitsZeroWhenTheExecutionSucceeds", func(t *testing.T) {
		t.Parallel()
		l := setupLogsCLI(t)
		g := newGate(t)
		exec := l.Create(t, pipeline("app", stage("Build", cmdAction("Compile", g.Wait(), "echo compiled"))))
		l.WaitAction(t, "app", "Build", "Compile", types.ActionExecutionStatusInProgress)
		cmd := l.cli(t, "watch", "app", "--interval", "100ms")
		stdout, err := cmd.StdoutPipe()
		require.NoError(t, err)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		require.NoError(t, cmd.Start())
		t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
		stop := time.AfterFunc(3*time.Minute, func() { _ = cmd.Process.Kill() }) // rather than hang
		defer stop.Stop()
		r := bufio.NewReader(stdout)
		readContaining(t, r, " Build/Compile InProgress")
		g.Open(t)
		readContaining(t, r, " Build/Compile Succeeded")
		readContaining(t, r, " execution "+exec+" Succeeded")
		require.NoError(t, cmd.Wait(), stderr.String())
	})
	t.Run("ExitsNonZeroNamingTheFailedAction", func(t *testing.T) {
		t.Parallel()
		l := setupLogsCLI(t)
		exec := l.Create(t, pipeline("app", stage("Build", cmdAction("Compile", "exit 3"))))
		out, stderr, err := l.runCLI(t, "watch", "app", "--execution", exec, "--interval", "100ms")
		require.Error(t, err)
		require.Contains(t, out, "Build/Compile Failed")
		require.Contains(t, stderr, "execution "+exec+" of app Failed: failed action Build/Compile")
	})
}

// readContaining reads lines until one contains want, failing at the end of the stream.
func readContaining(t *testing.T, r *bufio.Reader, want string) {
	t.Helper()
	for {
		line, err := r.ReadString('\n')
		require.NoError(t, err, "the stream ended before a line with %q", want)
		if strings.Contains(line, want) {
			return
		}
	}
}
