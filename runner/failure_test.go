package runner_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"sluice"
)

func TestRunFailures(t *testing.T) {
	t.Parallel()
	withOutput := func(job *sluice.Job) *sluice.Job {
		job.Data.OutputArtifacts = []sluice.OutputArtifactRef{{
			ArtifactRef: sluice.ArtifactRef{Name: "BuildOut", Key: "out"}, Files: []string{"dist/"},
		}}
		return job
	}

	t.Run("ErrMissingOutput", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		res := b.runner.Run(t.Context(), withOutput(newJob()))
		requireFailed(t, res, sluice.FailureJobFailed, "did not produce output artifact BuildOut")
		b.requireWorkRootEmpty(t)
	})
	t.Run("ErrNoFilesMatch", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.provider.run = func(ctx context.Context, rc *sluice.RunContext) (*sluice.Outcome, error) {
			return &sluice.Outcome{Success: true, Artifacts: map[string]sluice.ArtifactSource{
				"BuildOut": {Dir: rc.WorkDir, Files: []string{"dist/"}},
			}}, nil
		}
		res := b.runner.Run(t.Context(), withOutput(newJob()))
		requireFailed(t, res, sluice.FailureJobFailed, `output artifact BuildOut: no files match ["dist/"]`)
	})
	t.Run("ErrInputNotFound", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		job := newJob()
		job.Data.InputArtifacts = []sluice.ArtifactRef{{Name: "Source", Key: "missing"}}
		res := b.runner.Run(t.Context(), job)
		requireFailed(t, res, sluice.FailureJobFailed, "input artifact Source was not found")
		b.requireWorkRootEmpty(t)
	})
	t.Run("ErrInputNotAZip", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		_, err := b.store.Put(t.Context(), "plain", strings.NewReader("not a zip"))
		require.NoError(t, err)
		job := newJob()
		job.Data.InputArtifacts = []sluice.ArtifactRef{{Name: "Source", Key: "plain"}}
		res := b.runner.Run(t.Context(), job)
		requireFailed(t, res, sluice.FailureJobFailed, "cannot unpack input artifact Source")
	})
	t.Run("ErrUnknownProvider", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		job := newJob()
		job.ActionType.Provider = "Other"
		res := b.runner.Run(t.Context(), job)
		requireFailed(t, res, sluice.FailureConfigurationError, "no provider for action type Build/Custom/Other/1")
		require.Equal(t, "job-1", res.JobID)
	})
	t.Run("ErrProvider", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.provider.run = func(context.Context, *sluice.RunContext) (*sluice.Outcome, error) {
			return nil, errors.New("disk on fire")
		}
		res := b.runner.Run(t.Context(), newJob())
		requireFailed(t, res, sluice.FailureSystemUnavailable, "the provider failed: disk on fire")
	})
	t.Run("ErrProviderInvalidConfiguration", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.provider.run = func(context.Context, *sluice.RunContext) (*sluice.Outcome, error) {
			return nil, sluice.Errorf(sluice.EInvalid, "", "Plain must be a number")
		}
		res := b.runner.Run(t.Context(), newJob())
		requireFailed(t, res, sluice.FailureConfigurationError, "Plain must be a number")
	})
	t.Run("ErrProviderPanic", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.provider.run = func(context.Context, *sluice.RunContext) (*sluice.Outcome, error) {
			panic("boom")
		}
		res := b.runner.Run(t.Context(), newJob())
		requireFailed(t, res, sluice.FailureSystemUnavailable, "panic: boom")
		b.requireWorkRootEmpty(t)
	})
	t.Run("ErrInvalidOutputVariable", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.provider.run = func(context.Context, *sluice.RunContext) (*sluice.Outcome, error) {
			return &sluice.Outcome{Success: true, OutputVariables: map[string]string{"bad name": "x"}}, nil
		}
		res := b.runner.Run(t.Context(), newJob())
		requireFailed(t, res, sluice.FailureJobFailed, `invalid output variable name "bad name"`)
	})
	t.Run("FailureWithoutSummaryQuotesLastLines", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.provider.run = func(ctx context.Context, rc *sluice.RunContext) (*sluice.Outcome, error) {
			for i := range 1000 { // enough to wrap the tail's ring
				_, _ = fmt.Fprintf(rc.Log, "line %d\n", i)
			}
			return &sluice.Outcome{Success: false}, nil
		}
		res := b.runner.Run(t.Context(), newJob())
		requireFailed(t, res, sluice.FailureJobFailed, "The action failed\nline 980\nline 981\n")
		require.True(t, strings.HasSuffix(res.Summary, "line 998\nline 999"))
		require.NotContains(t, res.Summary, "line 979\n")
	})
	t.Run("FailureKeepsProviderWords", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.provider.run = func(ctx context.Context, rc *sluice.RunContext) (*sluice.Outcome, error) {
			_, _ = io.WriteString(rc.Log, "noise\n")
			return &sluice.Outcome{
				Summary: "Deployment failed\nnoise", ErrorMessage: "target unreachable",
				ErrorType: sluice.FailurePermissionError, ExternalID: "d-1",
			}, nil
		}
		res := b.runner.Run(t.Context(), newJob())
		require.Equal(t, sluice.JobResult{
			JobID: "job-1", Nonce: "nonce-1", Summary: "Deployment failed\nnoise", ErrorMessage: "target unreachable",
			ErrorType: sluice.FailurePermissionError, ExternalID: "d-1",
		}, res)
		require.Equal(t, "noise\nDeployment failed\n", b.readLog(t, "run-1")) // the headline once, no tail again
	})
	t.Run("ErrStoreFails", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.runner.Artifacts = failingPuts{b.store}
		b.provider.run = func(ctx context.Context, rc *sluice.RunContext) (*sluice.Outcome, error) {
			return &sluice.Outcome{Success: true, Artifacts: map[string]sluice.ArtifactSource{"BuildOut": {Dir: rc.WorkDir}}}, nil
		}
		res := b.runner.Run(t.Context(), withOutput(newJob()))
		requireFailed(t, res, sluice.FailureSystemUnavailable, "cannot store output artifact BuildOut: bucket gone")
		b.requireWorkRootEmpty(t)
	})
}

func TestRunStops(t *testing.T) {
	t.Parallel()
	// blockUntilStopped is a provider that signals it runs, then waits for its context.
	blockUntilStopped := func(started chan<- struct{}) func(context.Context, *sluice.RunContext) (*sluice.Outcome, error) {
		return func(ctx context.Context, rc *sluice.RunContext) (*sluice.Outcome, error) {
			_, _ = io.WriteString(rc.Log, "waiting\n")
			close(started)
			<-ctx.Done()
			return &sluice.Outcome{Summary: "interrupted"}, nil
		}
	}

	t.Run("DeadlineTimesOut", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		job := newJob()
		job.CreatedAt = testNow.Add(-55 * time.Minute)
		job.Deadline = testNow // the clock says it has passed
		b.provider.run = blockUntilStopped(make(chan struct{}))
		res := b.runner.Run(t.Context(), job)
		requireFailed(t, res, sluice.FailureJobFailed, "Job timed out after 55 minutes\nwaiting")
		require.Contains(t, b.readLog(t, "run-1"), "Job timed out after 55 minutes")
		b.requireWorkRootEmpty(t)
	})
	t.Run("CancelAbandons", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		ctx, cancel := context.WithCancel(t.Context())
		started := make(chan struct{})
		b.provider.run = blockUntilStopped(started)
		go func() {
			<-started
			cancel()
		}()
		res := b.runner.Run(ctx, newJob())
		requireFailed(t, res, sluice.FailureJobFailed, "Job was stopped before it finished")
		b.requireWorkRootEmpty(t)
	})
	t.Run("SecretsAreMasked", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		job := newJob()
		job.Data.Configuration = map[string]string{"Token": "s3cr3t-value", "Plain": "visible"}
		b.provider.run = func(ctx context.Context, rc *sluice.RunContext) (*sluice.Outcome, error) {
			_, _ = io.WriteString(rc.Log, "token is s3cr")
			_, _ = io.WriteString(rc.Log, "3t-value, plain is visible\nend s3cr3t")
			return &sluice.Outcome{ErrorMessage: "rejected s3cr3t-value"}, nil
		}
		res := b.runner.Run(t.Context(), job)
		requireFailed(t, res, sluice.FailureJobFailed, "rejected ****")
		require.Equal(t, "token is ****, plain is visible\nend s3cr3t", b.readLog(t, "run-1"))
	})
}

// failingPuts is a store whose Put fails before reading anything.
type failingPuts struct{ sluice.ArtifactStore }

func (failingPuts) Put(context.Context, string, io.Reader) (int64, error) {
	return 0, errors.New("bucket gone")
}
