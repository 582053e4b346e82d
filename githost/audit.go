package githost

import (
	"net/http"

	"sluice"
)

// AuditFunc is told of each request that passed authentication, once it is served: what it
// asked, the HTTP status it was answered with, and, for a pack pushed, the refs it changed
// (nil otherwise). It runs in the request's goroutine, so a slow one holds the request.
type AuditFunc func(r *http.Request, q Request, status int, updates []sluice.RefUpdate)

// statusWriter remembers the status a response was given.
type statusWriter struct {
	http.ResponseWriter
	status  int
	written bool
}

func (w *statusWriter) WriteHeader(code int) {
	if !w.written {
		w.status, w.written = code, true
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(p []byte) (int, error) {
	w.written = true
	return w.ResponseWriter.Write(p)
}

// Flush and Unwrap keep the writer's streaming (CGI output, the push's report).
func (w *statusWriter) Flush() { _ = http.NewResponseController(w.ResponseWriter).Flush() }

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
