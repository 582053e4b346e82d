package githost

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/cgi"
	"strings"
	"time"

	"sluice"
	"sluice/audit"
)

// PushFunc is told which refs a push changed. It runs after the push's report is written,
// in its own goroutine, in push order for each repository, with the request's context
// values but not its cancellation. The lines it returns (such as the executions it started)
// are shown to the pusher, as git shows a hook's output ("remote: ..."), when it returns
// within pushReportWait and the client is still there; nil shows nothing.
type PushFunc func(ctx context.Context, repo string, updates []sluice.RefUpdate) []string

// Auth decides whether a request of q may be served: nil serves it; ErrUnauthenticated
// answers 401 with a Basic challenge, which makes git send the credentials it has or ask
// for them; a *sluice.Error of code EAccessDenied answers 403 with its message; any other
// error answers 500.
type Auth func(r *http.Request, q Request) error

// ErrUnauthenticated is Auth's answer to a request without valid credentials.
var ErrUnauthenticated = errors.New("githost: no valid credentials")

// Handler serves the repositories over git's smart HTTP protocol. Mount it with the prefix
// stripped: mux.Handle(PathPrefix, http.StripPrefix(PathPrefix, h.Handler(auth, onPush))),
// so that it sees NAME/info/refs, NAME/git-upload-pack and NAME/git-receive-pack (see
// ParseRequest). auth is asked about every request before the repository is looked up; a
// nil auth refuses everyone, so a wiring mistake can never serve repositories openly (pass
// a func returning nil for that). onPush may be nil.
func (h *Host) Handler(auth Auth, onPush PushFunc) http.Handler {
	if auth == nil {
		auth = func(*http.Request, Request) error { return ErrUnauthenticated }
	}
	return &handler{host: h, auth: auth, onPush: onPush, backend: h.backend()}
}

type handler struct {
	host    *Host
	auth    Auth
	onPush  PushFunc
	backend http.Handler
}

func (s *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	q, ok := ParseRequest(r)
	if !ok {
		http.NotFound(w, r)
		return
	}
	sw := audit.NewStatusWriter(w)
	var updates []sluice.RefUpdate
	if s.host.audit != nil {
		defer func() {
			if sw.Status != http.StatusUnauthorized { // no credentials name nobody to record
				s.host.audit(r, q, sw.Status, updates)
			}
		}()
	}
	if err := s.auth(r, q); err != nil {
		s.refuse(sw, r, q, err)
		return
	}
	// After auth, so that callers without access cannot probe which names exist.
	if !s.host.Exists(q.Repo) {
		http.NotFound(sw, r)
		return
	}
	br := backendRequest(r, q.Repo)
	if r.Method == http.MethodPost && q.Push() {
		updates = s.servePush(sw, br, q.Repo)
		return
	}
	s.backend.ServeHTTP(sw, br)
}

// refuse answers a request auth did not admit.
func (s *handler) refuse(w http.ResponseWriter, r *http.Request, q Request, err error) {
	switch {
	case errors.Is(err, ErrUnauthenticated):
		w.Header().Set("WWW-Authenticate", `Basic realm="sluice"`)
		http.Error(w, "authentication required", http.StatusUnauthorized)
	case sluice.IsCode(err, sluice.EAccessDenied):
		http.Error(w, err.Error(), http.StatusForbidden)
	default:
		s.host.log.Error("githost: authorize", "repo", q.Repo, "service", q.Service, "remote", r.RemoteAddr, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
	}
}

// servePush runs receive-pack between two snapshots of the repository's refs. The diff is
// what changed, whatever the response said: refs that moved have moved, even when the
// client went away before reading the report. The response's end waits for onPush's lines
// (see PushFunc), outside the repository's lock.
func (s *handler) servePush(w http.ResponseWriter, r *http.Request, repo string) []sluice.RefUpdate {
	tail := &sidebandTail{ResponseWriter: w}
	updates, report := s.receive(tail, r, repo)
	var lines []string
	if report != nil && tail.multiplexed() {
		select {
		case lines = <-report:
		case <-time.After(pushReportWait):
		case <-r.Context().Done():
		}
	}
	tail.finish(lines)
	return updates
}

// receive runs receive-pack under the repository's lock and queues the notification of what
// changed; report gives onPush's lines once it has run.
func (s *handler) receive(w *sidebandTail, r *http.Request, repo string) ([]sluice.RefUpdate, <-chan []string) {
	// Counted from the start, so Wait also covers a push whose client has its answer but
	// whose notification is not queued yet.
	s.host.notify.wg.Add(1)
	defer s.host.notify.wg.Done()
	// The push may complete after the client hangs up; its notification must not be lost.
	ctx := context.WithoutCancel(r.Context())
	unlock, err := s.host.lock(ctx, repo)
	if err != nil {
		s.host.log.Error("githost: lock before push", "repo", repo, "err", err)
		http.Error(w, "the repository cannot be locked for the push; try again", http.StatusServiceUnavailable)
		return nil, nil
	}
	defer unlock()
	before, err := s.host.refs(ctx, repo)
	if err != nil {
		s.host.log.Error("githost: read refs before push", "repo", repo, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return nil, nil
	}
	s.backend.ServeHTTP(w, r)
	after, err := s.host.refs(ctx, repo)
	if err != nil {
		s.host.log.Error("githost: read refs after push", "repo", repo, "err", err)
		return nil, nil
	}
	updates := diffRefs(before, after)
	if len(updates) == 0 || s.onPush == nil {
		return updates, nil
	}
	// Put the whole report on the wire before onPush can start.
	w.Flush()
	return updates, s.host.notify.enqueue(ctx, repo, updates, s.onPush)
}

// backendRequest is r as http-backend must see it: PATH_INFO /NAME.git/..., no credentials
// in its environment, and no chunked body (net/http/cgi refuses those; git sends them for
// pushes over http.postBuffer, and http-backend reads such a body to its end).
func backendRequest(r *http.Request, repo string) *http.Request {
	br := r.Clone(r.Context())
	_, endpoint, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
	br.URL.Path, br.URL.RawPath = "/"+repo+".git/"+endpoint, ""
	br.Header.Del("Authorization")
	if len(br.TransferEncoding) > 0 {
		br.TransferEncoding, br.ContentLength = nil, -1
	}
	return br
}

// backend is git http-backend as a CGI program serving every repository under root.
func (h *Host) backend() http.Handler {
	env := append(append([]string(nil), h.env...), "GIT_PROJECT_ROOT="+h.root, "GIT_HTTP_EXPORT_ALL=1")
	return &cgi.Handler{
		Path:   h.git,
		Args:   []string{"http-backend"},
		Dir:    h.root,
		Env:    env,
		Logger: slog.NewLogLogger(h.log.Handler(), slog.LevelError),
		Stderr: stderrLog{h.log},
	}
}

// stderrLog logs what http-backend and the git commands under it print on standard error.
type stderrLog struct{ log *slog.Logger }

func (l stderrLog) Write(p []byte) (int, error) {
	l.log.Warn("githost: git http-backend", "stderr", strings.TrimSpace(string(p)))
	return len(p), nil
}
