// Package hookserve serves the webhook endpoints over HTTP: git hosts' deliveries to a
// connection's URL (Deliveries) and requests to V1 webhooks (V1). It reads requests within
// bounds and writes answers; what a request starts is package trigger's decision. Neither
// endpoint takes SigV4: each request's own authentication is checked.
package hookserve

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"sluice/preauth"
	"sluice/trigger"
)

// Limits bound what a request costs before its sender is verified; the zero value has no
// gate, spools to os.TempDir() and gives a body DefaultBodyTimeout.
type Limits struct {
	Gate        *preauth.Gate // requests not yet authenticated, failures per address
	SpoolDir    string        // where bodies wait for their signature to be checked
	BodyTimeout time.Duration // how long a body may take to arrive
}

// DefaultBodyTimeout is a body's deadline when Limits.BodyTimeout is 0: a sender trickling
// bytes must not hold a connection for ever.
const DefaultBodyTimeout = time.Minute

// readBody reads a request's body, at most trigger.MaxWebhookBody bytes within the deadline
// enter set, through check (the signature's HMAC), into a spool: at most preauth.InMemory
// bytes of it are in memory until the signature is verified.
func (l Limits) readBody(w http.ResponseWriter, r *http.Request, check io.Writer) (*preauth.Body, error) {
	if r.ContentLength > trigger.MaxWebhookBody {
		return nil, preauth.ErrTooLarge // the connection is closed: its body is not read
	}
	body, err := preauth.ReadBody(r.Body, trigger.MaxWebhookBody, l.SpoolDir, check)
	if err == nil { // lifted for the work that follows
		_ = http.NewResponseController(w).SetReadDeadline(time.Time{})
	}
	return body, err
}

// enter admits a request to authentication, or writes the gate's refusal (429 for an
// address that failed too often, 503 while too many are being authenticated).
// The body's deadline starts here, and stays unless the body is read: a refused request's
// unread body is not waited for.
func (l Limits) enter(w http.ResponseWriter, r *http.Request) (*preauth.Pass, bool) {
	timeout := l.BodyTimeout
	if timeout <= 0 {
		timeout = DefaultBodyTimeout
	}
	_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(timeout))
	pass, err := l.Gate.Enter(r.Context(), r.RemoteAddr)
	switch {
	case errors.Is(err, preauth.ErrThrottled):
		writeJSON(w, http.StatusTooManyRequests, answer{Message: err.Error()})
	case err != nil:
		writeJSON(w, http.StatusServiceUnavailable, answer{Message: err.Error()})
	}
	return pass, err == nil
}

// unread is the refusal of a body that could not be read whole.
func unread(err error) (trigger.Refusal, string) {
	if errors.Is(err, preauth.ErrTooLarge) {
		return trigger.RefusedTooLarge, fmt.Sprintf("the request is larger than %d bytes", trigger.MaxWebhookBody)
	}
	return trigger.RefusedMalformed, "the request could not be read: " + err.Error()
}

// status is the HTTP status of an answer: 200 for a request taken, whatever it started.
func status(why trigger.Refusal) int {
	switch why {
	case "":
		return http.StatusOK
	case trigger.RefusedUnknown:
		return http.StatusNotFound
	case trigger.RefusedForbidden:
		return http.StatusForbidden
	case trigger.RefusedMalformed:
		return http.StatusBadRequest
	case trigger.RefusedTooLarge:
		return http.StatusRequestEntityTooLarge
	case trigger.RefusedConflict:
		return http.StatusConflict
	}
	return http.StatusInternalServerError
}

func writeJSON(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body) // the caller may have gone; nothing to do about it
}
