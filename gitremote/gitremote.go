// Package gitremote reads git repositories on other servers (GitHub, GitLab, Bitbucket, any
// git URL) for connection source actions. Each repository URL has one cached bare mirror,
// brought up to date by incremental fetches, never a clone per execution; ls-remote answers
// whether a branch moved without fetching anything. Reading commits and archives out of a
// mirror is githost's work: the mirrors are a githost.Host of their own.
//
// Credentials never appear in a command line or a URL: HTTP ones travel as an
// Authorization header in git's environment (GIT_CONFIG_*), an SSH key as a file only the
// server can read.
package gitremote

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"sluice"
	"sluice/githost"
	"sluice/keylock"
	"sluice/shellword"
)

// Auth is how to reach a repository: HTTP basic (a token as the password, any user name the
// host accepts) or an SSH private key. The zero Auth is anonymous.
type Auth struct {
	Username string
	Password string
	SSHKey   string // PEM
}

// ConnectionAuth is how a connection's credentials reach git: its SSH key, and its secret
// (a token) as the password of its host's user name.
func ConnectionAuth(c *sluice.Connection) Auth {
	a := Auth{SSHKey: c.SSHKey}
	if c.Secret != "" {
		a.Username, a.Password = c.HTTPUser(), c.Secret
	}
	return a
}

// Mirrors keeps the mirrors under one directory. It is safe for concurrent use; fetches of
// one URL are serialized.
type Mirrors struct {
	root  string
	git   string
	host  *githost.Host
	locks keylock.Locks // by URL
}

// New returns the mirrors under root, created on first use.
func New(root string) (*Mirrors, error) {
	if err := os.MkdirAll(root, 0o700); err != nil {
		return nil, err
	}
	git, err := exec.LookPath("git")
	if err != nil {
		return nil, fmt.Errorf("gitremote: %w", err)
	}
	host, err := githost.New(root)
	if err != nil {
		return nil, err
	}
	return &Mirrors{root: root, git: git, host: host}, nil
}

// name is the mirror of url: a hash, so any URL maps to a safe directory name.
func name(url string) string {
	sum := sha256.Sum256([]byte(url))
	return "m-" + hex.EncodeToString(sum[:12])
}

// Head returns the commit branch points to on the server, by ls-remote: no clone, no fetch.
// A branch the server does not have is ENotFound/Branch.
func (m *Mirrors) Head(ctx context.Context, url string, auth Auth, branch string) (string, error) {
	ref := "refs/heads/" + branch
	out, err := m.run(ctx, auth, "", "ls-remote", "--", url, ref)
	if err != nil {
		return "", err
	}
	for _, line := range strings.Split(string(out), "\n") {
		sha, r, ok := strings.Cut(strings.TrimSpace(line), "\t")
		if ok && r == ref {
			return sha, nil
		}
	}
	return "", sluice.Errorf(sluice.ENotFound, "Branch", "branch %s does not exist in %s", branch, url)
}

// Fetch brings the mirror of url up to date: a mirror clone the first time, an incremental
// fetch after that.
func (m *Mirrors) Fetch(ctx context.Context, url string, auth Auth) error {
	defer m.locks.Lock(url)()
	n := name(url)
	if m.host.Exists(n) {
		_, err := m.run(ctx, auth, filepath.Join(m.root, n+".git"), "fetch", "--prune", "--quiet", "--", url,
			"+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*")
		return err
	}
	tmp, err := os.MkdirTemp(m.root, "clone-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	if _, err := m.run(ctx, auth, "", "clone", "--mirror", "--quiet", "--", url, filepath.Join(tmp, "m.git")); err != nil {
		return err
	}
	// A mirror appears whole or not at all: an interrupted clone never looks like a mirror.
	return os.Rename(filepath.Join(tmp, "m.git"), filepath.Join(m.root, n+".git"))
}

// Commit describes a commit of url's mirror, fetching once when the mirror lacks it.
func (m *Mirrors) Commit(ctx context.Context, url string, auth Auth, sha string) (githost.CommitInfo, error) {
	c, err := m.host.Commit(ctx, name(url), sha)
	if sluice.IsCode(err, sluice.ENotFound) {
		if err := m.Fetch(ctx, url, auth); err != nil {
			return githost.CommitInfo{}, err
		}
		c, err = m.host.Commit(ctx, name(url), sha)
	}
	return c, err
}

// Archive writes a zip of commit sha's tree (see githost.Host.Archive).
func (m *Mirrors) Archive(ctx context.Context, url, sha string, w io.Writer) error {
	return m.host.Archive(ctx, name(url), sha, w)
}

// Clone makes dir a full clone of url at sha, with its history, from the mirror (no network);
// its origin is url, so later git commands in a build reach the real server.
func (m *Mirrors) Clone(ctx context.Context, url, sha, dir string) error {
	src := filepath.Join(m.root, name(url)+".git")
	if _, err := m.run(ctx, Auth{}, "", "clone", "--quiet", "--no-checkout", "--", src, dir); err != nil {
		return err
	}
	if _, err := m.run(ctx, Auth{}, "", "-C", dir, "checkout", "--quiet", "--detach", sha); err != nil {
		return err
	}
	_, err := m.run(ctx, Auth{}, "", "-C", dir, "remote", "set-url", "origin", url)
	return err
}

// run runs git with auth in its environment; gitDir, when set, pins the repository.
func (m *Mirrors) run(ctx context.Context, auth Auth, gitDir string, args ...string) ([]byte, error) {
	if gitDir != "" {
		args = append([]string{"--git-dir=" + gitDir}, args...)
	}
	env, cleanup, err := m.env(auth)
	if err != nil {
		return nil, err
	}
	defer cleanup()
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, m.git, args...)
	cmd.Env, cmd.Dir, cmd.Stdout, cmd.Stderr = env, m.root, &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("git %s: %w: %s", args[0], err, redact(strings.TrimSpace(stderr.String()), auth))
	}
	return stdout.Bytes(), nil
}

// env is the whole environment of a git process: nothing of the server's but PATH, no
// prompts, and the credentials.
func (m *Mirrors) env(auth Auth) ([]string, func(), error) {
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + m.root, "GIT_TERMINAL_PROMPT=0",
		"GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null",
		// Only the transports a connection can name (no ext::, fd::), and a stalled server
		// gives up instead of holding a mirror's lock for ever.
		"GIT_ALLOW_PROTOCOL=https:http:ssh:file", "GIT_HTTP_LOW_SPEED_LIMIT=1000", "GIT_HTTP_LOW_SPEED_TIME=60"}
	cleanup := func() {}
	if auth.Username != "" || auth.Password != "" {
		basic := base64.StdEncoding.EncodeToString([]byte(auth.Username + ":" + auth.Password))
		env = append(env, "GIT_CONFIG_COUNT=1", "GIT_CONFIG_KEY_0=http.extraHeader",
			"GIT_CONFIG_VALUE_0=Authorization: Basic "+basic)
	}
	if auth.SSHKey != "" {
		dir, err := os.MkdirTemp(m.root, "ssh-")
		if err != nil {
			return nil, nil, err
		}
		cleanup = func() { os.RemoveAll(dir) }
		key := filepath.Join(dir, "key")
		if err := os.WriteFile(key, []byte(strings.TrimSpace(auth.SSHKey)+"\n"), 0o600); err != nil {
			cleanup()
			return nil, nil, err
		}
		// git runs GIT_SSH_COMMAND through a shell, and ssh splits -o values again: the paths
		// are quoted for both.
		env = append(env, "GIT_SSH_COMMAND=ssh -i "+shellword.Quote(key)+" -o IdentitiesOnly=yes -o BatchMode=yes "+
			"-o ConnectTimeout=30 -o ServerAliveInterval=15 -o ServerAliveCountMax=4 "+
			"-o StrictHostKeyChecking=accept-new -o "+shellword.Quote(`UserKnownHostsFile="`+filepath.Join(m.root, "known_hosts")+`"`))
	}
	return env, cleanup, nil
}

// redact keeps a secret that a server echoed back out of an error message.
func redact(s string, auth Auth) string {
	if auth.Password != "" {
		s = strings.ReplaceAll(s, auth.Password, "****")
	}
	return s
}
