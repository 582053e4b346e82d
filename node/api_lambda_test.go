package node_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"
	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/config"
)

// lambdaRun is the latest run of the Lambda action stage/action in an execution.
func (c *conformance) lambdaRun(t *testing.T, pipeline, exec, action string) types.ActionExecutionDetail {
	t.Helper()
	for _, r := range c.ActionRuns(t, pipeline, exec) {
		if aws.ToString(r.ActionName) == action {
			return r
		}
	}
	t.Fatalf("no run of %s in execution %s", action, exec)
	return types.ActionExecutionDetail{}
}

// TestLambdaInvoke runs a Lambda action on a registered function that reads its
// UserParameters, fetches its input artifact and stores its output artifact with the job's
// credentials, and reports with output variables that a later Commands action reads.
func TestLambdaInvoke(t *testing.T) {
	t.Parallel()
	c := setupConformance(t)
	made := zipOf(t, map[string]string{"version.txt": "1.2.3"})
	fn := c.function(t, "build-info", http.StatusAccepted, func(ev lambdaEvent) error {
		d := ev.Job.Data
		var params struct {
			Greeting string `json:"greeting"`
		}
		if err := json.Unmarshal([]byte(d.ActionConfiguration.Configuration["UserParameters"]), &params); err != nil {
			return err
		}
		code, err := ev.fetch(c.ctx, c.URL, d.InputArtifacts[0])
		if err != nil {
			return err
		}
		readme, err := zipEntry(code, "README")
		if err != nil {
			return err
		}
		if err := ev.store(c.ctx, c.URL, d.OutputArtifacts[0], made); err != nil {
			return err
		}
		_, err = c.reporter().PutJobSuccessResult(c.ctx, &codepipeline.PutJobSuccessResultInput{JobId: &ev.Job.ID,
			ExecutionDetails: &types.ExecutionDetails{Summary: aws.String("described the build"), ExternalExecutionId: aws.String("run-7")},
			OutputVariables:  map[string]string{"Greeting": params.Greeting, "Readme": strings.TrimSpace(readme)}})
		return err
	})
	invoke := lambdaAction("Describe", "build-info", `{"greeting":"hello"}`)
	invoke.Namespace = aws.String("Info")
	invoke.InputArtifacts = []types.InputArtifact{{Name: aws.String("Code")}}
	invoke.OutputArtifacts = []types.OutputArtifact{{Name: aws.String("Made")}}
	check := cmdAction("Check", `test "$(cat version.txt)" = 1.2.3`, `test "#{Info.Greeting}" = hello`, `test "#{Info.Readme}" = conformance`)
	check.InputArtifacts = []types.InputArtifact{{Name: aws.String("Made")}}
	exec := c.Create(t, pipeline("lambda", stage("Invoke", invoke), stage("Check", check)))

	ev := fn.invoked(t)
	c.WaitStatus(t, "lambda", exec, types.PipelineExecutionStatusSucceeded)
	require.Equal(t, "000000000000", ev.Job.AccountID)
	require.Equal(t, map[string]string{"FunctionName": "build-info", "UserParameters": `{"greeting":"hello"}`},
		ev.Job.Data.ActionConfiguration.Configuration)
	require.Empty(t, ev.Job.Data.ContinuationToken)
	require.Len(t, ev.Job.Data.InputArtifacts, 1)
	require.Equal(t, "Code", ev.Job.Data.InputArtifacts[0].Name)
	require.Equal(t, "S3", ev.Job.Data.InputArtifacts[0].Location.Type)
	require.NotEmpty(t, ev.Job.Data.InputArtifacts[0].Revision, "the source's commit")

	run := c.lambdaRun(t, "lambda", exec, "Describe")
	require.Equal(t, types.ActionExecutionStatusSucceeded, run.Status)
	require.Equal(t, map[string]string{"Greeting": "hello", "Readme": "conformance"}, run.Output.OutputVariables)
	require.Equal(t, "described the build", aws.ToString(run.Output.ExecutionResult.ExternalExecutionSummary))
	require.Equal(t, "run-7", aws.ToString(run.Output.ExecutionResult.ExternalExecutionId))
	require.Nil(t, run.Output.ExecutionResult.ExternalExecutionUrl, "Sluice keeps no log of a function")
	_, err := c.CP.PutJobSuccessResult(c.ctx, &codepipeline.PutJobSuccessResultInput{JobId: &ev.Job.ID})
	requireAPIError(t, err, "InvalidJobStateException", ev.Job.ID)
}

// TestLambdaContinuation has the function return a continuation token: it is invoked again
// with a new job carrying the token, and finishes then.
func TestLambdaContinuation(t *testing.T) {
	t.Parallel()
	c := setupConformance(t)
	fn := c.function(t, "rollout", http.StatusOK, func(ev lambdaEvent) error {
		in := &codepipeline.PutJobSuccessResultInput{JobId: &ev.Job.ID}
		switch ev.Job.Data.ContinuationToken {
		case "":
			in.ContinuationToken = aws.String("wave-2")
			in.ExecutionDetails = &types.ExecutionDetails{PercentComplete: aws.Int32(50), Summary: aws.String("wave 1 of 2")}
		case "wave-2":
			in.OutputVariables = map[string]string{"Waves": "2"}
		}
		_, err := c.reporter().PutJobSuccessResult(c.ctx, in)
		return err
	})
	exec := c.Create(t, pipeline("rollout", stage("Deploy", lambdaAction("Rollout", "rollout", ""))))

	first, second := fn.invoked(t), fn.invoked(t)
	c.WaitStatus(t, "rollout", exec, types.PipelineExecutionStatusSucceeded)
	require.Empty(t, first.Job.Data.ContinuationToken)
	require.Equal(t, "wave-2", second.Job.Data.ContinuationToken)
	require.NotEqual(t, first.Job.ID, second.Job.ID, "a continuation is a new job")
	require.NotEqual(t, first.Job.Data.ArtifactCredentials.SecretAccessKey, second.Job.Data.ArtifactCredentials.SecretAccessKey)
	require.Equal(t, map[string]string{"Waves": "2"}, c.lambdaRun(t, "rollout", exec, "Rollout").Output.OutputVariables)
}

// TestLambdaFailureResult has the function report a failure: the action fails with its
// type and message.
func TestLambdaFailureResult(t *testing.T) {
	t.Parallel()
	c := setupConformance(t)
	c.function(t, "smoke", http.StatusAccepted, func(ev lambdaEvent) error {
		_, err := c.reporter().PutJobFailureResult(c.ctx, &codepipeline.PutJobFailureResultInput{JobId: &ev.Job.ID,
			FailureDetails: &types.FailureDetails{Type: types.FailureTypeJobFailed, Message: aws.String("smoke tests failed: 3 of 10")}})
		return err
	})
	exec := c.Create(t, pipeline("smoke", stage("Test", lambdaAction("Smoke", "smoke", ""))))
	c.WaitStatus(t, "smoke", exec, types.PipelineExecutionStatusFailed)
	run := c.lambdaRun(t, "smoke", exec, "Smoke")
	require.Equal(t, types.ActionExecutionStatusFailed, run.Status)
	details := stageState(t, c.State(t, "smoke"), "Test").ActionStates[0].LatestExecution.ErrorDetails
	require.Equal(t, "JobFailed", aws.ToString(details.Code))
	require.Equal(t, "smoke tests failed: 3 of 10", aws.ToString(details.Message))
}

// TestLambdaInvocationFailures covers the actions that fail before any function reports.
func TestLambdaInvocationFailures(t *testing.T) {
	t.Parallel()

	t.Run("ErrNotRegistered", func(t *testing.T) {
		t.Parallel()
		c := setupConformance(t)
		exec := c.Create(t, pipeline("ghost", stage("Invoke", lambdaAction("Call", "ghost", ""))))
		c.WaitStatus(t, "ghost", exec, types.PipelineExecutionStatusFailed)
		details := stageState(t, c.State(t, "ghost"), "Invoke").ActionStates[0].LatestExecution.ErrorDetails
		require.Equal(t, "ConfigurationError", aws.ToString(details.Code))
		require.Equal(t, "Function ghost is not registered in Sluice: register it with sluice functions put ghost --url ...",
			aws.ToString(details.Message))
	})

	t.Run("ErrServerError", func(t *testing.T) {
		t.Parallel()
		c := setupConformance(t)
		fn := c.function(t, "broken", http.StatusInternalServerError, nil)
		exec := c.Create(t, pipeline("broken", stage("Invoke", lambdaAction("Call", "broken", ""))))
		c.WaitStatus(t, "broken", exec, types.PipelineExecutionStatusFailed)
		details := stageState(t, c.State(t, "broken"), "Invoke").ActionStates[0].LatestExecution.ErrorDetails
		require.Equal(t, "JobFailed", aws.ToString(details.Code))
		require.Equal(t, "Sluice could not invoke the function broken: it answered HTTP 500 Internal Server Error (3 attempts)",
			aws.ToString(details.Message))
		require.Len(t, fn.invocations, 3, "retried, within a bound")
	})

	t.Run("ErrNoResultWithinTheWindow", func(t *testing.T) {
		t.Parallel()
		c := setupConformanceWith(t, func(cfg *config.Server) {
			cfg.LambdaWindow = time.Second
			cfg.Lease = 3 * time.Second // the rescuer looks every second
		})
		fn := c.function(t, "silent", http.StatusAccepted, nil)
		exec := c.Create(t, pipeline("silent", stage("Invoke", lambdaAction("Call", "silent", ""))))
		ev := fn.invoked(t)
		c.WaitStatus(t, "silent", exec, types.PipelineExecutionStatusFailed)
		details := stageState(t, c.State(t, "silent"), "Invoke").ActionStates[0].LatestExecution.ErrorDetails
		require.Equal(t, "The AWS Lambda function silent failed to return a result. Check the function to verify that it has "+
			"permission to call the PutJobSuccessResult action and that it made a call to PutJobSuccessResult.", aws.ToString(details.Message))
		_, err := c.CP.PutJobSuccessResult(c.ctx, &codepipeline.PutJobSuccessResultInput{JobId: &ev.Job.ID})
		requireAPIError(t, err, "InvalidJobStateException", ev.Job.ID)
	})
}

// TestLambdaSurvivesRestart restarts the server while an invoked function is still working:
// its job is not failed as interrupted, and its result, reported to the new server, finishes
// the action.
func TestLambdaSurvivesRestart(t *testing.T) {
	t.Parallel()
	c := setupConformance(t)
	restarted := make(chan struct{})
	fn := c.function(t, "slow", http.StatusAccepted, func(ev lambdaEvent) error {
		<-restarted
		_, err := c.reporter().PutJobSuccessResult(c.ctx, &codepipeline.PutJobSuccessResultInput{JobId: &ev.Job.ID})
		return err
	})
	exec := c.Create(t, pipeline("slow", stage("Invoke", lambdaAction("Call", "slow", ""))))
	ev := fn.invoked(t)
	c.WaitFor(t, "the invoked job acknowledged", func() bool {
		j, err := c.Node.DB.GetJob(c.ctx, ev.Job.ID)
		require.NoError(t, err)
		return j.Status == sluice.JobInProgress
	})

	c.Restart(t)
	j, err := c.Node.DB.GetJob(c.ctx, ev.Job.ID)
	require.NoError(t, err)
	require.Equal(t, sluice.JobInProgress, j.Status, "not failed as interrupted by the restart")
	require.True(t, strings.HasPrefix(j.Worker, "lambda:"), j.Worker)
	close(restarted)
	c.WaitStatus(t, "slow", exec, types.PipelineExecutionStatusSucceeded)
}

// TestLambdaExampleFunction runs examples/lambda-function.py, the README's example, as the
// function of a pipeline: it needs python3 with boto3 and is skipped without them.
func TestLambdaExampleFunction(t *testing.T) {
	t.Parallel()
	if exec.Command("python3", "-c", "import boto3").Run() != nil {
		t.Skip("python3 with boto3 is not installed")
	}
	c := setupConformance(t)
	_, port, err := net.SplitHostPort(freeAddr(t))
	require.NoError(t, err)
	const secret = "example-secret-0123456789"
	fn := exec.Command("python3", filepath.Join("..", "examples", "lambda-function.py"))
	fn.Env = append(os.Environ(), "FN_SECRET="+secret, "SLUICE_URL="+c.URL, "PORT="+port,
		"AWS_ACCESS_KEY_ID="+testKeyID, "AWS_SECRET_ACCESS_KEY="+testSecret, "AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null")
	var stderr bytes.Buffer
	stdout, err := fn.StdoutPipe()
	require.NoError(t, err)
	fn.Stderr = &stderr
	require.NoError(t, fn.Start())
	t.Cleanup(func() { _ = fn.Process.Kill(); _ = fn.Wait() })
	line, err := bufio.NewReader(stdout).ReadString('\n')
	require.NoError(t, err, "the function did not start: %s", stderr.String())
	require.Equal(t, "listening on "+port+"\n", line)
	_, err = c.functions().PutFunction(c.ctx, "example", "http://127.0.0.1:"+port+"/", secret)
	require.NoError(t, err)

	invoke := lambdaAction("Count", "example", "hello")
	invoke.Namespace = aws.String("Example")
	invoke.InputArtifacts = []types.InputArtifact{{Name: aws.String("Code")}}
	execID := c.Create(t, pipeline("example", stage("Invoke", invoke),
		stage("Check", cmdAction("Check", `test "#{Example.Files}" = 1`, `test "#{Example.Params}" = hello`))))
	c.WaitStatus(t, "example", execID, types.PipelineExecutionStatusSucceeded)
}
