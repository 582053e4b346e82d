package sandbox_test

import (
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"

	"sluice"
	"sluice/sandbox"
)

// probe prints what a script could tell apart between a shell started for it and a ready
// one: its environment, directory, $0, the descriptors a command inherits, and how a
// failing command is reported and ends the script.
const probe = `set -e
env | sort
pwd
echo "0=$0"
/bin/sh -c 'cd /proc/self/fd && echo fds *'
false
echo not reached`

// TestReadyShell checks that a ready shell runs a script as `/bin/sh -c` started for it
// would, in both sandboxes.
func TestReadyShell(t *testing.T) {
	t.Parallel()
	for _, mode := range []string{sandbox.ModeOff, sandbox.ModeBwrap} {
		t.Run(mode, func(t *testing.T) {
			t.Parallel()
			if _, err := exec.LookPath("bwrap"); err != nil && mode == sandbox.ModeBwrap {
				t.Skip("bubblewrap is not installed")
			}
			sb, ws := readySandbox(t, mode)
			dir := filepath.Join(ws, "w")
			env := []string{"PATH=/usr/bin:/bin", "ONLY=it's \"quoted\" $HOME", "EMPTY="}

			t.Run("AsAShellStartedForTheScript", func(t *testing.T) {
				cold := sb.Command(t.Context(), sluice.SandboxCommand{Workspace: ws, Dir: dir, Env: env,
					Args: []string{"/bin/sh", "-c", probe}})
				want, coldErr := cold.CombinedOutput()
				require.Error(t, coldErr)

				shell, err := sb.StartShell(ws)
				require.NoError(t, err)
				defer shell.Close()
				got, state := runReady(t, shell, env, dir, probe)
				require.Equal(t, string(want), got)
				require.Equal(t, 1, state.ExitCode())
				require.Contains(t, got, "ONLY=it's \"quoted\" $HOME\n")
				require.Contains(t, got, "fds ") // a leaked fd 3 would add one, the glob's
			})
			t.Run("ErrorsNameTheLineOfTheScript", func(t *testing.T) {
				shell, err := sb.StartShell(ws)
				require.NoError(t, err)
				defer shell.Close()
				got, state := runReady(t, shell, env, dir, "set -e\necho one\nno-such-command-x\n")
				require.Equal(t, "one\n/bin/sh: 3: /dev/fd/3: no-such-command-x: not found\n", got)
				require.Equal(t, 127, state.ExitCode())
			})
			t.Run("ALongScript", func(t *testing.T) {
				shell, err := sb.StartShell(ws)
				require.NoError(t, err)
				defer shell.Close()
				script := strings.Repeat(": "+strings.Repeat("x", 98)+"\n", 2000) + "echo done"
				got, state := runReady(t, shell, env, dir, script)
				require.Equal(t, "done\n", got)
				require.Zero(t, state.ExitCode())
			})
			t.Run("UnfitEnvironments", func(t *testing.T) {
				shell, err := sb.StartShell(ws)
				require.NoError(t, err)
				defer shell.Close()
				for _, bad := range [][]string{{"NOT-A-NAME=x"}, {"LINES=a\nb"}, {"NOEQUALS"}} {
					_, _, err := shell.Start(bad, dir, "true")
					require.ErrorIs(t, err, sluice.ErrShellUnfit, bad)
				}
				got, state := runReady(t, shell, nil, dir, "echo still ready")
				require.Equal(t, "still ready\n", got)
				require.Zero(t, state.ExitCode())
			})
			t.Run("CloseEndsAnUnusedShell", func(t *testing.T) {
				closing := filepath.Join(filepath.Dir(ws), "ws-closing")
				require.NoError(t, os.Mkdir(closing, 0o711))
				require.NoError(t, os.Chmod(closing, 0o711))
				shell, err := sb.StartShell(closing)
				require.NoError(t, err)
				pids := waitingIn(t, closing)
				shell.Close()
				shell.Close()
				for _, pid := range pids {
					waitGone(t, pid)
				}
				_, _, err = shell.Start(nil, closing, "true")
				require.Error(t, err)
			})
		})
	}
}

// readySandbox returns the sandbox of mode and a workspace with a directory w the code
// owns.
func readySandbox(t *testing.T, mode string) (sluice.Sandbox, string) {
	root, err := os.MkdirTemp("", "ready-test-")
	require.NoError(t, err)
	t.Cleanup(func() { _ = os.RemoveAll(root) })
	ws := filepath.Join(root, "work", "ws-1")
	require.NoError(t, os.MkdirAll(filepath.Join(ws, "w"), 0o711))
	for _, d := range []string{root, filepath.Join(root, "work"), ws} {
		require.NoError(t, os.Chmod(d, 0o711))
	}
	sb, err := sandbox.New(mode, []string{filepath.Join(root, "work")})
	require.NoError(t, err)
	require.NoError(t, sb.Own(filepath.Join(ws, "w")))
	return sb, ws
}

func runReady(t *testing.T, shell sluice.ReadyShell, env []string, dir, script string) (string, *os.ProcessState) {
	t.Helper()
	cmd, out, err := shell.Start(env, dir, script)
	require.NoError(t, err)
	defer out.Close()
	var buf bytes.Buffer
	copied := make(chan error, 1)
	go func() { _, err := io.Copy(&buf, out); copied <- err }()
	err = cmd.Wait()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatal(err)
	}
	require.NoError(t, <-copied)
	return buf.String(), cmd.ProcessState
}

// waitingIn returns the processes whose working directory is dir, once the shell that
// starts there is among them.
func waitingIn(t *testing.T, dir string) []int {
	t.Helper()
	for {
		var pids []int
		entries, err := os.ReadDir("/proc")
		require.NoError(t, err)
		for _, e := range entries {
			pid, err := strconv.Atoi(e.Name())
			if err != nil {
				continue
			}
			if cwd, _ := os.Readlink(filepath.Join("/proc", e.Name(), "cwd")); cwd == dir {
				if exe, _ := os.Readlink(filepath.Join("/proc", e.Name(), "exe")); filepath.Base(exe) == "dash" {
					pids = append(pids, pid)
				}
			}
		}
		if len(pids) > 0 {
			return pids
		}
		runtime.Gosched() // the sandbox is still being set up
	}
}

// waitGone waits for pid to end (a pidfd becomes readable when it does).
func waitGone(t *testing.T, pid int) {
	t.Helper()
	fd, err := unix.PidfdOpen(pid, 0)
	if errors.Is(err, unix.ESRCH) {
		return
	}
	require.NoError(t, err)
	defer unix.Close(fd)
	for {
		_, err := unix.Poll([]unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}, -1)
		if !errors.Is(err, unix.EINTR) {
			require.NoError(t, err)
			return
		}
	}
}
