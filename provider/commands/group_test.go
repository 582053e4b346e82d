package commands_test

import (
	"context"
	"sluice/provider/proctest"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
)

// TestProcessGroup checks that no process of the commands outlives Run: a background
// grandchild is killed with its group on cancel and when the shell exits.
func TestProcessGroup(t *testing.T) {
	t.Parallel()

	t.Run("CancelKillsBackgroundGrandchild", func(t *testing.T) {
		t.Parallel()
		b := setup(t, "sleep 1000 &", `echo "pid=$!"`, "wait")
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		type result struct {
			out *sluice.Outcome
			err error
		}
		done := make(chan result, 1)
		go func() {
			out, err := b.provider.Run(ctx, b.rc)
			done <- result{out, err}
		}()
		pidfd := proctest.WatchExit(t, <-b.log.Pids) // the grandchild is running
		cancel()
		res := <-done
		require.NoError(t, res.err)
		require.False(t, res.out.Success)
		require.Equal(t, sluice.FailureJobFailed, res.out.ErrorType)
		require.Contains(t, res.out.Summary, "Commands were stopped")
		proctest.WaitExit(t, pidfd)
	})
	t.Run("ShellExitKillsLeftovers", func(t *testing.T) {
		t.Parallel()
		// The sleep holds the output pipe; Run must neither wait for it nor leave it.
		b := setup(t, "sleep 1000 &", `echo "pid=$!"`)
		out, err := b.provider.Run(t.Context(), b.rc)
		require.NoError(t, err)
		require.True(t, out.Success, out.Summary)
		// Run waited for the pipe to close, so the sleep is dying or dead by now.
		proctest.WaitGone(t, <-b.log.Pids)
	})
}
