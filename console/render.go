package console

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"

	"sluice"
)

// pages holds each page's template: the layout with the page's own blocks.
type pages struct {
	byName map[string]*template.Template
}

// mustParse parses the embedded templates; they are part of the binary, so an error is a
// programming error a test catches.
func mustParse() *pages {
	p := &pages{byName: map[string]*template.Template{}}
	shared := template.Must(template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/partials.html"))
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		panic(err)
	}
	for _, n := range names {
		base := strings.TrimSuffix(path.Base(n), ".html")
		if base == "layout" || base == "partials" {
			continue
		}
		p.byName[base] = template.Must(template.Must(shared.Clone()).ParseFS(templateFS, n))
	}
	return p
}

// view is what every page's template gets: the page's own data in Data.
type view struct {
	Title   string
	Session *session
	Nav     string // the section of the navigation to mark
	Data    any
	Now     time.Time
}

// render writes page name with data. A page's template defines "title", "nav" (optional)
// and "content"; "content" alone is written when the request is a live refresh
// (X-Sluice-Fragment), which the script swaps into the page.
func (c *Console) render(w http.ResponseWriter, r *http.Request, s *session, status int, name string, data any) {
	t, ok := c.pages().byName[name]
	if !ok { // a handler naming a page that has no template: a bug, answered like any other
		c.Log.Error("console: render a page", "page", name, "err", "no such template")
		http.Error(w, "The page could not be drawn; the server's log says why.", http.StatusInternalServerError)
		return
	}
	v := view{Session: s, Data: data, Now: c.Service.Now(), Nav: section(r.URL.Path)}
	root := "layout.html"
	if r.Header.Get("X-Sluice-Fragment") != "" {
		root = "content"
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, root, v); err != nil {
		c.Log.Error("console: render a page", "page", name, "err", err)
		http.Error(w, "The page could not be drawn; the server's log says why.", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}

// section is the part of the navigation a path belongs to: its first segment, and
// "pipelines" for the home page and everything under /pipelines.
func section(p string) string {
	first, _, _ := strings.Cut(strings.TrimPrefix(p, "/"), "/")
	if first == "" {
		return "pipelines"
	}
	return first
}

// errorPage answers with a page that says what went wrong and what to do.
func (c *Console) errorPage(w http.ResponseWriter, r *http.Request, s *session, status int, msg string) {
	c.render(w, r, s, status, "error", errorData{Status: status, Message: msg})
}

type errorData struct {
	Status  int
	Message string
}

func (c *Console) notFound(w http.ResponseWriter, r *http.Request, s *session) {
	c.errorPage(w, r, s, http.StatusNotFound, "There is no page at "+r.URL.Path+".")
}

// failed answers a core error as a page: its message when it is one of the core's, a
// generic one (and a log line) otherwise.
func (c *Console) failed(w http.ResponseWriter, r *http.Request, s *session, err error) {
	status := http.StatusInternalServerError
	switch sluice.ErrorCode(err) {
	case sluice.ENotFound:
		status = http.StatusNotFound
	case sluice.EAccessDenied:
		status = http.StatusForbidden
	case sluice.EInvalid, sluice.EConflict, sluice.EAlreadyExists, sluice.ELimit, sluice.EUnsupported:
		status = http.StatusBadRequest
	}
	if status == http.StatusInternalServerError {
		c.Log.Error("console: a call failed", "path", r.URL.Path, "err", err)
	}
	c.errorPage(w, r, s, status, errorText(err))
}

// errorText is what a person is told of err: the core's message, never internal detail.
func errorText(err error) string {
	var se *sluice.Error
	if e, ok := err.(*sluice.Error); ok {
		se = e
	}
	if se == nil || sluice.ErrorCode(err) == "" {
		return "Something went wrong on the server; its log has the details."
	}
	return se.Message
}

// funcs are the templates' helpers.
var funcs = template.FuncMap{
	"ago":      ago,
	"exact":    func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
	"duration": duration,
	"status":   statusClass,
	"short":    func(s string) string { return shorten(s, 8) },
	"trunc":    shorten,
	"pathEsc":  pathEscape,
	"join":     strings.Join,
}

// ago is a time relative to now, for people ("3 min ago"); pages show the exact time on
// hover, and the script rewrites both into the browser's time zone.
func ago(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	d := time.Since(t)
	switch {
	case d < 0:
		return "just now"
	case d < time.Minute:
		return fmt.Sprintf("%ds ago", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%d min ago", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%d h ago", int(d.Hours()))
	}
	return fmt.Sprintf("%d days ago", int(d.Hours()/24))
}

// duration is how long from start to end (now when end is zero), to the second.
func duration(start, end time.Time) string {
	if start.IsZero() {
		return ""
	}
	if end.IsZero() || end.Before(start) {
		end = time.Now()
	}
	d := end.Sub(start).Round(time.Second)
	if d < time.Minute {
		return fmt.Sprintf("%ds", int(d.Seconds()))
	}
	if d < time.Hour {
		return fmt.Sprintf("%dm %02ds", int(d.Minutes()), int(d.Seconds())%60)
	}
	return fmt.Sprintf("%dh %02dm", int(d.Hours()), int(d.Minutes())%60)
}

// statusClass is the CSS class of a status's colour.
func statusClass(s any) string {
	switch strings.ToLower(fmt.Sprint(s)) {
	case "succeeded":
		return "ok"
	case "failed", "timedout", "errored":
		return "bad"
	case "inprogress", "stopping", "dispatched", "queued":
		return "run"
	case "stopped", "cancelled", "abandoned", "superseded":
		return "off"
	}
	return "none"
}

func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n])
}

// pathEscape escapes one path segment (pipeline names may hold characters paths reserve).
func pathEscape(s string) string { return url.PathEscape(s) }
