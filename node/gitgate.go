package node

import (
	"errors"
	"io"
	"net/http"

	"sluice/preauth"
)

// gitGate holds git's smart HTTP to the gate of requests not yet authenticated: its
// credentials are checked (HTTP basic, by githost) on the headers, so a request is verified
// once githost reads its body or answers anything but 401, and failed when it answers 401.
func (n *Node) gitGate(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		pass, err := n.gate.Enter(r.Context(), r.RemoteAddr)
		if err != nil {
			status := http.StatusServiceUnavailable
			if errors.Is(err, preauth.ErrThrottled) {
				status = http.StatusTooManyRequests
			}
			http.Error(w, err.Error(), status)
			return
		}
		defer pass.Done()
		r.Body = &verifyOnRead{ReadCloser: r.Body, pass: pass}
		h.ServeHTTP(&verifyOnStatus{ResponseWriter: w, pass: pass}, r)
	})
}

type verifyOnRead struct {
	io.ReadCloser
	pass *preauth.Pass
}

func (b *verifyOnRead) Read(p []byte) (int, error) {
	b.pass.Verified()
	return b.ReadCloser.Read(p)
}

type verifyOnStatus struct {
	http.ResponseWriter
	pass *preauth.Pass
}

func (w *verifyOnStatus) WriteHeader(status int) {
	if status == http.StatusUnauthorized {
		w.pass.Failed()
	} else {
		w.pass.Verified()
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *verifyOnStatus) Write(p []byte) (int, error) {
	w.pass.Verified() // an implicit 200
	return w.ResponseWriter.Write(p)
}

// Unwrap lets http.ResponseController reach the connection (flushes, deadlines).
func (w *verifyOnStatus) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Flush keeps the writer an http.Flusher for handlers that ask by type.
func (w *verifyOnStatus) Flush() { _ = http.NewResponseController(w.ResponseWriter).Flush() }
