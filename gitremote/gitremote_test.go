package gitremote_test

import (
	"archive/zip"
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/githost"
	"sluice/gitremote"
)

const (
	user     = "ci-bot"
	password = "token-123456"
)

// remote is a git server over smart HTTP with basic auth (githost, as any git host would
// serve), and a working copy that pushes to it.
type remote struct {
	url  string
	work string
	env  []string
}

func newRemote(t *testing.T) *remote {
	t.Helper()
	host, err := githost.New(t.TempDir())
	require.NoError(t, err)
	require.NoError(t, host.Create(context.Background(), "app"))
	auth := func(r *http.Request, _ githost.Request) error {
		if u, p, ok := r.BasicAuth(); ok && u == user && p == password {
			return nil
		}
		return githost.ErrUnauthenticated
	}
	mux := http.NewServeMux()
	mux.Handle(githost.PathPrefix, http.StripPrefix(githost.PathPrefix, host.Handler(auth, nil)))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	home := t.TempDir()
	r := &remote{url: githost.CloneURL(srv.URL, "app"), work: filepath.Join(t.TempDir(), "w"),
		env: append(os.Environ(), "HOME="+home, "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL="+filepath.Join(home, "cfg"),
			"GIT_AUTHOR_NAME=T", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=T", "GIT_COMMITTER_EMAIL=t@example.com")}
	r.git(t, "", "init", "-q", "-b", "main", r.work)
	return r
}

func (r *remote) git(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir, cmd.Env = dir, r.env
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "git %v: %s", args, out)
	return strings.TrimSpace(string(out))
}

// commit adds a file and pushes main; it returns the commit id.
func (r *remote) commit(t *testing.T, file, content string) string {
	t.Helper()
	require.NoError(t, os.WriteFile(filepath.Join(r.work, file), []byte(content), 0o644))
	r.git(t, r.work, "add", file)
	r.git(t, r.work, "commit", "-q", "-m", "add "+file)
	r.git(t, r.work, "push", "-q", strings.Replace(r.url, "://", "://"+user+":"+password+"@", 1), "HEAD:main")
	return r.git(t, r.work, "rev-parse", "HEAD")
}

func TestMirrors(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	r := newRemote(t)
	first := r.commit(t, "a.txt", "a\n")
	m, err := gitremote.New(t.TempDir())
	require.NoError(t, err)
	auth := gitremote.Auth{Username: user, Password: password}

	head, err := m.Head(ctx, r.url, auth, "main")
	require.NoError(t, err)
	require.Equal(t, first, head)
	_, err = m.Head(ctx, r.url, auth, "nope")
	require.True(t, sluice.IsCode(err, sluice.ENotFound), "%v", err)
	_, err = m.Head(ctx, r.url, gitremote.Auth{Username: user, Password: "wrong-password"}, "main")
	require.Error(t, err)
	require.NotContains(t, err.Error(), "wrong-password")

	require.NoError(t, m.Fetch(ctx, r.url, auth))
	c, err := m.Commit(ctx, r.url, auth, first)
	require.NoError(t, err)
	require.Equal(t, "add a.txt", c.Message)

	// A commit the mirror lacks is fetched incrementally on first use.
	second := r.commit(t, "b.txt", "b\n")
	c, err = m.Commit(ctx, r.url, auth, second[:10])
	require.NoError(t, err)
	require.Equal(t, second, c.ID)
	var zipped bytes.Buffer
	require.NoError(t, m.Archive(ctx, r.url, second, &zipped))
	zr, err := zip.NewReader(bytes.NewReader(zipped.Bytes()), int64(zipped.Len()))
	require.NoError(t, err)
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
	}
	require.ElementsMatch(t, []string{"a.txt", "b.txt"}, names)

	// A full clone has the history and points at the real server.
	dir := filepath.Join(t.TempDir(), "clone")
	require.NoError(t, m.Clone(ctx, r.url, first, dir))
	require.Equal(t, first, r.git(t, dir, "rev-parse", "HEAD"))
	require.NoFileExists(t, filepath.Join(dir, "b.txt"))
	require.Equal(t, second, r.git(t, dir, "rev-parse", "main"), "branches of the mirror come along")
	require.Equal(t, r.url, r.git(t, dir, "remote", "get-url", "origin"))
}

func TestChangedFiles(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	r := newRemote(t)
	base := r.commit(t, "a.txt", "a\n")
	r.git(t, r.work, "mv", "a.txt", "renamed.txt")
	r.git(t, r.work, "commit", "-q", "-m", "rename")
	require.NoError(t, os.Mkdir(filepath.Join(r.work, "dir"), 0o755))
	head := r.commit(t, "dir/new file.txt", "n\n")
	m, err := gitremote.New(t.TempDir())
	require.NoError(t, err)
	require.NoError(t, m.Fetch(ctx, r.url, gitremote.Auth{Username: user, Password: password}))

	files, err := m.ChangedFiles(ctx, r.url, base, head)
	require.NoError(t, err)
	require.ElementsMatch(t, []string{"a.txt", "renamed.txt", "dir/new file.txt"}, files,
		"a rename is its old and new path; names are not quoted")
	mb, err := m.MergeBase(ctx, r.url, base, head)
	require.NoError(t, err)
	require.Equal(t, base, mb)

	_, err = m.ChangedFiles(ctx, r.url, "--output=/tmp/x", head)
	require.True(t, sluice.IsCode(err, sluice.EInvalid), "%v", err)
	_, err = m.ChangedFiles(ctx, r.url, strings.Repeat("1", 40), head)
	require.Error(t, err, "a commit the mirror lacks")
}

// TestMergedBy finds the merge commit that brought a pull request's head into its target,
// so a merged request's changes can still be told (its merge base is the head itself).
func TestMergedBy(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	r := newRemote(t)
	base := r.commit(t, "a.txt", "a\n")
	r.git(t, r.work, "checkout", "-q", "-b", "feat")
	require.NoError(t, os.Mkdir(filepath.Join(r.work, "src"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(r.work, "src", "a.go"), []byte("package a\n"), 0o644))
	r.git(t, r.work, "add", "src")
	r.git(t, r.work, "commit", "-q", "-m", "feature")
	head := r.git(t, r.work, "rev-parse", "HEAD")
	r.git(t, r.work, "checkout", "-q", "main")
	r.git(t, r.work, "merge", "-q", "--no-ff", "-m", "merge feat", "feat")
	merge := r.git(t, r.work, "rev-parse", "HEAD")
	r.git(t, r.work, "push", "-q", strings.Replace(r.url, "://", "://"+user+":"+password+"@", 1), "main", "feat")
	m, err := gitremote.New(t.TempDir())
	require.NoError(t, err)
	require.NoError(t, m.Fetch(ctx, r.url, gitremote.Auth{Username: user, Password: password}))

	mb, err := m.MergeBase(ctx, r.url, "refs/heads/main", head)
	require.NoError(t, err)
	require.Equal(t, head, mb, "after the merge, the target contains the head")
	got, err := m.MergedBy(ctx, r.url, head, "refs/heads/main")
	require.NoError(t, err)
	require.Equal(t, merge, got)
	before, err := m.MergeBase(ctx, r.url, got+"^1", head)
	require.NoError(t, err)
	require.Equal(t, base, before)
	files, err := m.ChangedFiles(ctx, r.url, before, head)
	require.NoError(t, err)
	require.Equal(t, []string{"src/a.go"}, files)

	none, err := m.MergedBy(ctx, r.url, merge, "refs/heads/feat")
	require.NoError(t, err)
	require.Empty(t, none, "feat does not contain main's merge")
}
