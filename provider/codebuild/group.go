//go:build unix

package codebuild

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"syscall"
)

// processGroup is the build's process group. A keeper process leads it for the whole
// build: a group id cannot be reused while its leader lives, so killing the group can
// never hit someone else's processes, even after every phase shell has exited and only a
// build's background processes (a dockerd started in install, say) are left. The keeper
// blocks reading a pipe only Sluice holds, so it also ends if the worker dies.
type processGroup struct {
	keeper *exec.Cmd
	hold   *os.File
	pgid   int
}

func newProcessGroup() (*processGroup, error) {
	pr, pw, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command("/bin/sh", "-c", "read x")
	cmd.Stdin = pr
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	err = cmd.Start()
	_ = pr.Close()
	if err != nil {
		_ = pw.Close()
		return nil, err
	}
	return &processGroup{keeper: cmd, hold: pw, pgid: cmd.Process.Pid}, nil
}

// kill kills every process of the build.
func (g *processGroup) kill() error {
	err := syscall.Kill(-g.pgid, syscall.SIGKILL)
	if errors.Is(err, syscall.ESRCH) {
		return nil
	}
	return err
}

func (g *processGroup) close() {
	_ = g.kill()
	_ = g.hold.Close()
	_ = g.keeper.Wait()
}

type shellParams struct {
	Shell  string
	Script string // path of the script file
	Dir    string
	Env    []string
	Out    *os.File
}

// run runs one shell session in the group. The shell gets the log pipe itself, so Wait
// returns when the shell exits even while its background processes hold the pipe.
// Canceling ctx kills the whole group.
func (g *processGroup) run(ctx context.Context, p shellParams) (*os.ProcessState, error) {
	cmd := exec.CommandContext(ctx, p.Shell, p.Script)
	cmd.Dir, cmd.Env = p.Dir, p.Env
	cmd.Stdout, cmd.Stderr = p.Out, p.Out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pgid: g.pgid}
	cmd.Cancel = g.kill
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	err := cmd.Wait()
	var exit *exec.ExitError
	if errors.As(err, &exit) || ctx.Err() != nil {
		err = nil // how the shell ended is read from its state
	}
	return cmd.ProcessState, err
}
