package node_test

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"
	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/config"
	"sluice/node"
	"sluice/sandbox"
)

// workerProcess is a `sluice worker` running as a child process in its own process group,
// so that killing it takes the actions it runs along, as a machine that dies would.
type workerProcess struct{ cmd *exec.Cmd }

func startWorker(t *testing.T, url string, args ...string) *workerProcess {
	t.Helper()
	return startWorkerEnv(t, url, nil, args...)
}

// startWorkerEnv is startWorker with more environment variables.
func startWorkerEnv(t *testing.T, url string, env []string, args ...string) *workerProcess {
	t.Helper()
	// WORKER_MARK reaches actions only because --action-env passes it on.
	cmd := exec.Command(sluiceBinary(t), append([]string{"worker", "--server", url, "--capacity", "2", "--work-dir", workDir(t),
		"--action-env", "WORKER_MARK"}, args...)...)
	cmd.Env = append(os.Environ(), "SLUICE_ACCESS_KEY_ID="+testKeyID, "SLUICE_SECRET_ACCESS_KEY="+testSecret, "WORKER_MARK=remote")
	cmd.Env = append(cmd.Env, env...)
	cmd.Stdout, cmd.Stderr = testWriter{T: t}, testWriter{T: t}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	require.NoError(t, cmd.Start())
	w := &workerProcess{cmd: cmd}
	t.Cleanup(w.kill)
	return w
}

func (w *workerProcess) kill() {
	if w.cmd.ProcessState == nil {
		_ = syscall.Kill(-w.cmd.Process.Pid, syscall.SIGKILL)
		_, _ = w.cmd.Process.Wait()
	}
}

func labelled(a types.ActionDeclaration, label string) types.ActionDeclaration {
	a.Configuration = map[string]string{"WorkerLabel": label}
	return a
}

// TestWorkerRunsLabelledAction pins an action to a worker label: the `sluice worker` process
// carrying it runs the action (its environment shows), stores its output artifact and
// variables through the server, and the next action runs in-process on that artifact. The
// worker signs with a worker key bound to its labels, not the root key.
func TestWorkerRunsLabelledAction(t *testing.T) {
	t.Parallel()
	c := setupConformanceWith(t, func(cfg *config.Server) { cfg.Workers = 2 })
	startWorkerEnv(t, c.URL, workerKey(t, c.Node, "gpu", "linux"), "--labels", "gpu,linux")
	build := labelled(cmdAction("Build", `test "$WORKER_MARK" = remote`, "mkdir out", "echo 1.2.3 > out/version.txt", "VERSION=1.2.3"), "gpu")
	build.OutputArtifacts = []types.OutputArtifact{{Name: aws.String("Built"), Files: []string{"out/**"}}}
	build.OutputVariables, build.Namespace = []string{"VERSION"}, aws.String("B")
	check := cmdAction("Check", `test -z "$WORKER_MARK"`, `test "$(cat out/version.txt)" = 1.2.3`, `test "#{B.VERSION}" = 1.2.3`)
	check.InputArtifacts = []types.InputArtifact{{Name: aws.String("Built")}}
	exec := c.Create(t, pipeline("pinned", stage("Build", build), stage("Check", check)))
	c.WaitStatus(t, "pinned", exec, types.PipelineExecutionStatusSucceeded)
}

// TestWorkerKilledMidJob kills a worker while it runs an action: the job's lease runs out,
// the action fails saying the worker stopped responding, and retrying the stage on a new
// worker succeeds.
func TestWorkerKilledMidJob(t *testing.T) {
	t.Parallel()
	c := setupConformanceWith(t, func(cfg *config.Server) { cfg.Workers, cfg.Lease = 0, 3*time.Second })
	started, gate := newSignal(t), newGate(t)
	w := startWorker(t, c.URL)
	build := cmdAction("Build", started.Send(), gate.Wait())
	exec := c.Create(t, pipeline("killed", stage("Build", build)))
	started.Wait(t)
	w.kill()

	c.WaitStatus(t, "killed", exec, types.PipelineExecutionStatusFailed)
	runs := c.ActionRuns(t, "killed", exec)
	var msg string
	for _, r := range runs {
		if aws.ToString(r.ActionName) == "Build" {
			msg = aws.ToString(r.Output.ExecutionResult.ErrorDetails.Message)
		}
	}
	require.Contains(t, msg, "stopped responding")
	require.True(t, strings.Contains(msg, "remote:"), "the message names the worker: %s", msg)

	gate.Open(t)
	startWorker(t, c.URL)
	_, err := c.CP.RetryStageExecution(c.ctx, &codepipeline.RetryStageExecutionInput{PipelineName: aws.String("killed"),
		StageName: aws.String("Build"), PipelineExecutionId: aws.String(exec), RetryMode: types.StageRetryModeFailedActions})
	require.NoError(t, err)
	c.WaitStatus(t, "killed", exec, types.PipelineExecutionStatusSucceeded)
}

// TestWorkerRefusedCredentials: a worker whose key the server does not know stops at once,
// saying so, rather than retrying forever.
func TestWorkerRefusedCredentials(t *testing.T) {
	t.Parallel()
	b := setup(t)
	cmd := exec.Command(sluiceBinary(t), "worker", "--server", b.URL, "--work-dir", workDir(t),
		"--access-key-id", "AKIANOSUCHKEY0000000", "--secret-access-key", "wrong")
	out, err := cmd.CombinedOutput()
	require.Error(t, err)
	require.Contains(t, string(out), "refused the worker's credentials")
	require.Contains(t, string(out), "UnrecognizedClientException")
}

// TestWorkerRefusedLabels: a worker whose key is bound to other labels stops at once, saying
// the server denied its poll.
func TestWorkerRefusedLabels(t *testing.T) {
	t.Parallel()
	b := setup(t)
	cmd := exec.Command(sluiceBinary(t), "worker", "--server", b.URL, "--work-dir", workDir(t), "--labels", "arm")
	cmd.Env = append(os.Environ(), workerKey(t, b.Node, "gpu")...)
	out, err := cmd.CombinedOutput()
	require.Error(t, err)
	require.Contains(t, string(out), "AccessDeniedException")
	require.Contains(t, string(out), "sluice:PollForWorkerJobs")
}

// workerKey makes a user with SluiceWorkerAccess and a Deny of other labels, as
// docs/security.md shows, and returns the environment that gives a worker its key.
func workerKey(t *testing.T, n *node.Node, labels ...string) []string {
	t.Helper()
	ctx, core := context.Background(), n.API.Service
	root := sluice.Caller{Principal: "arn:aws:iam::" + n.Config.Account + ":root"}
	_, err := core.CreateUser(ctx, root, "worker", "/sluice/workers/")
	require.NoError(t, err)
	o := sluice.PolicyOwner{Kind: sluice.OwnerUser, Name: "worker"}
	require.NoError(t, core.AttachPolicy(ctx, root, o, "arn:aws:iam::aws:policy/sluice/SluiceWorkerAccess"))
	list, err := json.Marshal(labels)
	require.NoError(t, err)
	require.NoError(t, core.PutInlinePolicy(ctx, root, o, "labels", `{"Version":"2012-10-17","Statement":{"Effect":"Deny",`+
		`"Action":"sluice:PollForWorkerJobs","Resource":"*","Condition":{"ForAnyValue:StringNotEquals":{"sluice:WorkerLabels":`+string(list)+`}}}}`))
	k, err := core.CreateAccessKey(ctx, root, "worker")
	require.NoError(t, err)
	return []string{"SLUICE_ACCESS_KEY_ID=" + k.ID, "SLUICE_SECRET_ACCESS_KEY=" + k.Secret}
}

// TestWorkerSandboxOffWarns: a worker started with --sandbox=off says, at start-up, what
// that costs.
func TestWorkerSandboxOffWarns(t *testing.T) {
	t.Parallel()
	b := setup(t)
	cmd := exec.Command(sluiceBinary(t), "worker", "--server", b.URL, "--work-dir", workDir(t), "--sandbox=off",
		"--access-key-id", "AKIANOSUCHKEY0000000", "--secret-access-key", "wrong")
	out, _ := cmd.CombinedOutput()
	require.Contains(t, strings.Split(string(out), "\n"), sandbox.OffWarning)
	require.Contains(t, string(out), `level=WARN msg="`+sandbox.OffWarning)
}
