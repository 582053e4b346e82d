// Package hookserve serves the webhook endpoints over HTTP: git hosts' deliveries to a
// connection's URL (Deliveries) and requests to V1 webhooks (V1). It reads requests within
// bounds and writes answers; what a request starts is package trigger's decision. Neither
// endpoint takes SigV4: each request's own authentication is checked.
package hookserve

import (
	"encoding/json"
	"io"
	"net/http"
	"time"

	"sluice/trigger"
)

// bodyDeadline bounds reading a request: a sender trickling bytes must not hold a
// connection and 25 MB of memory for ever.
const bodyDeadline = time.Minute

// readBody reads a request's body, at most trigger.MaxWebhookBody bytes within bodyDeadline.
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(bodyDeadline))
	return io.ReadAll(http.MaxBytesReader(w, r.Body, trigger.MaxWebhookBody))
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
