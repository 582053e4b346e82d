package console_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/console"
	"sluice/engine"
	"sluice/service"
	"sluice/store/sqlite"
)

const (
	account = "123456789012"
	rootID  = "AKIACONSOLETEST00001"
	rootSec = "console-test-secret"
)

// clock is a clock the tests move.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

type ids struct {
	mu sync.Mutex
	n  int
}

func (i *ids) NewID() string {
	i.mu.Lock()
	defer i.mu.Unlock()
	i.n++
	return fmt.Sprintf("00000000-0000-4000-8000-%012d", i.n)
}

// fixture is a console over a real core and store, served by httptest.
type fixture struct {
	t     *testing.T
	srv   *httptest.Server
	db    *sqlite.DB
	core  *service.Service
	clock *clock
	hub   *console.Hub
	ctx   context.Context
}

func setup(t *testing.T) *fixture {
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "sluice.db"))
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() })
	ctx := context.Background()
	require.NoError(t, db.PutAccessKey(ctx, &sluice.AccessKey{ID: rootID, Secret: rootSec, Principal: "arn:aws:iam::" + account + ":root"}))
	clk := &clock{now: time.Now().UTC()}
	eng := &engine.Engine{Store: db, Clock: clk, IDs: &ids{}, Account: account, Region: "us-east-1"}
	eng.Lookup = eng.LookupActionType
	core := &service.Service{Engine: eng, Store: db, IDs: &ids{}, Authz: &service.Authorizer{Store: db, Account: account, Clock: clk}}
	hub := &console.Hub{}
	c := &console.Console{Service: core, Log: slog.New(slog.NewTextHandler(testWriter{t}, nil)), Live: hub}
	srv := httptest.NewServer(c.Handler())
	t.Cleanup(srv.Close)
	return &fixture{t: t, srv: srv, db: db, core: core, clock: clk, hub: hub, ctx: ctx}
}

// browser is one signed-in (or not) user agent: a cookie jar, no redirects followed.
type browser struct {
	f      *fixture
	client *http.Client
}

func (f *fixture) browser() *browser {
	jar, err := cookiejar.New(nil)
	require.NoError(f.t, err)
	return &browser{f: f, client: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

// signIn signs in with a key and returns the browser.
func (f *fixture) signIn(keyID, secret string) *browser {
	b := f.browser()
	resp, _ := b.post("/signin", url.Values{"access_key_id": {keyID}, "secret_access_key": {secret}, "next": {"/"}})
	require.Equal(f.t, http.StatusSeeOther, resp.StatusCode, "sign-in with %s", keyID)
	return b
}

// root is a browser signed in with the root key.
func (f *fixture) root() *browser { return f.signIn(rootID, rootSec) }

// get fetches path and returns the response and its body.
func (b *browser) get(path string) (*http.Response, string) {
	resp, err := b.client.Get(b.f.srv.URL + path)
	require.NoError(b.f.t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(b.f.t, err)
	return resp, string(body)
}

// post posts a form as it is (no token added: see submit).
func (b *browser) post(path string, form url.Values) (*http.Response, string) {
	resp, err := b.client.PostForm(b.f.srv.URL+path, form)
	require.NoError(b.f.t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(b.f.t, err)
	return resp, string(body)
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// submit posts form to action with the CSRF token of the page at from, as a browser
// submitting that page's form does.
func (b *browser) submit(from, action string, form url.Values) (*http.Response, string) {
	_, page := b.get(from)
	m := csrfField.FindStringSubmatch(page)
	require.NotNil(b.f.t, m, "the page %s has no form with a CSRF token", from)
	form.Set("csrf", m[1])
	return b.post(action, form)
}

// addUser makes an IAM user with one inline policy and an access key, and returns the key.
func (f *fixture) addUser(name, policy string) (id, secret string) {
	root := sluice.Caller{Principal: "arn:aws:iam::" + account + ":root", AccessKeyID: rootID}
	_, err := f.core.CreateUser(f.ctx, root, name, "/")
	require.NoError(f.t, err)
	require.NoError(f.t, f.core.PutInlinePolicy(f.ctx, root, sluice.PolicyOwner{Kind: sluice.OwnerUser, Name: name}, "p", policy))
	k, err := f.core.CreateAccessKey(f.ctx, root, name)
	require.NoError(f.t, err)
	return k.ID, k.Secret
}

// testWriter sends the console's log to the test's.
type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}
