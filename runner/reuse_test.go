package runner_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/sandbox"
)

// notReusable is a sandbox whose code could change the worker's directories.
type notReusable struct{ sandbox.Off }

func (notReusable) ReusableWorkspaces() bool { return false }

const markAttr = "user.sluice-test"

// mark sets an extended attribute on dir, which emptying a directory keeps: a later job
// that finds it has the same directory.
func mark(t *testing.T, dir string) {
	t.Helper()
	err := syscall.Setxattr(dir, markAttr, []byte("job-1"), 0)
	if errors.Is(err, syscall.ENOTSUP) {
		t.Skip("this file system keeps no extended attributes")
	}
	require.NoError(t, err)
}

func marked(t *testing.T, dir string) bool {
	t.Helper()
	_, err := syscall.Getxattr(dir, markAttr, make([]byte, 16))
	if errors.Is(err, syscall.ENODATA) {
		return false
	}
	require.NoError(t, err)
	return true
}

// TestWorkspaceReuse runs two jobs one after the other on one runner: the first's
// workspace, emptied, is kept as a spare when the sandbox allows it and it is still the
// worker's, and never otherwise; either way the second finds an empty skeleton.
func TestWorkspaceReuse(t *testing.T) {
	t.Parallel()
	// twoJobs runs first, then checks that its workspace is among the spares (marked by
	// leave) when reused, or none is, then runs second.
	twoJobs := func(t *testing.T, sb sluice.Sandbox, reused bool, first, second func(rc *sluice.RunContext)) {
		t.Helper()
		b := setup(t)
		b.runner.Sandbox = sb
		b.putZip(t, "pipe/Source/k1", map[string]string{"main.go": "package main"})
		for i, run := range []func(*sluice.RunContext){first, second} {
			job := newJob()
			job.ID = []string{"job-1", "job-2"}[i]
			job.Data.InputArtifacts = []sluice.ArtifactRef{{Name: "Source", Key: "pipe/Source/k1"}}
			b.provider.run = func(ctx context.Context, rc *sluice.RunContext) (*sluice.Outcome, error) {
				run(rc)
				return &sluice.Outcome{Success: true}, nil
			}
			require.True(t, b.runner.Run(t.Context(), job).Success)
			b.requireWorkRootEmpty(t) // also waits for the first workspace to be given back
			if i == 0 {
				n := 0
				for _, name := range listDir(t, b.workRoot) {
					if marked(t, filepath.Join(b.workRoot, name)) {
						n++
					}
				}
				require.Equal(t, map[bool]int{true: 1, false: 0}[reused], n, "spares that are the first job's workspace")
			}
		}
	}
	// fresh checks what a job must find whether or not its workspace was used before.
	fresh := func(t *testing.T, rc *sluice.RunContext) {
		require.Equal(t, os.FileMode(0o711), mode(t, rc.Workspace))
		require.Equal(t, []string{"home", "in", "scratch", "tmp"}, listDir(t, rc.Workspace))
		require.Equal(t, []string{"Source"}, listDir(t, filepath.Join(rc.Workspace, "in")))
		require.Equal(t, []string{"main.go"}, listDir(t, rc.WorkDir))
		require.Empty(t, listDir(t, rc.ScratchDir))
		for _, d := range []string{"home", "tmp"} {
			dir := filepath.Join(rc.Workspace, d)
			require.Equal(t, os.FileMode(0o700), mode(t, dir), dir)
			require.Empty(t, listDir(t, dir), dir)
			require.False(t, marked(t, dir), "%s is the earlier job's", d)
		}
	}
	// leave writes everywhere the job may, and marks every directory.
	leave := func(t *testing.T, rc *sluice.RunContext) {
		for _, d := range []string{"home", "tmp", "in/Source", "scratch"} {
			dir := filepath.Join(rc.Workspace, d)
			require.NoError(t, os.WriteFile(filepath.Join(dir, "left"), []byte("job-1"), 0o644))
			mark(t, dir)
		}
		require.NoError(t, os.Chmod(filepath.Join(rc.Workspace, "home"), 0o777))
		require.NoError(t, os.Mkdir(filepath.Join(rc.Workspace, "extra"), 0o755))
		mark(t, rc.Workspace)
	}

	t.Run("EmptiedForTheNextJob", func(t *testing.T) {
		t.Parallel()
		twoJobs(t, sandbox.Off{}, true, func(rc *sluice.RunContext) { leave(t, rc) }, func(rc *sluice.RunContext) {
			fresh(t, rc)
		})
	})
	t.Run("NeverWhenTheSandboxForbids", func(t *testing.T) {
		t.Parallel()
		twoJobs(t, notReusable{}, false, func(rc *sluice.RunContext) { leave(t, rc) }, func(rc *sluice.RunContext) {
			fresh(t, rc)
		})
	})
	t.Run("ASymlinkIsNotFollowed", func(t *testing.T) {
		t.Parallel()
		victim := t.TempDir()
		precious := filepath.Join(victim, "precious")
		require.NoError(t, os.WriteFile(precious, []byte("keep"), 0o644))
		twoJobs(t, sandbox.Off{}, false, func(rc *sluice.RunContext) {
			mark(t, rc.Workspace)
			in := filepath.Join(rc.Workspace, "in")
			require.NoError(t, os.Rename(in, in+".old"))
			require.NoError(t, os.Symlink(victim, in))
		}, func(rc *sluice.RunContext) {
			fresh(t, rc)
		})
		require.FileExists(t, precious)
	})
	t.Run("NotWhenAWorkerDirectoryChanged", func(t *testing.T) {
		t.Parallel()
		twoJobs(t, sandbox.Off{}, false, func(rc *sluice.RunContext) {
			leave(t, rc)
			require.NoError(t, os.Chmod(filepath.Join(rc.Workspace, "in"), 0o755))
		}, func(rc *sluice.RunContext) {
			fresh(t, rc)
		})
	})
}
