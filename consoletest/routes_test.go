package consoletest_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline"
	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/node/nodetest"
)

// route is one pattern of the console's mux.
type route struct{ method, path string }

var routePattern = regexp.MustCompile(`mux\.Handle(?:Func)?\("(GET|POST) (/[^"]*)"`)

// consoleRoutes reads every method-bound pattern the console's mux is given from the
// package's source, so a route added by any page is walked without this list being kept.
func consoleRoutes(t *testing.T) []route {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(nodetest.RepoRoot(t), "console", "*.go"))
	require.NoError(t, err)
	var out []route
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		require.NoError(t, err)
		for _, m := range routePattern.FindAllStringSubmatch(string(src), -1) {
			out = append(out, route{m[1], strings.TrimSuffix(m[2], "{$}")})
		}
	}
	require.NotEmpty(t, out)
	return out
}

// walk is a server with something for every page to show: a pipeline with an execution
// waiting for an approval (its runs), a hosted repository, a user with a key.
type walk struct {
	*server
	exec, run, user, key string
}

func setupWalk(t *testing.T) *walk {
	s := setup(t)
	w := &walk{server: s, user: "reader"}
	w.exec = s.Create(t, nodetest.Pipeline("hello", nodetest.Stage("Approve", nodetest.Approval("OK"))))
	s.ApprovalToken(t, "hello", "Approve", "OK")
	runs := s.ActionRuns(t, "hello", w.exec)
	require.NotEmpty(t, runs)
	w.run = aws.ToString(runs[0].ActionExecutionId)
	root := sluice.Caller{Principal: "arn:aws:iam::000000000000:root", AccessKeyID: nodetest.KeyID}
	core := s.Node.API.Service
	_, err := core.CreateUser(s.ctx, root, w.user, "/")
	require.NoError(t, err)
	k, err := core.CreateAccessKey(s.ctx, root, w.user)
	require.NoError(t, err)
	w.key = k.ID
	return w
}

// fill puts this server's names and ids into a pattern's wildcards.
func (w *walk) fill(p string) string {
	values := map[string]string{"{artifact}": "Code"}
	switch {
	case strings.HasPrefix(p, "/pipelines/"):
		values["{name}"], values["{id}"] = "hello", w.exec
		if strings.Contains(p, "/actions/") {
			values["{id}"] = w.run
		}
	case strings.HasPrefix(p, "/repositories/"):
		values["{name}"] = nodetest.SrcRepo
	case strings.HasPrefix(p, "/iam/users/"):
		values["{name}"], values["{id}"] = w.user, w.key
	}
	return regexp.MustCompile(`\{[^}]+\}`).ReplaceAllStringFunc(p, func(v string) string {
		if s, ok := values[v]; ok {
			return url.PathEscape(s)
		}
		return "x"
	})
}

// state is what a change through the console would show: the audit trail's writes (every
// form records its change there) and the pipeline's executions, stages and version.
func (w *walk) state(t *testing.T) string {
	t.Helper()
	writes, _, err := w.Node.DB.LookupAuditEvents(w.ctx, sluice.AuditQuery{Key: sluice.AuditReadOnly, Value: "false", Page: sluice.Page{Limit: 1000}})
	require.NoError(t, err)
	var b strings.Builder
	for _, e := range writes {
		if e.EventName != "ConsoleLogin" {
			fmt.Fprintln(&b, e.EventName)
		}
	}
	for _, e := range w.Executions(t, "hello") {
		fmt.Fprintln(&b, aws.ToString(e.PipelineExecutionId), e.Status)
	}
	for _, st := range w.State(t, "hello").StageStates {
		fmt.Fprintln(&b, aws.ToString(st.StageName), st.InboundTransitionState != nil && st.InboundTransitionState.Enabled)
		for _, a := range st.ActionStates {
			if a.LatestExecution != nil {
				fmt.Fprintln(&b, aws.ToString(a.ActionName), a.LatestExecution.Status)
			}
		}
	}
	p, err := w.CP.GetPipeline(w.ctx, &codepipeline.GetPipelineInput{Name: aws.String("hello")})
	require.NoError(t, err)
	fmt.Fprintln(&b, aws.ToInt32(p.Pipeline.Version))
	return b.String()
}

// client is a signed-in browser without JavaScript: a cookie jar, redirects not followed.
func (w *walk) client(t *testing.T) *http.Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	c := &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.PostForm(w.URL+"/signin", url.Values{"access_key_id": {nodetest.KeyID}, "secret_access_key": {nodetest.Secret}})
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusSeeOther, resp.StatusCode)
	return c
}

// get fetches path and returns its status and (for a page, not a stream) its body.
func get(t *testing.T, c *http.Client, u string) (int, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	require.NoError(t, err)
	resp, err := c.Do(req)
	require.NoError(t, err, "GET %s", u)
	defer resp.Body.Close()
	if resp.Header.Get("Content-Type") == "text/event-stream" {
		return resp.StatusCode, "" // a stream: its headers are the answer
	}
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(body)
}

// TestNoGetChangesState walks every route of the console with GET, as the root user: no
// page changes anything, and a path only posted to answers no page of its own.
func TestNoGetChangesState(t *testing.T) {
	t.Parallel()
	w := setupWalk(t)
	c := w.client(t)
	routes := consoleRoutes(t)
	before := w.state(t)
	for _, r := range routes {
		status, body := get(t, c, w.URL+w.fill(r.path))
		require.Less(t, status, 500, "GET %s: %s", r.path, body)
		if r.method == "POST" && !slices.Contains(routes, route{"GET", r.path}) {
			require.Equal(t, http.StatusMethodNotAllowed, status, "GET %s, a path only posted to, answered %d", r.path, status)
		}
	}
	require.Equal(t, before, w.state(t), "a GET changed something")
}

// TestPostWithoutTokenRefused posts to every form route of the console without the CSRF
// token, with a wrong one, and without a session: each is refused and changes nothing.
// Sign-in is the one form without a token: there is no session yet to derive it from.
func TestPostWithoutTokenRefused(t *testing.T) {
	t.Parallel()
	w := setupWalk(t)
	c := w.client(t)
	anon := &http.Client{Timeout: 30 * time.Second}
	before := w.state(t)
	for _, r := range consoleRoutes(t) {
		if r.method != "POST" || r.path == "/signin" {
			continue
		}
		u := w.URL + w.fill(r.path)
		for _, form := range []url.Values{{}, {"csrf": {"forged"}}} {
			resp, err := c.PostForm(u, form)
			require.NoError(t, err)
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			require.Equal(t, http.StatusForbidden, resp.StatusCode, "POST %s with %v: %s", r.path, form, body)
			require.Contains(t, string(body), "security token is missing or stale", r.path)
		}
		resp, err := anon.PostForm(u, url.Values{})
		require.NoError(t, err)
		resp.Body.Close()
		require.Equal(t, http.StatusForbidden, resp.StatusCode, "POST %s without a session", r.path)
	}
	require.Equal(t, before, w.state(t), "a refused post changed something")
}
