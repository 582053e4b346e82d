// Package githost hosts git repositories for Sluice (its CodeCommit): bare repositories under
// one root directory, served over git's smart HTTP protocol by git's own http-backend, with
// a notification of the refs each push changed. It shells out to the git CLI, version 2.28 or
// later.
package githost

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"sluice/keylock"
)

// Host manages the repositories under one root directory: root/<name>.git. Its methods are
// safe for concurrent use; pushes and Create/Delete of one repository are serialized.
type Host struct {
	root string
	git  string   // absolute path of the git binary
	env  []string // the whole environment of every git process
	log  *slog.Logger
	// locks serializes the changes to one repository: a push's before/after snapshot of
	// its refs must see that push alone, and Delete must not pull a repository from under a
	// push.
	locks keylock.Locks
	// shared, when set, takes the same lock across the servers sharing root (WithLocker).
	shared func(ctx context.Context, name string) (unlock func(), err error)
	notify notifier
	audit  AuditFunc
}

// Option configures a Host.
type Option func(*Host)

// WithGit sets the git binary (default: "git" looked up in PATH).
func WithGit(path string) Option { return func(h *Host) { h.git = path } }

// WithEnv adds variables to the environment of git processes, e.g. HOME or
// GIT_CONFIG_GLOBAL. Git sees PATH and these only: nothing else of the server's environment
// (its secrets, a stray GIT_DIR) leaks into git or its hooks.
func WithEnv(env ...string) Option { return func(h *Host) { h.env = append(h.env, env...) } }

// WithLogger sets where http-backend's errors go (default slog.Default()).
func WithLogger(l *slog.Logger) Option { return func(h *Host) { h.log = l } }

// WithLocker has the changes to a repository also take lock's lock, held across every
// server that shares the root directory (replicas on a shared disk): a push's refs before
// and after must see that push alone on every server.
func WithLocker(lock func(ctx context.Context, name string) (unlock func(), err error)) Option {
	return func(h *Host) { h.shared = lock }
}

// WithAudit has fn told of every authenticated request once it is served (see AuditFunc).
func WithAudit(fn AuditFunc) Option { return func(h *Host) { h.audit = fn } }

// New returns a Host for the repositories under root, which is created on first use.
func New(root string, opts ...Option) (*Host, error) {
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, fmt.Errorf("githost: root: %w", err)
	}
	h := &Host{root: abs, git: "git", env: []string{"PATH=" + os.Getenv("PATH")}, log: slog.Default()}
	for _, opt := range opts {
		opt(h)
	}
	// The CGI handler runs the binary by path, so resolve it once.
	if h.git, err = exec.LookPath(h.git); err != nil {
		return nil, fmt.Errorf("githost: %w", err)
	}
	if h.git, err = filepath.Abs(h.git); err != nil {
		return nil, fmt.Errorf("githost: %w", err)
	}
	return h, nil
}

// dir is where the repository name lives; name must be valid.
func (h *Host) dir(name string) string { return filepath.Join(h.root, name+".git") }

// run runs git on the repository at dir ("" for none) and returns its standard output.
func (h *Host) run(ctx context.Context, dir string, args ...string) ([]byte, error) {
	var stdout, stderr bytes.Buffer
	cmd := h.command(ctx, dir, args...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("git %s: %w: %s", args[0], err, strings.TrimSpace(stderr.String()))
	}
	return stdout.Bytes(), nil
}

// command is a git process pinned to dir with --git-dir, which no environment overrides.
func (h *Host) command(ctx context.Context, dir string, args ...string) *exec.Cmd {
	if dir != "" {
		args = append([]string{"--git-dir=" + dir}, args...)
	}
	cmd := exec.CommandContext(ctx, h.git, args...)
	cmd.Env = h.env
	cmd.Dir = h.root
	return cmd
}

// lock takes name's lock in this process, then across servers when they share the root.
func (h *Host) lock(ctx context.Context, name string) (func(), error) {
	unlock := h.locks.Lock(name)
	if h.shared == nil {
		return unlock, nil
	}
	release, err := h.shared(ctx, name)
	if err != nil {
		unlock()
		return nil, fmt.Errorf("githost: lock %s: %w", name, err)
	}
	return func() { release(); unlock() }, nil
}
