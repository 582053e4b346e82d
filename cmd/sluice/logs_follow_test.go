package main

import (
	"bytes"
	"regexp"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"
	"github.com/stretchr/testify/require"
)

func TestLogsFollowAndPick(t *testing.T) {
	t.Parallel()

	t.Run("FollowsAWholeExecutionWithPrefixes", func(t *testing.T) {
		t.Parallel()
		l := setupLogsCLI(t)
		exec := l.Create(t, pipeline("app", stage("Build", cmdAction("Compile", "echo compiled", "echo twice")),
			stage("Test", cmdAction("Check", "echo checked"))))
		out, stderr, err := l.run(t, "app", "--execution", exec, "--follow")
		require.NoError(t, err, stderr)
		require.Regexp(t, regexp.MustCompile(`(?m)^\d\d:\d\d:\d\d Build/Compile \| compiled$`), out)
		require.Regexp(t, regexp.MustCompile(`(?m)^\d\d:\d\d:\d\d Build/Compile \| twice$`), out)
		require.Regexp(t, regexp.MustCompile(`(?m)^\d\d:\d\d:\d\d Test/Check \| checked$`), out)
		require.Contains(t, stderr, "==> Build/Compile Succeeded")
		require.Contains(t, stderr, "==> execution "+exec+" Succeeded")
	})
	t.Run("FollowingAFailedExecutionExitsNonZero", func(t *testing.T) {
		t.Parallel()
		l := setupLogsCLI(t)
		exec := l.Create(t, pipeline("app", stage("Build", cmdAction("Compile", "echo boom", "exit 3"))))
		out, stderr, err := l.run(t, "app", "--execution", exec, "--follow")
		require.Error(t, err)
		require.Regexp(t, regexp.MustCompile(`(?m)^\d\d:\d\d:\d\d Build/Compile \| boom$`), out)
		require.Contains(t, stderr, "==> Build/Compile Failed")
		require.Contains(t, stderr, "==> execution "+exec+" Failed")
	})
	t.Run("FollowingAFailingActionExitsNonZero", func(t *testing.T) {
		t.Parallel()
		l := setupLogsCLI(t)
		g := newGate(t)
		l.Create(t, pipeline("app", stage("Build", cmdAction("Run", g.Wait(), "echo failing", "exit 3"))))
		l.WaitAction(t, "app", "Build", "Run", types.ActionExecutionStatusInProgress)
		cmd := l.command(t, "app", "--follow")
		done := make(chan error, 1)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		require.NoError(t, cmd.Start())
		go func() { done <- cmd.Wait() }()
		g.Open(t)
		err := <-done
		require.Error(t, err)
		require.Equal(t, 1, cmd.ProcessState.ExitCode())
		require.Contains(t, stdout.String(), "failing\n")
		require.Contains(t, stderr.String(), "==> Build/Run Failed")
		require.NotContains(t, stderr.String(), "sluice:", "the status line says it; no error besides")
	})
	t.Run("WithoutActionPicksTheFailedOne", func(t *testing.T) {
		t.Parallel()
		l := setupLogsCLI(t)
		exec := l.Create(t, pipeline("app", stage("Build", cmdAction("Compile", "echo broken", "exit 1"))))
		l.WaitStatus(t, "app", exec, types.PipelineExecutionStatusFailed)
		out, stderr, err := l.run(t, "app")
		require.NoError(t, err, stderr)
		require.Contains(t, out, "broken\n")
		require.Contains(t, stderr, "==> Build/Compile (Failed)")
	})
}

// TestDefaultRun: without --action, the running action, else the newest failed one (even
// when a newer one succeeded), else the newest; never an approval.
func TestDefaultRun(t *testing.T) {
	t.Parallel()
	run := func(name string, st types.ActionExecutionStatus) types.ActionExecutionDetail {
		return types.ActionExecutionDetail{ActionName: aws.String(name), Status: st}
	}
	approval := run("Approve", types.ActionExecutionStatusInProgress)
	approval.Input = &types.ActionExecutionInput{ActionTypeId: &types.ActionTypeId{Category: types.ActionCategoryApproval}}
	tests := []struct {
		name string
		runs []types.ActionExecutionDetail
		want string
	}{
		{"Running", []types.ActionExecutionDetail{run("Done", "Succeeded"), run("Runs", "InProgress")}, "Runs"},
		{"FailedOverNewerSucceeded", []types.ActionExecutionDetail{run("Fine", "Succeeded"), run("Broke", "Failed"), run("Old", "Failed")}, "Broke"},
		{"Newest", []types.ActionExecutionDetail{run("Last", "Succeeded"), run("First", "Succeeded")}, "Last"},
		{"NeverAnApproval", []types.ActionExecutionDetail{approval, run("Build", "Succeeded")}, "Build"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tt.want, aws.ToString(defaultRun(tt.runs).ActionName))
		})
	}
	require.Nil(t, defaultRun([]types.ActionExecutionDetail{approval}))
}
