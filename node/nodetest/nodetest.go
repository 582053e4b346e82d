// Package nodetest starts whole servers (node.New) for tests, with SDK clients signed with
// their root key, and declares the pipelines the full-server tests share.
package nodetest

import (
	"bytes"
	"context"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/codecommit"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline"
	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/config"
	"sluice/node"
	"sluice/store/postgres/pgtest"
)

// KeyID and Secret are the servers' root access key.
const (
	KeyID  = "AKIATESTKEY000000001"
	Secret = "test-secret-key-for-sluice-e2e-tests-000"
)

// Bundle is a running server with SDK clients signed with its root key.
type Bundle struct {
	Node    *node.Node
	URL     string
	CP      *codepipeline.Client
	CC      *codecommit.Client
	changed *notifier
}

// notifier lets a test wait for the engine to commit something instead of sleeping.
type notifier struct {
	mu sync.Mutex
	ch chan struct{}
}

func (n *notifier) c() <-chan struct{} {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.ch == nil {
		n.ch = make(chan struct{})
	}
	return n.ch
}

func (n *notifier) notify() {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.ch != nil {
		close(n.ch)
		n.ch = nil
	}
}

// Setup starts a server with the test configuration.
func Setup(t *testing.T) *Bundle {
	t.Helper()
	return SetupWith(t, func(*config.Server) {})
}

// SetupWith starts a server whose configuration edit may change.
func SetupWith(t *testing.T, edit func(*config.Server)) *Bundle {
	t.Helper()
	cfg := testConfig(t)
	if os.Getenv("SLUICE_TEST_POSTGRES") == "1" { // every server of the tests on PostgreSQL
		cfg.Database.URL = pgtest.Schema(t)
		cfg.Database.MaxConns = 3 // many servers at once stay under max_connections
	}
	edit(&cfg)
	return start(t, cfg, node.Options{})
}

// testConfig is the configuration every test server starts from: a free loopback port, a
// fresh data directory, four in-process workers and the test's root key.
func testConfig(t *testing.T) config.Server {
	cfg := config.Defaults()
	cfg.Listen, cfg.DataDir, cfg.Workers = "127.0.0.1:0", t.TempDir(), 4
	cfg.AccessKeyID, cfg.SecretAccessKey = KeyID, Secret
	return cfg
}

// start starts a server on cfg, logging warnings to the test, with opts' other settings.
func start(t *testing.T, cfg config.Server, opts node.Options) *Bundle {
	t.Helper()
	n := &notifier{}
	opts.Log = slog.New(slog.NewTextHandler(TestWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	opts.OnApplied = func(*sluice.Plan) { n.notify() }
	m, err := node.New(context.Background(), cfg, opts)
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, m.Close()) })
	b := &Bundle{Node: m, URL: m.URL(), changed: n}
	b.CP, b.CC = Clients(b.URL, KeyID, Secret)
	return b
}

// Clients are SDK clients of the server at url, signed with the key id and secret.
func Clients(url, id, secret string) (*codepipeline.Client, *codecommit.Client) {
	cfg := aws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider(id, secret, "")}
	return codepipeline.NewFromConfig(cfg, func(o *codepipeline.Options) { o.BaseEndpoint = aws.String(url) }),
		codecommit.NewFromConfig(cfg, func(o *codecommit.Options) { o.BaseEndpoint = aws.String(url) })
}

// WaitFor re-checks cond each time the engine commits a plan, failing after a generous bound
// that only a hang reaches.
func (b *Bundle) WaitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.After(2 * time.Minute)
	for {
		ch := b.changed.c()
		if cond() {
			return
		}
		select {
		case <-ch:
		case <-time.After(2 * time.Second): // work outside the engine (a push) is not signalled
		case <-deadline:
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// TestWriter writes to the test's log, a line at a time.
type TestWriter struct{ T *testing.T }

func (w TestWriter) Write(p []byte) (int, error) {
	w.T.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// GitEnv isolates git from the machine's and the user's configuration.
func GitEnv(t *testing.T) []string {
	home := t.TempDir()
	return append(os.Environ(), "HOME="+home, "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL="+filepath.Join(home, "gitconfig"),
		"GIT_TERMINAL_PROMPT=0", "GIT_AUTHOR_NAME=Test", "GIT_AUTHOR_EMAIL=test@example.com",
		"GIT_COMMITTER_NAME=Test", "GIT_COMMITTER_EMAIL=test@example.com")
}

// Git runs git in dir and returns its trimmed output.
func Git(t *testing.T, env []string, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir, cmd.Env = dir, env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	require.NoError(t, cmd.Run(), "git %v: %s", args, out.String())
	return strings.TrimSpace(out.String())
}

// AuthURL puts the test's access key into a clone URL, as a user would.
func AuthURL(cloneURL string) string {
	return strings.Replace(cloneURL, "http://", "http://"+KeyID+":"+Secret+"@", 1)
}

// Restart closes the server and starts another on the same data directory and settings,
// as a new process would; the clients then talk to the new one.
func (b *Bundle) Restart(t *testing.T) {
	t.Helper()
	b.RestartAfter(t, func() {})
}

// RestartAfter is Restart with down run while no server runs.
func (b *Bundle) RestartAfter(t *testing.T, down func()) {
	t.Helper()
	require.NoError(t, b.Node.Close())
	down()
	m, err := node.New(context.Background(), b.Node.Config, b.Node.Options)
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, m.Close()) })
	b.Node, b.URL = m, m.URL()
	b.CP, b.CC = Clients(b.URL, KeyID, Secret)
}

// FreeAddr is a loopback address no one listens on now.
func FreeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer l.Close()
	return l.Addr().String()
}
