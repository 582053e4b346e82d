//go:build unix

package codebuild

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"

	"sluice"
	"sluice/shellword"
)

// keeperScript runs each launcher named on its standard input, one at a time, and reports
// each one's exit status on fd 3.
const keeperScript = `while IFS= read -r l; do /bin/sh "$l" </dev/null; echo "$?" >&3; done`

// processGroup is the build's sandbox and process group. A keeper shell leads it for the
// whole build, in the job's sandbox, and runs the phases' shells there: a background
// process one phase starts (a dockerd in install, say) is still there in the next, and a
// group id cannot be reused while its leader lives, so killing the group can never hit
// someone else's processes. The keeper reads a pipe only Sluice holds, so it also ends if
// the worker dies.
type processGroup struct {
	keeper *exec.Cmd
	hold   *os.File      // the keeper's standard input
	status *bufio.Reader // the keeper's fd 3
	pipe   *os.File
	pgid   int
}

// newProcessGroup starts the keeper in rc's sandbox with out as its output.
func newProcessGroup(rc *sluice.RunContext, out *os.File) (*processGroup, error) {
	pr, pw, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	sr, sw, err := os.Pipe()
	if err != nil {
		_, _ = pr.Close(), pw.Close()
		return nil, err
	}
	cmd := rc.Sandbox.Command(context.Background(), sluice.SandboxCommand{Workspace: rc.Workspace, Dir: rc.WorkDir,
		Args: []string{"/bin/sh", "-c", keeperScript}, Env: []string{}})
	cmd.Stdin, cmd.Stdout, cmd.Stderr, cmd.ExtraFiles = pr, out, out, []*os.File{sw}
	cmd.SysProcAttr.Setpgid = true
	err = cmd.Start()
	_, _ = pr.Close(), sw.Close()
	if err != nil {
		_, _ = pw.Close(), sr.Close()
		return nil, err
	}
	return &processGroup{keeper: cmd, hold: pw, status: bufio.NewReader(sr), pipe: sr, pgid: cmd.Process.Pid}, nil
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
	_ = g.pipe.Close()
}

// run runs one launcher script in the group and returns its shell's exit status (128+n
// when signal n killed it). Canceling ctx kills the whole group.
func (g *processGroup) run(ctx context.Context, launcher string) (int, error) {
	stop := context.AfterFunc(ctx, func() { _ = g.kill() })
	defer stop()
	if _, err := fmt.Fprintln(g.hold, launcher); err != nil {
		return 0, fmt.Errorf("the build's shell is gone: %w", err)
	}
	line, err := g.status.ReadString('\n')
	if err != nil {
		return 0, fmt.Errorf("the build's shell is gone: %w", err)
	}
	return strconv.Atoi(strings.TrimSpace(line))
}

// launcher is the script the keeper runs for one session: the session's script in dir,
// under shell, with exactly env.
func launcher(dir, shell, script string, env []string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "cd %s || exit 126\nexec /usr/bin/env -i", shellword.Quote(dir))
	for _, kv := range env {
		b.WriteString(" \\\n  " + shellword.Quote(kv))
	}
	fmt.Fprintf(&b, " \\\n  %s %s\n", shellword.Quote(shell), shellword.Quote(script))
	return b.String()
}
