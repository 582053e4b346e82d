//go:build unix

package commands

import (
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"syscall"

	"sluice"
	"sluice/actionlog"
)

type shellParams struct {
	Script string
	Run    sluice.SandboxCommand // where and with what environment; Args are set here
	Box    sluice.Sandbox
	Ready  sluice.ReadyShell // nil: start a shell in Box
	Log    io.Writer
}

// shellRun is how the shell ended and the end of what it printed.
type shellRun struct {
	state   *os.ProcessState
	waitErr error
	tail    *actionlog.Tail
}

// runShell runs the script in the sandbox, in a new process group with stdout and stderr on one pipe that
// is copied to the log. The child gets the pipe's write end itself, so Wait returns when
// the shell exits even if a background process still holds the pipe; the group is then
// killed, which closes the pipe and ends the copy.
func runShell(ctx context.Context, p shellParams) (*shellRun, error) {
	cmd, pr, err := startReady(p)
	if cmd != nil {
		// The ready shell was started without ctx; the group is killed after Wait anyway.
		defer context.AfterFunc(ctx, func() { _ = killGroup(cmd.Process.Pid) })()
	} else if err == nil {
		cmd, pr, err = startShell(ctx, p)
	}
	if err != nil {
		return nil, err
	}
	defer pr.Close()
	run := &shellRun{tail: actionlog.NewTail(tailBytes, tailLines)}
	copied := make(chan struct{})
	go func() {
		defer close(copied)
		_, _ = io.Copy(teeLog{log: p.Log, tail: run.tail}, pr)
	}()
	run.waitErr = cmd.Wait()
	run.state = cmd.ProcessState
	// Kill what the shell left running. The group outlives its reaped leader while it has
	// members, so its id cannot have been reused by then.
	_ = killGroup(cmd.Process.Pid)
	select {
	case <-copied:
	case <-ctx.Done():
		// A process that left the group (setsid) may hold the pipe; a stopped job must
		// not wait for it.
		_ = pr.Close()
		<-copied
	}
	return run, nil
}

// startReady runs the script in the ready shell, if there is one that can take the job's
// environment. A nil cmd without an error: start a shell.
func startReady(p shellParams) (*exec.Cmd, *os.File, error) {
	if p.Ready == nil {
		return nil, nil, nil
	}
	cmd, pr, err := p.Ready.Start(p.Run.Env, p.Run.Dir, p.Script)
	if errors.Is(err, sluice.ErrShellUnfit) {
		return nil, nil, nil
	}
	return cmd, pr, err
}

// startShell starts a shell in the sandbox for the script.
func startShell(ctx context.Context, p shellParams) (*exec.Cmd, *os.File, error) {
	pr, pw, err := os.Pipe()
	if err != nil {
		return nil, nil, err
	}
	p.Run.Args = []string{"/bin/sh", "-c", p.Script}
	cmd := p.Box.Command(ctx, p.Run)
	cmd.Stdout, cmd.Stderr = pw, pw
	cmd.SysProcAttr.Setpgid = true
	cmd.Cancel = func() error { return killGroup(cmd.Process.Pid) }
	err = cmd.Start()
	_ = pw.Close() // the shell has its own copy; ours would keep the pipe open forever
	if err != nil {
		_ = pr.Close()
		return nil, nil, err
	}
	return cmd, pr, nil
}

func killGroup(pgid int) error {
	err := syscall.Kill(-pgid, syscall.SIGKILL)
	if errors.Is(err, syscall.ESRCH) {
		return nil
	}
	return err
}

// teeLog feeds the log and the tail. A log write error is dropped: stopping the copy
// would leave the pipe full and the commands blocked on their next write.
type teeLog struct {
	log  io.Writer
	tail *actionlog.Tail
}

func (t teeLog) Write(p []byte) (int, error) {
	if t.log != nil {
		_, _ = t.log.Write(p)
	}
	_, _ = t.tail.Write(p)
	return len(p), nil
}
