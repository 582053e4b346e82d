package runner_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/provider/commands"
	"sluice/runner"
)

// TestReadyShells runs Commands jobs with shells readied ahead (Runner.ReadyShells), as
// servers do.
func TestReadyShells(t *testing.T) {
	t.Parallel()
	t.Run("LaterJobsRunInAReadyWorkspace", func(t *testing.T) {
		t.Parallel()
		b := readyBundle(t)
		var dirs []string
		for i := range 3 {
			res := b.runner.Run(t.Context(), wsJob(i))
			require.True(t, res.Success, res.Summary)
			dirs = append(dirs, res.OutputVariables["WS"])
		}
		// The first job finds none ready and starts its shell; the next find the one readied
		// while the job before ran (the runner waits for one being readied).
		require.Equal(t, filepath.Join(b.workRoot, "job-0", "in", "Source"), dirs[0])
		for _, d := range dirs[1:] {
			rel, err := filepath.Rel(b.workRoot, d)
			require.NoError(t, err)
			require.True(t, strings.HasPrefix(rel, "ws-"), d)
			require.Equal(t, filepath.Join("in", "Source"), strings.SplitN(rel, "/", 2)[1])
		}
		require.NotEqual(t, dirs[1], dirs[2])
	})
	t.Run("AnEnvironmentNoShellLineCarriesGetsAShellOfItsOwn", func(t *testing.T) {
		t.Parallel()
		b := readyBundle(t)
		b.runner.Env = []string{"MULTI=a\nb"} // a newline would end the shell's first line
		for i := range 2 {
			job := wsJob(i)
			job.Data.Commands = append(job.Data.Commands, `test "$MULTI" = "$(printf 'a\nb')"`)
			res := b.runner.Run(t.Context(), job)
			require.True(t, res.Success, res.Summary)
		}
	})
	t.Run("AStoppedJobsShellIsKilled", func(t *testing.T) {
		t.Parallel()
		b := readyBundle(t)
		require.True(t, b.runner.Run(t.Context(), wsJob(0)).Success)
		job := wsJob(1)
		started := filepath.Join(t.TempDir(), "started")
		require.NoError(t, syscall.Mkfifo(started, 0o666))
		job.Data.Commands = []string{"sleep 1000 &", "echo > " + started, "wait"}
		ctx, cancel := context.WithCancel(t.Context())
		go func() {
			f, err := os.Open(started) // returns once the commands opened it to write
			if err == nil {
				_ = f.Close()
			}
			cancel()
		}()
		res := b.runner.Run(ctx, job)
		require.False(t, res.Success)
		require.Contains(t, res.Summary, "stopped")
	})
	t.Run("CloseEndsTheReadyOnes", func(t *testing.T) {
		t.Parallel()
		b := readyBundle(t)
		res := b.runner.Run(t.Context(), wsJob(0))
		require.True(t, res.Success, res.Summary)
		b.runner.Wait()
		require.NotEmpty(t, readyDirs(t, b.workRoot))
		b.runner.Close()
		require.Empty(t, readyDirs(t, b.workRoot))
		b.requireWorkRootEmpty(t)
	})
	t.Run("ASweepLeavesThoseALiveProcessHolds", func(t *testing.T) {
		t.Parallel()
		b := readyBundle(t)
		dead, held := filepath.Join(b.workRoot, "ws-dead"), filepath.Join(b.workRoot, "ws-held")
		for _, d := range []string{dead, held} {
			require.NoError(t, os.MkdirAll(filepath.Join(d, "in"), 0o711))
		}
		f, err := os.Open(held)
		require.NoError(t, err)
		defer f.Close()
		require.NoError(t, syscall.Flock(int(f.Fd()), syscall.LOCK_EX))

		res := b.runner.Run(t.Context(), wsJob(0))
		require.True(t, res.Success, res.Summary)
		b.runner.Wait()
		require.NoDirExists(t, dead)
		require.DirExists(t, filepath.Join(held, "in"))
	})
}

func readyBundle(t *testing.T) *bundle {
	b := setup(t)
	providers, err := runner.ProviderMap(&commands.Provider{})
	require.NoError(t, err)
	b.runner.Providers = providers
	b.runner.ReadyShells = true
	t.Cleanup(b.runner.Close)
	b.putZip(t, "pipe/Source/k", map[string]string{"README": "hi"})
	return b
}

// wsJob is a Commands job that reads its input and reports its directory.
func wsJob(i int) *sluice.Job {
	job := newJob()
	job.ID, job.ActionRunID = "job-"+string(rune('0'+i)), "run-"+string(rune('0'+i))
	job.ActionType = commands.TypeID
	job.Data = sluice.JobData{ActionTypeID: commands.TypeID,
		Commands:        []string{"grep -q hi README", "WS=$PWD"},
		OutputVariables: []string{"WS"},
		InputArtifacts:  []sluice.ArtifactRef{{Name: "Source", Key: "pipe/Source/k"}}}
	return job
}

func readyDirs(t *testing.T, root string) []string {
	var ready []string
	for _, name := range listDir(t, root) {
		if strings.HasPrefix(name, "ws-") {
			ready = append(ready, name)
		}
	}
	return ready
}
