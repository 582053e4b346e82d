package codebuild_test

import (
	"context"
	"sluice/provider/proctest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
)

// TestProcessGroup checks that background processes live as long as the build, not the
// phase, and that no process of the build outlives Run.
func TestProcessGroup(t *testing.T) {
	t.Parallel()

	t.Run("CancelKillsTheBuild", func(t *testing.T) {
		t.Parallel()
		b := setup(t, `version: 0.2
phases:
  install:
    commands:
      - sleep 1000 &
      - echo "pid=$!"
  build:
    commands:
      - sleep 1000
  post_build:
    commands:
      - touch post_build.txt
`)
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
		pidfd := proctest.WatchExit(t, <-b.log.Pids) // the background sleep is running
		cancel()
		res := <-done
		require.NoError(t, res.err)
		require.False(t, res.out.Success)
		require.Equal(t, sluice.FailureJobFailed, res.out.ErrorType)
		require.True(t, strings.HasPrefix(res.out.Summary, "The build was stopped"), res.out.Summary)
		proctest.WaitExit(t, pidfd)
		require.NotContains(t, b.log.String(), "Entering phase POST_BUILD")
	})
	t.Run("BackgroundProcessOutlivesItsPhase", func(t *testing.T) {
		t.Parallel()
		// A daemon started in install (dockerd, a database) is still there in build; Run
		// kills it when the build ends.
		b := setup(t, `version: 0.2
phases:
  install:
    commands:
      - sleep 1000 &
      - echo "pid=$!"
      - echo $! > bg.pid
  build:
    commands:
      - kill -0 "$(cat bg.pid)"
`)
		out := b.run(t)
		require.True(t, out.Success, out.Summary)
		proctest.WaitGone(t, <-b.log.Pids)
	})
}
