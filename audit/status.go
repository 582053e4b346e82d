package audit

import "net/http"

// StatusWriter remembers the status a response was given, for the record of an HTTP call
// (git, webhooks) whose outcome is only its status. Status starts as 200.
type StatusWriter struct {
	http.ResponseWriter
	Status  int
	written bool
}

// NewStatusWriter wraps w.
func NewStatusWriter(w http.ResponseWriter) *StatusWriter {
	return &StatusWriter{ResponseWriter: w, Status: http.StatusOK}
}

func (w *StatusWriter) WriteHeader(code int) {
	if !w.written {
		w.Status, w.written = code, true
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *StatusWriter) Write(p []byte) (int, error) {
	w.written = true
	return w.ResponseWriter.Write(p)
}

// Flush and Unwrap keep the writer's streaming (CGI output, a push's report).
func (w *StatusWriter) Flush() { _ = http.NewResponseController(w.ResponseWriter).Flush() }

func (w *StatusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
