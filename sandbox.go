package sluice

import (
	"context"
	"errors"
	"os"
	"os/exec"
)

// Sandbox runs the code of actions (shell commands, builds) apart from the control plane:
// in its own user id, mount and PID namespaces, seeing of the machine only the system's
// directories and its own job's workspace (package sandbox has the adapters). Every
// provider that runs code a pipeline supplies starts it through the job's Sandbox.
// Implementations are safe for concurrent use.
type Sandbox interface {
	// Command returns the command that runs c.Args in the sandbox, stopped when ctx ends
	// (the caller sets its Cancel). The caller sets Stdin, Stdout, Stderr and ExtraFiles, and
	// may set Setpgid on SysProcAttr (never nil), but not Dir or Env: they are c.Dir and c.Env.
	Command(ctx context.Context, c SandboxCommand) *exec.Cmd
	// Own hands the file or directory tree at path, made by the worker inside a workspace,
	// to the code the sandbox runs, so it can write there. A worker that reads back a file
	// from an owned tree opens it without following symlinks: the code may have replaced it.
	Own(path string) error
	// ReusableWorkspaces reports whether the directories of a finished job's workspace that
	// the worker made and never handed over (Own), once emptied, may serve a later job: true
	// when the code cannot have changed them, or when nothing isolates jobs anyway.
	ReusableWorkspaces() bool
	// StartShell starts /bin/sh in the sandbox of the workspace ahead of the job that will
	// use it, waiting for its script (see ReadyShell). A ready shell binds the workspace at
	// its path, so the workspace must stay at that path until the shell is done.
	StartShell(workspace string) (ReadyShell, error)
}

// ReadyShell is /bin/sh started ahead of a job in its sandbox, in a process group of its
// own, with an empty environment, waiting for a script. Setting up a sandbox takes several
// times as long as the shell itself (bubblewrap's new namespaces); a ready shell takes that
// off the job's path. A ReadyShell runs at most one script.
type ReadyShell interface {
	// Start runs script as `/bin/sh -c script` would run it in dir with env (the whole
	// environment, KEY=VALUE), with stdout and stderr on the pipe it returns, and returns
	// the running shell for the caller to Wait for; nothing cancels it. ErrShellUnfit means
	// env or dir cannot be handed over this way: Close it and start a shell instead.
	Start(env []string, dir, script string) (*exec.Cmd, *os.File, error)
	// Close ends the shell unless Start ran it. It may be called more than once.
	Close()
}

// ErrShellUnfit is ReadyShell.Start's answer for an environment or directory it cannot hand
// over (a name that is not a shell identifier, a newline in a value).
var ErrShellUnfit = errors.New("the environment cannot be handed to a ready shell")

// SandboxCommand is one program to run in a job's sandbox.
type SandboxCommand struct {
	Workspace string   // the job's workspace: the only part of the work root the code sees
	Dir       string   // the working directory, inside Workspace
	Args      []string // the program (an absolute path) and its arguments
	Env       []string // the whole environment, KEY=VALUE: nothing of the worker's is added
}
