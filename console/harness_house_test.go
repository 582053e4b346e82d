package console_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/stretchr/testify/require"

	"sluice/githost"
)

// hostRepos gives the fixture's core a repository host under a temporary directory and
// returns where its repositories live. Call it before the first request.
func (f *fixture) hostRepos() string {
	root := filepath.Join(f.t.TempDir(), "repos")
	h, err := githost.New(root, githost.WithEnv(f.gitEnv()...))
	require.NoError(f.t, err)
	f.core.Repos = h
	return root
}

// gitEnv is a private git environment (no machine or user configuration), with a fixed
// author.
func (f *fixture) gitEnv() []string {
	home := filepath.Join(f.t.TempDir(), "home")
	require.NoError(f.t, os.MkdirAll(home, 0o755))
	cfg := filepath.Join(home, ".gitconfig")
	require.NoError(f.t, os.WriteFile(cfg, nil, 0o644))
	return []string{"PATH=" + os.Getenv("PATH"), "HOME=" + home, "GIT_CONFIG_GLOBAL=" + cfg, "GIT_CONFIG_NOSYSTEM=1",
		"GIT_AUTHOR_NAME=Ada Lovelace", "GIT_AUTHOR_EMAIL=ada@example.com",
		"GIT_COMMITTER_NAME=Ada Lovelace", "GIT_COMMITTER_EMAIL=ada@example.com"}
}

// pushCommit clones the bare repository at dir, commits a file with message on branch and
// pushes it, as a user's git push would; it returns the commit's id.
func (f *fixture) pushCommit(dir, branch, message string) string {
	work := filepath.Join(f.t.TempDir(), "work")
	env := f.gitEnv()
	git := func(args ...string) string {
		cmd := exec.Command("git", args...)
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		require.NoError(f.t, err, string(out))
		return strings.TrimSpace(string(out))
	}
	git("clone", "--quiet", dir, work)
	require.NoError(f.t, os.WriteFile(filepath.Join(work, "README.md"), []byte(message+"\n"), 0o644))
	git("-C", work, "checkout", "--quiet", "-B", branch)
	git("-C", work, "add", "--all")
	git("-C", work, "commit", "--quiet", "-m", message)
	git("-C", work, "push", "--quiet", "origin", branch)
	return git("-C", work, "rev-parse", "HEAD")
}
