// Package hosteventtest loads the shared corpus of real webhook deliveries
// (shared/corpus/webhooks, see its README) for the tests of hostevent and trigger/filter.
package hosteventtest

import (
	"bufio"
	"bytes"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The corpus README's documented secrets: every HMAC signature in it was computed with
// HMACSecret (the example secret of GitHub's "Validating webhook deliveries"), and the GitLab
// deliveries carry GitLabToken.
const (
	HMACSecret  = "It's a Secret to Everybody"
	GitLabToken = "my-webhook-secret-token"
)

// Delivery is one corpus delivery: NAME.json is the body, NAME.headers its headers.
type Delivery struct {
	Name     string
	Provider string // GitHub, GitLab or Bitbucket (Cloud and Server alike), from the name
	Header   http.Header
	Body     []byte
}

// Secret is the secret the delivery was signed with.
func (d Delivery) Secret() string {
	if d.Provider == "GitLab" {
		return GitLabToken
	}
	return HMACSecret
}

// Dir returns the corpus's webhooks directory: $SLUICE_CORPUS_DIR/webhooks, or the first
// shared/corpus/webhooks above the working directory. Without it the test is skipped, or
// fails when SLUICE_REQUIRE_CORPUS=1.
func Dir(tb testing.TB) string {
	tb.Helper()
	if root := os.Getenv("SLUICE_CORPUS_DIR"); root != "" {
		return need(tb, filepath.Join(root, "webhooks"))
	}
	wd, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for dir := wd; ; dir = filepath.Dir(dir) {
		candidate := filepath.Join(dir, "shared", "corpus", "webhooks")
		if _, err := os.Stat(candidate); err == nil {
			return candidate
		}
		if filepath.Dir(dir) == dir {
			return need(tb, candidate)
		}
	}
}

func need(tb testing.TB, dir string) string {
	tb.Helper()
	if _, err := os.Stat(dir); err != nil {
		if os.Getenv("SLUICE_REQUIRE_CORPUS") == "1" {
			tb.Fatalf("webhook corpus missing and SLUICE_REQUIRE_CORPUS=1: %v", err)
		}
		tb.Skipf("webhook corpus not found (%v); set SLUICE_CORPUS_DIR or SLUICE_REQUIRE_CORPUS=1 to insist", err)
	}
	return dir
}

// Load reads every delivery of the corpus, in name order.
func Load(tb testing.TB) []Delivery {
	tb.Helper()
	dir := Dir(tb)
	headers, err := filepath.Glob(filepath.Join(dir, "*.headers"))
	if err != nil || len(headers) == 0 {
		tb.Fatalf("no deliveries in %s (%v)", dir, err)
	}
	out := make([]Delivery, 0, len(headers))
	for _, path := range headers {
		name := strings.TrimSuffix(filepath.Base(path), ".headers")
		out = append(out, Delivery{Name: name, Provider: provider(name), Header: readHeader(tb, path),
			Body: read(tb, filepath.Join(dir, name+".json"))})
	}
	return out
}

// Get returns the named delivery.
func Get(tb testing.TB, name string) Delivery {
	tb.Helper()
	for _, d := range Load(tb) {
		if d.Name == name {
			return d
		}
	}
	tb.Fatalf("no corpus delivery %s", name)
	return Delivery{}
}

func provider(name string) string {
	switch {
	case strings.HasPrefix(name, "github-"):
		return "GitHub"
	case strings.HasPrefix(name, "gitlab-"):
		return "GitLab"
	default:
		return "Bitbucket"
	}
}

func readHeader(tb testing.TB, path string) http.Header {
	tb.Helper()
	h := http.Header{}
	sc := bufio.NewScanner(bytes.NewReader(read(tb, path)))
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), ":"); ok {
			h.Add(strings.TrimSpace(k), strings.TrimSpace(v))
		}
	}
	return h
}

func read(tb testing.TB, path string) []byte {
	tb.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}
