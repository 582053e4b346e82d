// Package console is Sluice's web console: server-rendered pages (html/template) and a little
// JavaScript for live updates, embedded in the binary. It adapts the core (package service)
// to the browser as package api adapts it to AWS's wire: every page and form calls the same
// use cases as the API, as the signed-in user, so the same policies decide what it shows and
// does. Reading is GET; every change is a POST of a form with the session's CSRF token; no
// GET changes anything.
package console

import (
	"context"
	"embed"
	"io/fs"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"sluice"
	"sluice/service"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Console serves the console's pages. Service and Log must be set.
type Console struct {
	Service *service.Service
	Log     *slog.Logger
	// SessionTTL is how long a sign-in lasts (0: service.DefaultSessionTTL).
	SessionTTL time.Duration
	// TLS marks cookies Secure: set when the server is served over HTTPS.
	TLS bool
	// Live carries changes to the pages that follow them (nil: pages do not update live).
	Live *Hub
	// Artifacts serves artifact downloads (nil: none offered).
	Artifacts sluice.ArtifactStore
	// Logs reads action logs (nil: none shown).
	Logs LogReader
	// URL is the server's base URL, for clone URLs and links (nil: the request's host).
	URL func() string

	pages func() *pages // parsed at the first page, not in an idle server's heap
}

// Handler returns the console's routes. Mount it at "/" after the API's own routes: it
// answers every path they leave, with a page or a 404 page.
func (c *Console) Handler() http.Handler {
	c.pages = sync.OnceValue(mustParse)
	mux := http.NewServeMux()
	static, _ := fs.Sub(staticFS, "static") // the embedded directory exists
	mux.Handle("GET /static/", http.StripPrefix("/static/", staticFiles(static)))
	mux.HandleFunc("GET /signin", c.signInPage)
	mux.HandleFunc("POST /signin", c.signIn)
	mux.Handle("POST /signout", c.form(c.signOut))
	mux.Handle("GET /{$}", c.page(c.pipelinesPage))
	mux.Handle("GET /live", c.page(c.live))
	c.routes(mux)
	mux.Handle("/", c.page(func(w http.ResponseWriter, r *http.Request, s *session) {
		if postOnly(mux, r) {
			w.Header().Set("Allow", http.MethodPost)
			c.errorPage(w, r, s, http.StatusMethodNotAllowed, "This address takes a form's post, not a visit: go back to the page that has the form.")
			return
		}
		c.notFound(w, r, s)
	}))
	return securityHeaders(mux)
}

// postOnly reports whether r's path is a form's (a POST route) that r did not post to. The
// mux would answer 405 itself were it not for the catch-all page, which matches any method.
func postOnly(mux *http.ServeMux, r *http.Request) bool {
	if r.Method == http.MethodPost {
		return false
	}
	post := r.Clone(r.Context())
	post.Method = http.MethodPost
	_, pattern := mux.Handler(post)
	return pattern != "/" && pattern != ""
}

// routes mounts the pages of the other files of the package, one function per area.
func (c *Console) routes(mux *http.ServeMux) {
	c.pipelineRoutes(mux)   // pipeline.go: a pipeline's view and its controls; badges
	c.executionRoutes(mux)  // executions.go: history, an execution, timeline, logs
	c.definitionRoutes(mux) // definition.go: view, edit, versions, create, delete
	c.houseRoutes(mux)      // house.go: repositories, connections, action types, workers, IAM, audit
}

// securityHeaders sets what every answer of the console carries: nothing is loaded from
// outside the server, no page may be framed, and pages are never cached.
func securityHeaders(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "+
			"connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("Referrer-Policy", "same-origin")
		hd.Set("X-Frame-Options", "DENY")
		h.ServeHTTP(w, r)
	})
}

// staticFiles serves the embedded assets; they change only with the binary.
func staticFiles(root fs.FS) http.Handler {
	h := http.FileServerFS(root)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		h.ServeHTTP(w, r)
	})
}

// LogReader reads action logs (actionlog.FileSink is one). Safe for concurrent use.
type LogReader interface {
	// ReadLog reads id's log from offset into p (at least 64 bytes); see actionlog.FileSink.
	ReadLog(ctx context.Context, id string, offset int64, p []byte) (n int, next int64, err error)
	// Changed returns a channel closed at the next change of id's log, or the end of its run.
	Changed(id string) <-chan struct{}
}

// caller is the request's origin as a caller, before the session names who.
func caller(r *http.Request) sluice.Caller {
	return sluice.Caller{SourceIP: remoteIP(r.RemoteAddr), UserAgent: r.UserAgent()}
}

// background is a context for work that must finish even if the browser goes away.
func background(r *http.Request) context.Context { return context.WithoutCancel(r.Context()) }
