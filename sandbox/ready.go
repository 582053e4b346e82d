package sandbox

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"

	"sluice"
	"sluice/shellword"
)

// loader is what a ready shell runs until its script comes: it sources the script from fd
// 3, a pipe the worker writes the script to and closes. `.` reads as it parses, so the
// shell waits there; error messages name the file ("/bin/sh: 3: /dev/fd/3: ...").
const loader = ". /dev/fd/3"

// ReadyShellsPay tells whether keeping shells ready (sluice.ReadyShell) saves time with sb:
// under bwrap setting up the sandbox costs several spawns; with Off there is nothing to set
// up, and a shell kept ready costs what starting one does (measured in BENCHMARKS.md).
func ReadyShellsPay(sb sluice.Sandbox) bool {
	_, ok := sb.(*Bwrap)
	return ok
}

// readyShell is a sluice.ReadyShell: the shell, the pipe its script comes by and the
// read end of its output.
type readyShell struct {
	cmd    *exec.Cmd
	script *os.File // the write end of fd 3
	out    *os.File

	mu   sync.Mutex
	used bool // Start ran it, or Close ended it
}

// startShell starts the loader in sb's sandbox of workspace, in the workspace. owner, when
// not -1, is the user outside the sandbox the code runs as: opening /dev/fd/3 opens the pipe
// anew, which only its owner may.
func startShell(sb sluice.Sandbox, workspace string, owner int) (sluice.ReadyShell, error) {
	sr, sw, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	if owner != -1 {
		if err := sr.Chown(owner, owner); err != nil {
			_, _ = sr.Close(), sw.Close()
			return nil, err
		}
	}
	or, ow, err := os.Pipe()
	if err != nil {
		_, _ = sr.Close(), sw.Close()
		return nil, err
	}
	// $0 is /bin/sh, as for `/bin/sh -c script`.
	cmd := sb.Command(context.Background(), sluice.SandboxCommand{Workspace: workspace, Dir: workspace,
		Args: []string{"/bin/sh", "-c", loader, "/bin/sh"}, Env: []string{}})
	cmd.Stdout, cmd.Stderr = ow, ow
	cmd.ExtraFiles = []*os.File{sr}
	cmd.SysProcAttr.Setpgid = true
	err = cmd.Start()
	_, _ = sr.Close(), ow.Close() // the shell has its own copies
	if err != nil {
		_, _ = sw.Close(), or.Close()
		return nil, err
	}
	return &readyShell{cmd: cmd, script: sw, out: or}, nil
}

// Start hands the shell a first line that closes fd 3 (the commands must not inherit it),
// exports env and changes to dir, then the script. The first line ends in the script's
// own first line, so line numbers in error messages are the script's.
func (s *readyShell) Start(env []string, dir, script string) (*exec.Cmd, *os.File, error) {
	prologue, ok := handOver(env, dir)
	if !ok {
		return nil, nil, sluice.ErrShellUnfit
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.used {
		return nil, nil, errors.New("the ready shell has been used")
	}
	s.used = true
	// Written apart: a script longer than the pipe holds is read as the shell runs it.
	go func() {
		_, _ = s.script.WriteString(prologue + script)
		_ = s.script.Close()
	}()
	return s.cmd, s.out, nil
}

// handOver is the prologue that gives the shell env and dir, on one line; false when
// that cannot be done in one line of shell.
func handOver(env []string, dir string) (string, bool) {
	var b strings.Builder
	b.WriteString("exec 3<&-")
	for i, kv := range env {
		name, value, ok := strings.Cut(kv, "=")
		if !ok || !shellword.IsName(name) || strings.ContainsAny(value, "\n\x00") {
			return "", false
		}
		if i == 0 { // a bare export would list the variables
			b.WriteString(" && export")
		}
		b.WriteString(" " + shellword.Quote(kv))
	}
	if strings.ContainsAny(dir, "\n\x00") {
		return "", false
	}
	// cd sets OLDPWD, which `/bin/sh -c` started in dir would not have.
	b.WriteString(" && cd -- " + shellword.Quote(dir) + " && unset OLDPWD || exit 1; ")
	return b.String(), true
}

// Close kills the shell's process group and reaps it, unless Start ran it.
func (s *readyShell) Close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.used {
		return
	}
	s.used = true
	_ = syscall.Kill(-s.cmd.Process.Pid, syscall.SIGKILL)
	_ = s.script.Close()
	_ = s.out.Close()
	_ = s.cmd.Wait()
}
