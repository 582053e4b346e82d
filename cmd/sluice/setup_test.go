package main

import (
	"bytes"
	"context"
	"log/slog"
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
)

const (
	testKeyID  = "AKIATESTKEY000000001"
	testSecret = "test-secret-key-for-sluice-e2e-tests-000"
)

// bundle is a running server with SDK clients signed with its root key.
type bundle struct {
	main    *node.Node
	url     string
	cp      *codepipeline.Client
	cc      *codecommit.Client
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

func setup(t *testing.T) *bundle {
	t.Helper()
	return setupWith(t, func(*config.Server) {})
}

// setupWith starts a server whose configuration edit may change.
func setupWith(t *testing.T, edit func(*config.Server)) *bundle {
	t.Helper()
	cfg := config.Defaults()
	cfg.Listen, cfg.DataDir, cfg.Workers = "127.0.0.1:0", t.TempDir(), 4
	cfg.AccessKeyID, cfg.SecretAccessKey = testKeyID, testSecret
	edit(&cfg)
	n := &notifier{}
	m, err := node.New(context.Background(), cfg, node.Options{
		Log:       slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn})),
		OnApplied: func(*sluice.Plan) { n.notify() }})
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, m.Close()) })
	b := &bundle{main: m, url: m.URL(), changed: n}
	b.cp, b.cc = clients(b.url, testKeyID, testSecret)
	return b
}

func clients(url, id, secret string) (*codepipeline.Client, *codecommit.Client) {
	cfg := aws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider(id, secret, "")}
	return codepipeline.NewFromConfig(cfg, func(o *codepipeline.Options) { o.BaseEndpoint = aws.String(url) }),
		codecommit.NewFromConfig(cfg, func(o *codecommit.Options) { o.BaseEndpoint = aws.String(url) })
}

// waitFor re-checks cond each time the engine commits a plan, failing after a generous bound
// that only a hang reaches.
func (b *bundle) waitFor(t *testing.T, what string, cond func() bool) {
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

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// gitEnv isolates git from the machine's and the user's configuration.
func gitEnv(t *testing.T) []string {
	home := t.TempDir()
	return append(os.Environ(), "HOME="+home, "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL="+filepath.Join(home, "gitconfig"),
		"GIT_TERMINAL_PROMPT=0", "GIT_AUTHOR_NAME=Test", "GIT_AUTHOR_EMAIL=test@example.com",
		"GIT_COMMITTER_NAME=Test", "GIT_COMMITTER_EMAIL=test@example.com")
}

func git(t *testing.T, env []string, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir, cmd.Env = dir, env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	require.NoError(t, cmd.Run(), "git %v: %s", args, out.String())
	return strings.TrimSpace(out.String())
}

// authURL puts the test's access key into a clone URL, as a user would.
func authURL(cloneURL string) string {
	return strings.Replace(cloneURL, "http://", "http://"+testKeyID+":"+testSecret+"@", 1)
}

// restart closes the server and starts another on the same data directory and settings,
// as a new process would; the clients then talk to the new one.
func (b *bundle) restart(t *testing.T) {
	t.Helper()
	require.NoError(t, b.main.Close())
	m, err := node.New(context.Background(), b.main.Config, b.main.Options)
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, m.Close()) })
	b.main, b.url = m, m.URL()
	b.cp, b.cc = clients(b.url, testKeyID, testSecret)
}
