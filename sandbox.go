package sluice

import (
	"context"
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
}

// SandboxCommand is one program to run in a job's sandbox.
type SandboxCommand struct {
	Workspace string   // the job's workspace: the only part of the work root the code sees
	Dir       string   // the working directory, inside Workspace
	Args      []string // the program (an absolute path) and its arguments
	Env       []string // the whole environment, KEY=VALUE: nothing of the worker's is added
}
