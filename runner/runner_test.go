package runner_test

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
)

func TestRun(t *testing.T) {
	t.Parallel()

	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.putZip(t, "pipe/Source/k1", map[string]string{"main.go": "package main"})
		b.putZip(t, "pipe/my-lib/k2", map[string]string{"lib/util.go": "package lib"})
		job := newJob()
		job.Data.InputArtifacts = []sluice.ArtifactRef{
			{Name: "Source", Key: "pipe/Source/k1"}, {Name: "my-lib", Key: "pipe/my-lib/k2"},
		}
		job.Data.OutputArtifacts = []sluice.OutputArtifactRef{{ArtifactRef: sluice.ArtifactRef{Name: "BuildOut", Key: "pipe/BuildOut/k3"}}}
		var seen *sluice.RunContext
		b.provider.run = func(ctx context.Context, rc *sluice.RunContext) (*sluice.Outcome, error) {
			seen = rc
			require.Equal(t, []string{"main.go"}, listDir(t, rc.WorkDir))
			require.Equal(t, []string{"lib"}, listDir(t, rc.InputDirs["my-lib"]))
			require.Equal(t, filepath.Dir(rc.WorkDir), filepath.Dir(rc.InputDirs["my-lib"]))
			// Only passed through: the action's code reaches its own directories by name.
			require.Equal(t, os.FileMode(0o711), mode(t, rc.Workspace))
			for _, dir := range []string{rc.WorkDir, rc.InputDirs["my-lib"], filepath.Join(rc.Workspace, "home"), filepath.Join(rc.Workspace, "tmp")} {
				require.Equal(t, os.FileMode(0o700), mode(t, dir), dir)
			}
			require.NoError(t, os.WriteFile(filepath.Join(rc.WorkDir, "out.bin"), []byte("binary"), 0o755))
			_, err := io.WriteString(rc.Log, "compiling\n")
			require.NoError(t, err)
			return &sluice.Outcome{
				Success: true, Summary: "built", ExternalID: "ext-1",
				OutputVariables: map[string]string{"Version": "1.2"},
				Revision:        &sluice.Revision{RevisionID: "abc"},
				Artifacts:       map[string]sluice.ArtifactSource{"BuildOut": {Dir: rc.WorkDir, Files: []string{"*.bin"}}},
			}, nil
		}

		b.runner.Env = []string{"PATH=/opt/tools/bin", "EXTRA=1"}
		res := b.runner.Run(t.Context(), job)

		require.Equal(t, sluice.JobResult{
			JobID: "job-1", Nonce: "nonce-1", Success: true, Summary: "built", ExternalID: "ext-1",
			OutputVariables: map[string]string{"Version": "1.2"}, Revision: &sluice.Revision{RevisionID: "abc"},
		}, res)
		require.Equal(t, map[string]string{"out.bin": "binary"}, b.zipContent(t, "pipe/BuildOut/k3"))
		require.Equal(t, "compiling\n", b.readLog(t, "run-1"))
		require.Equal(t, filepath.Join(b.workRoot, "job-1", "scratch"), seen.ScratchDir)
		ws := filepath.Join(b.workRoot, "job-1")
		require.Equal(t, ws, seen.Workspace)
		require.Equal(t, []string{
			"HOME=" + filepath.Join(ws, "home"),
			"TMPDIR=" + filepath.Join(ws, "tmp"),
			"LANG=C.UTF-8",
			"LC_ALL=C.UTF-8",
			"CODEPIPELINE_PIPELINE_NAME=pipe",
			"CODEPIPELINE_EXECUTION_ID=exec-1",
			"CODEPIPELINE_STAGE_NAME=Build",
			"CODEPIPELINE_ACTION_NAME=Compile",
			"CODEPIPELINE_ACTION_EXECUTION_ID=run-1",
			"CODEPIPELINE_JOB_ID=job-1",
			"PATH=/opt/tools/bin", // the operator's additions replace the defaults
			"EXTRA=1",
			"CODEPIPELINE_INPUT_Source=" + seen.WorkDir,
			"CODEPIPELINE_INPUT_my_lib=" + seen.InputDirs["my-lib"],
		}, seen.Env)
		b.requireWorkRootEmpty(t)
	})
	t.Run("NoInputsGetAnEmptyWorkDir", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.provider.run = func(ctx context.Context, rc *sluice.RunContext) (*sluice.Outcome, error) {
			require.Empty(t, listDir(t, rc.WorkDir))
			require.Empty(t, rc.InputDirs)
			return &sluice.Outcome{Success: true}, nil
		}
		require.True(t, b.runner.Run(t.Context(), newJob()).Success)
	})
	t.Run("LeftoverWorkspaceIsReplaced", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		stale := filepath.Join(b.workRoot, "job-1", "work", "stale")
		require.NoError(t, os.MkdirAll(filepath.Dir(stale), 0o755))
		require.NoError(t, os.WriteFile(stale, nil, 0o644))
		b.provider.run = func(ctx context.Context, rc *sluice.RunContext) (*sluice.Outcome, error) {
			require.Empty(t, listDir(t, rc.WorkDir))
			return &sluice.Outcome{Success: true}, nil
		}
		require.True(t, b.runner.Run(t.Context(), newJob()).Success)
		b.requireWorkRootEmpty(t)
	})
	t.Run("LaterJobsTakeFreshSpares", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.provider.run = func(ctx context.Context, rc *sluice.RunContext) (*sluice.Outcome, error) {
			for _, d := range []string{"home", "tmp", "work"} {
				require.NoError(t, os.WriteFile(filepath.Join(rc.Workspace, d, "left"), []byte("job-1"), 0o644))
			}
			return &sluice.Outcome{Success: true}, nil
		}
		require.True(t, b.runner.Run(t.Context(), newJob()).Success)
		b.requireWorkRootEmpty(t)
		spares := listDir(t, b.workRoot)
		require.NotEmpty(t, spares, "a spare is made while the first job runs")

		// A job whose workspace is left over from a crashed attempt takes a spare all the same.
		stale := filepath.Join(b.workRoot, "job-2", "work", "stale")
		require.NoError(t, os.MkdirAll(filepath.Dir(stale), 0o755))
		require.NoError(t, os.WriteFile(stale, nil, 0o644))
		job := newJob()
		job.ID = "job-2"
		b.provider.run = func(ctx context.Context, rc *sluice.RunContext) (*sluice.Outcome, error) {
			require.NotEqual(t, spares, listDir(t, b.workRoot), "the job took a spare")
			require.Equal(t, filepath.Join(b.workRoot, "job-2"), rc.Workspace)
			require.Equal(t, os.FileMode(0o711), mode(t, rc.Workspace))
			for _, d := range []string{"home", "tmp", "work"} {
				dir := filepath.Join(rc.Workspace, d)
				require.Equal(t, os.FileMode(0o700), mode(t, dir), dir)
				require.Empty(t, listDir(t, dir), dir)
			}
			return &sluice.Outcome{Success: true}, nil
		}
		require.True(t, b.runner.Run(t.Context(), job).Success)
		b.requireWorkRootEmpty(t)
	})
	t.Run("LeftoverRemovalIsSwept", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		left := filepath.Join(b.workRoot, ".removing-job-0", "work", "stale")
		require.NoError(t, os.MkdirAll(filepath.Dir(left), 0o755))
		require.NoError(t, os.WriteFile(left, nil, 0o644))
		require.True(t, b.runner.Run(t.Context(), newJob()).Success)
		b.requireWorkRootEmpty(t)
	})
	t.Run("ErrJobIDOfTheRunner", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		job := newJob()
		job.ID = ".removing-job-1"
		requireFailed(t, b.runner.Run(t.Context(), job), sluice.FailureConfigurationError, "invalid job id")
	})
	t.Run("ZipFileOutput", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.putZip(t, "in", map[string]string{"a.txt": "a"})
		job := newJob()
		job.Data.OutputArtifacts = []sluice.OutputArtifactRef{{ArtifactRef: sluice.ArtifactRef{Name: "Out", Key: "out"}}}
		b.provider.run = func(ctx context.Context, rc *sluice.RunContext) (*sluice.Outcome, error) {
			rcIn, err := b.store.Open(ctx, "in")
			require.NoError(t, err)
			defer rcIn.Close()
			name := filepath.Join(rc.ScratchDir, "made.zip")
			f, err := os.Create(name)
			require.NoError(t, err)
			_, err = io.Copy(f, rcIn)
			require.NoError(t, err)
			require.NoError(t, f.Close())
			return &sluice.Outcome{Success: true, Artifacts: map[string]sluice.ArtifactSource{"Out": {ZipFile: name}}}, nil
		}
		require.True(t, b.runner.Run(t.Context(), job).Success)
		require.Equal(t, map[string]string{"a.txt": "a"}, b.zipContent(t, "out"))
	})
	t.Run("SinkGetsPipelineAndActionRun", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		sink := &recordingSink{}
		b.runner.Logs = sink
		b.provider.run = func(ctx context.Context, rc *sluice.RunContext) (*sluice.Outcome, error) {
			_, _ = io.WriteString(rc.Log, "hello\n")
			return &sluice.Outcome{Success: true}, nil
		}
		require.True(t, b.runner.Run(t.Context(), newJob()).Success)
		job := newJob()
		job.ActionRunID = "" // a job of no action run logs under its own id
		require.True(t, b.runner.Run(t.Context(), job).Success)
		require.Equal(t, []sluice.ActionRef{{PipelineName: "pipe", ActionRunID: "run-1"}, {PipelineName: "pipe", ActionRunID: "job-1"}}, sink.refs)
		require.Equal(t, "hello\nhello\n", sink.buf.String())
	})
	t.Run("ContinuationStoresNoOutputs", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		job := newJob()
		job.Data.OutputArtifacts = []sluice.OutputArtifactRef{{ArtifactRef: sluice.ArtifactRef{Name: "Out", Key: "out"}}}
		b.provider.run = func(ctx context.Context, rc *sluice.RunContext) (*sluice.Outcome, error) {
			return &sluice.Outcome{Success: true, ContinuationToken: "more"}, nil
		}
		res := b.runner.Run(t.Context(), job)
		require.True(t, res.Success)
		require.Equal(t, "more", res.ContinuationToken)
		_, err := b.store.Open(t.Context(), "out")
		require.True(t, sluice.IsCode(err, sluice.ENotFound))
	})
}

// recordingSink keeps what the runner opened and wrote; jobs run one at a time.
type recordingSink struct {
	refs []sluice.ActionRef
	buf  bytes.Buffer
}

func (s *recordingSink) Open(_ context.Context, ref sluice.ActionRef) (io.WriteCloser, error) {
	s.refs = append(s.refs, ref)
	return nopCloser{&s.buf}, nil
}

type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }

func mode(t *testing.T, name string) os.FileMode {
	t.Helper()
	fi, err := os.Stat(name)
	require.NoError(t, err)
	return fi.Mode().Perm()
}
