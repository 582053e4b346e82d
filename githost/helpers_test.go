package githost

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
)

const (
	testUser     = "alice"
	testPassword = "s3cret"
	testReader   = "reader" // may fetch, not push
	authorDate   = "2025-03-14T15:09:26+01:00"
	commitDate   = "2025-03-14T16:00:00Z"
)

type push struct {
	repo    string
	updates []sluice.RefUpdate
}

type testBundle struct {
	host   *Host
	srv    *httptest.Server
	pushes chan push
	env    []string // the whole environment of the test's git client
	dir    string
}

// setup starts a Host behind an HTTP server, mounted as Sluice mounts it. Client and server
// git run in a private environment (HOME, global config, no system config), so the
// machine's git configuration does not matter.
func setup(t *testing.T) *testBundle {
	t.Helper()
	dir := t.TempDir()
	home := filepath.Join(dir, "home")
	require.NoError(t, os.Mkdir(home, 0o755))
	gitconfig := filepath.Join(home, ".gitconfig")
	require.NoError(t, os.WriteFile(gitconfig, nil, 0o644))
	hermetic := []string{"HOME=" + home, "GIT_CONFIG_GLOBAL=" + gitconfig, "GIT_CONFIG_NOSYSTEM=1"}
	host, err := New(filepath.Join(dir, "repos"), WithEnv(hermetic...))
	require.NoError(t, err)

	b := &testBundle{host: host, pushes: make(chan push, 16), dir: dir}
	b.env = append([]string{"PATH=" + os.Getenv("PATH"), "GIT_TERMINAL_PROMPT=0",
		"GIT_AUTHOR_NAME=Ada Lovelace", "GIT_AUTHOR_EMAIL=ada@example.com", "GIT_AUTHOR_DATE=" + authorDate,
		"GIT_COMMITTER_NAME=Sluice Bot", "GIT_COMMITTER_EMAIL=bot@example.com", "GIT_COMMITTER_DATE=" + commitDate,
	}, hermetic...)
	auth := func(r *http.Request, q Request) error {
		user, pass, ok := r.BasicAuth()
		switch {
		case !ok || pass != testPassword || (user != testUser && user != testReader):
			return ErrUnauthenticated
		case user == testReader && q.Push():
			return sluice.Denied(sluice.Caller{Principal: testReader}, sluice.Access{Action: "codecommit:GitPush", Resource: q.Repo}, false)
		}
		return nil
	}
	onPush := func(_ context.Context, repo string, updates []sluice.RefUpdate) []string {
		b.pushes <- push{repo, updates}
		return []string{"pushed " + repo}
	}
	mux := http.NewServeMux()
	mux.Handle(PathPrefix, http.StripPrefix(PathPrefix, host.Handler(auth, onPush)))
	b.srv = httptest.NewServer(mux)
	t.Cleanup(host.Wait) // runs after srv.Close, which waits for the handlers
	t.Cleanup(b.srv.Close)
	return b
}

// url is the clone URL of repo with the given credentials in it.
func (b *testBundle) url(repo, user, password string) string {
	u, err := url.Parse(b.srv.URL)
	if err != nil {
		panic(err)
	}
	u.User = url.UserPassword(user, password)
	return CloneURL(u.String(), repo)
}

// create makes repo and clones it over HTTP into a work tree, returning the work tree.
func (b *testBundle) create(t *testing.T, repo string) string {
	t.Helper()
	require.NoError(t, b.host.Create(context.Background(), repo))
	work := filepath.Join(b.dir, "work-"+repo)
	b.git(t, b.dir, "clone", "--quiet", b.url(repo, testUser, testPassword), work)
	return work
}

// commit writes files into the work tree and commits them, returning the commit id.
func (b *testBundle) commit(t *testing.T, work, message string, files map[string]string) string {
	t.Helper()
	for name, content := range files {
		path := filepath.Join(work, name)
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, []byte(content), 0o644))
	}
	b.git(t, work, "add", "--all")
	b.git(t, work, "commit", "--quiet", "-m", message)
	return b.git(t, work, "rev-parse", "HEAD")
}

// git runs the git client in dir and returns its trimmed output, failing the test on error.
func (b *testBundle) git(t *testing.T, dir string, args ...string) string {
	t.Helper()
	out, err := b.gitErr(dir, args...)
	require.NoError(t, err, out)
	return out
}

func (b *testBundle) gitErr(dir string, args ...string) (string, error) {
	cmd := exec.Command("git", append([]string{"-C", dir}, args...)...)
	cmd.Env = b.env
	out, err := cmd.CombinedOutput()
	return strings.TrimSpace(string(out)), err
}

func zero() string { return strings.Repeat("0", 40) }
