// Package sandbox adapts the ways of isolating the code actions run (sluice.Sandbox):
// Bwrap runs it under Debian's bubblewrap, Off runs it as the worker itself.
package sandbox

import (
	"context"
	"fmt"
	"os/exec"
	"syscall"

	"sluice"
)

// Modes are the values of --sandbox.
const (
	ModeBwrap = "bwrap"
	ModeOff   = "off"
)

// OffWarning is what a server or worker says at start-up when actions run unsandboxed.
const OffWarning = "WARNING: --sandbox=off: actions run as this process's user with no isolation; " +
	"any pipeline can read this machine's files, the data directory and its keys, and other jobs' workspaces"

// New returns the sandbox of mode. hide lists paths the sandboxed code must not see even
// where they lie inside the system directories it is shown (the data directory, key files,
// the work root).
func New(mode string, hide []string) (sluice.Sandbox, error) {
	switch mode {
	case ModeBwrap, "":
		return NewBwrap(hide)
	case ModeOff:
		return Off{}, nil
	}
	return nil, fmt.Errorf("--sandbox %q: want %s or %s", mode, ModeBwrap, ModeOff)
}

// Off runs commands directly, as the worker's own user, seeing all it sees. Only their
// environment is the job's.
type Off struct{}

var _ sluice.Sandbox = Off{}

// Command runs c.Args as it is.
func (Off) Command(ctx context.Context, c sluice.SandboxCommand) *exec.Cmd {
	cmd := exec.CommandContext(ctx, c.Args[0], c.Args[1:]...)
	cmd.Dir, cmd.Env = c.Dir, c.Env
	if cmd.Env == nil {
		cmd.Env = []string{} // nil would be the worker's environment
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{}
	return cmd
}

// Own does nothing: the code runs as the worker.
func (Off) Own(string) error { return nil }

// StartShell starts a shell for the workspace's next job.
func (o Off) StartShell(workspace string) (sluice.ReadyShell, error) {
	return startShell(o, workspace, -1)
}

// ReusableWorkspaces is true: the code can reach every job's workspace anyway, so reusing
// one takes no isolation away.
func (Off) ReusableWorkspaces() bool { return true }
