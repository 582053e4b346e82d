package sandbox

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"

	"sluice"
)

// Nobody is the user and group id sandboxed code runs as.
const Nobody = 65534

// systemDirs are shown read-only in the sandbox: programs, libraries and the system's
// configuration. The rest of the machine (/home, /root, /var, /srv, /tmp, /run, /mnt...)
// does not exist there.
var systemDirs = []string{"/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc", "/opt",
	"/run/systemd/resolve"} // where /etc/resolv.conf points under systemd-resolved

// Bwrap runs commands under bubblewrap: a new user namespace (uid Nobody), mount namespace
// built from systemDirs, the job's workspace, a private /tmp, /proc of a new PID namespace
// and a minimal /dev; a new session, killed with its parent. The network is the machine's.
//
// Run as root, Bwrap also runs bwrap itself as Nobody, so the code is Nobody outside the
// sandbox too (Own gives it its directories); run as another user, the code is that user
// outside and Nobody only inside.
type Bwrap struct {
	path   string
	hide   []string
	asUser bool // switch to Nobody outside too (the worker is root)
}

var _ sluice.Sandbox = (*Bwrap)(nil)

// NewBwrap finds bwrap and checks that it can make a sandbox on this machine.
func NewBwrap(hide []string) (*Bwrap, error) {
	path, err := exec.LookPath("bwrap")
	if err != nil {
		return nil, errors.New("bubblewrap (bwrap) is not installed: install it (apt-get install bubblewrap) " +
			"or pass --sandbox=off to run actions unsandboxed")
	}
	b := &Bwrap{path: path, asUser: os.Geteuid() == 0}
	for _, h := range hide {
		if h != "" {
			b.hide = append(b.hide, filepath.Clean(h))
		}
	}
	probe := b.Command(context.Background(), sluice.SandboxCommand{Dir: "/", Args: []string{"/bin/true"}})
	var stderr bytes.Buffer
	probe.Stderr = &stderr
	if err := probe.Run(); err != nil {
		return nil, fmt.Errorf("bubblewrap cannot make a sandbox here (%v: %s); allow unprivileged user namespaces "+
			"(sysctl kernel.unprivileged_userns_clone=1) or pass --sandbox=off", err, strings.TrimSpace(stderr.String()))
	}
	return b, nil
}

// Command runs c.Args under bwrap.
func (b *Bwrap) Command(ctx context.Context, c sluice.SandboxCommand) *exec.Cmd {
	cmd := exec.CommandContext(ctx, b.path, append(b.args(c), c.Args...)...)
	cmd.Env = c.Env // bwrap hands its environment on, and adds nothing
	if cmd.Env == nil {
		cmd.Env = []string{} // nil would be the worker's environment
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{}
	if b.asUser {
		cmd.SysProcAttr.Credential = &syscall.Credential{Uid: Nobody, Gid: Nobody}
	}
	return cmd
}

func (b *Bwrap) args(c sluice.SandboxCommand) []string {
	a := []string{"--die-with-parent", "--new-session", "--unshare-user", "--disable-userns",
		"--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try", "--hostname", "sluice"}
	if !b.asUser {
		a = append(a, "--uid", fmt.Sprint(Nobody), "--gid", fmt.Sprint(Nobody))
	}
	for _, d := range systemDirs {
		a = append(a, "--ro-bind-try", d, d)
	}
	a = append(a, "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp")
	a = append(a, b.hiding()...)
	if c.Workspace != "" {
		a = append(a, "--bind", c.Workspace, c.Workspace)
	}
	return append(a, "--chdir", c.Dir, "--")
}

// StartShell sets up the sandbox of the workspace's next job and starts its shell there.
func (b *Bwrap) StartShell(workspace string) (sluice.ReadyShell, error) {
	owner := -1
	if b.asUser {
		owner = Nobody
	}
	return startShell(b, workspace, owner)
}

// hiding covers the hidden paths that lie inside the system directories shown: an empty
// tmpfs over a directory, /dev/null over a file.
func (b *Bwrap) hiding() []string {
	var a []string
	for _, h := range b.hide {
		if !shown(h) {
			continue
		}
		fi, err := os.Stat(h)
		switch {
		case err != nil:
		case fi.IsDir():
			a = append(a, "--tmpfs", h)
		default:
			a = append(a, "--ro-bind", "/dev/null", h)
		}
	}
	return a
}

func shown(path string) bool {
	for _, d := range systemDirs {
		if path == d || strings.HasPrefix(path, d+"/") {
			return true
		}
	}
	return false
}

// Own gives the tree at path to Nobody when the code runs as Nobody outside the sandbox
// too. Symlinks are changed themselves, never followed.
func (b *Bwrap) Own(path string) error {
	if !b.asUser {
		return nil
	}
	return filepath.WalkDir(path, func(p string, _ fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(p, Nobody, Nobody)
	})
}

// ReusableWorkspaces is true when the code runs as Nobody outside the sandbox too: it cannot
// change, add to or set attributes on the worker's own directories. Run as another user,
// the code is that user outside, owns what the worker made and could leave marks there
// (modes, extended attributes) for a later job.
func (b *Bwrap) ReusableWorkspaces() bool { return b.asUser }

// Reachable checks that the sandbox's user can pass through every directory above the
// work root dir to reach its workspace (bwrap binds it as that user).
func Reachable(sb sluice.Sandbox, dir string) error {
	b, ok := sb.(*Bwrap)
	if !ok || !b.asUser {
		return nil
	}
	for d := dir; ; d = filepath.Dir(d) {
		fi, err := os.Stat(d)
		if err != nil {
			return err
		}
		if fi.Mode().Perm()&0o001 == 0 {
			return fmt.Errorf("the work directory %s is out of the sandbox's reach: %s is mode %04o; "+
				"let others pass through it (chmod o+x) or choose another --work-dir", dir, d, fi.Mode().Perm())
		}
		if d == filepath.Dir(d) {
			return nil
		}
	}
}
