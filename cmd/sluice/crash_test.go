package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codecommit"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"
	"github.com/stretchr/testify/require"
)

// process is a `sluice server` running as a child process.
type process struct {
	cmd  *exec.Cmd
	addr string
	log  *os.File
}

// startServer runs `sluice server` with its actions unsandboxed: the crash test's action
// marks its progress in the test's files, and the test kills its orphaned process group.
func startServer(t *testing.T, dataDir, addr string, args ...string) *process {
	t.Helper()
	if len(args) == 0 {
		args = []string{"--sandbox=off"}
	}
	return startServerWith(t, dataDir, addr, args...)
}

// startServerWith is startServer with more flags (the sandbox on unless they say otherwise).
func startServerWith(t *testing.T, dataDir, addr string, flags ...string) *process {
	t.Helper()
	logFile, err := os.OpenFile(filepath.Join(dataDir, "..", "server.log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	require.NoError(t, err)
	cmd := exec.Command(sluiceBinary(t), append([]string{"server", "--listen", addr, "--data-dir", dataDir, "--workers", "2"}, flags...)...)
	cmd.Env = append(os.Environ(), "SLUICE_ACCESS_KEY_ID="+testKeyID, "SLUICE_SECRET_ACCESS_KEY="+testSecret)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	require.NoError(t, cmd.Start())
	p := &process{cmd: cmd, addr: addr, log: logFile}
	t.Cleanup(func() { p.kill(); logFile.Close() })
	p.waitHealthy(t)
	return p
}

// waitHealthy waits until GET /healthz answers, as a deployment's readiness probe would.
func (p *process) waitHealthy(t *testing.T) {
	t.Helper()
	for i := 0; ; i++ {
		resp, err := http.Get("http://" + p.addr + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		require.Less(t, i, 600, "server on %s never became healthy: %v", p.addr, err)
		time.Sleep(50 * time.Millisecond) // another process: there is no signal to wait on
	}
}

func (p *process) kill() {
	if p.cmd.ProcessState == nil {
		_ = p.cmd.Process.Signal(syscall.SIGKILL)
		_, _ = p.cmd.Process.Wait()
	}
}

// poll re-checks cond against a server in another process.
func poll(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for i := 0; !cond(); i++ {
		require.Less(t, i, 2400, "timed out waiting for %s", what)
		time.Sleep(50 * time.Millisecond) // another process: there is no signal to wait on
	}
}

// TestCrashRecovery kills the server with SIGKILL while an action runs and again while an
// approval waits; each time a restart on the same data directory resumes the execution.
func TestCrashRecovery(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	data, marks := filepath.Join(root, "data"), filepath.Join(root, "marks")
	require.NoError(t, os.MkdirAll(marks, 0o755))
	addr := freeAddr(t)
	srv := startServer(t, data, addr)
	url := "http://" + addr
	cp, cc := clients(url, testKeyID, testSecret)
	ctx := context.Background()

	_, err := cc.CreateRepository(ctx, &codecommit.CreateRepositoryInput{RepositoryName: aws.String("app")})
	require.NoError(t, err)
	p := appPipeline(t)
	// The first run of Compile blocks until the server is killed; later runs pass.
	p.Stages[1].Actions[0].Commands = append([]string{fmt.Sprintf(
		"if [ ! -f %[1]s/crashed ]; then echo $$ > %[1]s/pgid; touch %[1]s/started; sleep 600; fi", marks)},
		p.Stages[1].Actions[0].Commands...)
	_, err = cp.CreatePipeline(ctx, &codepipeline.CreatePipelineInput{Pipeline: p})
	require.NoError(t, err)
	b := &bundle{URL: url, CP: cp, CC: cc}
	sha := pushApp(t, b, "hello")

	waitFile(t, filepath.Join(marks, "started"))
	srv.kill()
	killGroup(t, filepath.Join(marks, "pgid")) // the orphaned action, as an operator would
	require.NoError(t, os.WriteFile(filepath.Join(marks, "crashed"), nil, 0o644))
	srv = startServer(t, data, addr)

	exec := executionOf(t, cp, sha)
	poll(t, "the interrupted execution to fail", func() bool { return status(t, cp, exec) == types.PipelineExecutionStatusFailed })
	state, err := cp.GetPipelineState(ctx, &codepipeline.GetPipelineStateInput{Name: aws.String("app")})
	require.NoError(t, err)
	compile := state.StageStates[1].ActionStates[0].LatestExecution
	require.Equal(t, types.ActionExecutionStatusFailed, compile.Status)
	require.Contains(t, *compile.ErrorDetails.Message, "restarted")

	_, err = cp.RetryStageExecution(ctx, &codepipeline.RetryStageExecutionInput{PipelineName: aws.String("app"),
		StageName: aws.String("Build"), PipelineExecutionId: aws.String(exec), RetryMode: types.StageRetryModeFailedActions})
	require.NoError(t, err)
	var token string
	poll(t, "the approval", func() bool { token = openToken(t, cp); return token != "" })

	srv.kill()
	srv = startServer(t, data, addr)
	_, err = cp.PutApprovalResult(ctx, &codepipeline.PutApprovalResultInput{PipelineName: aws.String("app"),
		StageName: aws.String("Approval"), ActionName: aws.String("Approve"), Token: aws.String(token),
		Result: &types.ApprovalResult{Status: types.ApprovalStatusApproved, Summary: aws.String("after a crash")}})
	require.NoError(t, err, "the same token answers the approval after a restart")
	poll(t, "the execution to succeed", func() bool { return status(t, cp, exec) == types.PipelineExecutionStatusSucceeded })
	_ = srv
}

func killGroup(t *testing.T, pgidFile string) {
	raw, err := os.ReadFile(pgidFile)
	require.NoError(t, err)
	pgid, err := strconv.Atoi(strings.TrimSpace(string(raw)))
	require.NoError(t, err)
	_ = syscall.Kill(-pgid, syscall.SIGKILL)
}

func executionOf(t *testing.T, cp *codepipeline.Client, sha string) string {
	var id string
	poll(t, "the execution of "+sha, func() bool {
		out, err := cp.ListPipelineExecutions(context.Background(), &codepipeline.ListPipelineExecutionsInput{PipelineName: aws.String("app")})
		require.NoError(t, err)
		for _, e := range out.PipelineExecutionSummaries {
			for _, r := range e.SourceRevisions {
				if aws.ToString(r.RevisionId) == sha {
					id = *e.PipelineExecutionId
				}
			}
		}
		return id != ""
	})
	return id
}

func status(t *testing.T, cp *codepipeline.Client, exec string) types.PipelineExecutionStatus {
	out, err := cp.GetPipelineExecution(context.Background(), &codepipeline.GetPipelineExecutionInput{
		PipelineName: aws.String("app"), PipelineExecutionId: aws.String(exec)})
	require.NoError(t, err)
	return out.PipelineExecution.Status
}

func openToken(t *testing.T, cp *codepipeline.Client) string {
	st, err := cp.GetPipelineState(context.Background(), &codepipeline.GetPipelineStateInput{Name: aws.String("app")})
	require.NoError(t, err)
	for _, s := range st.StageStates {
		for _, a := range s.ActionStates {
			if a.LatestExecution != nil && a.LatestExecution.Token != nil {
				return *a.LatestExecution.Token
			}
		}
	}
	return ""
}
