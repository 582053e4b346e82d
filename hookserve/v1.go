package hookserve

import (
	"context"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"sluice"
	"sluice/trigger"
)

// V1Path is the route of V1 webhooks (PutWebhook): AWS's URL shape,
// <server>/trigger?t=<token>&v=1.
const V1Path = "POST /trigger"

// V1URL is the URL of the V1 webhook holding token on a server reached at base.
func V1URL(base, token string) string {
	return strings.TrimSuffix(base, "/") + "/trigger?t=" + url.QueryEscape(token) + "&v=1"
}

// V1 serves V1 webhooks.
type V1 struct {
	Trigger *trigger.V1Webhooks
}

// v1Answer is the JSON body of every response.
type v1Answer struct {
	Message     string `json:"message"`
	ExecutionID string `json:"pipelineExecutionId,omitempty"`
}

func (h *V1) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// A start the caller stops waiting for is still made whole.
	rc := h.serve(context.WithoutCancel(r.Context()), w, r)
	a := v1Answer{Message: rc.Message}
	if len(rc.Executions) > 0 {
		a.ExecutionID = rc.Executions[0].ExecutionID
	}
	writeJSON(w, status(rc.Refusal), a)
}

func (h *V1) serve(ctx context.Context, w http.ResponseWriter, r *http.Request) trigger.Receipt {
	hook, rc := h.Trigger.Find(ctx, r.URL.Query().Get("t"))
	if hook == nil {
		return rc
	}
	if hook.Authentication == sluice.WebhookIP {
		// Refused by address before a byte of the body is read.
		if rc, ok := h.Trigger.Authenticate(hook, r.RemoteAddr, r.Header, nil); !ok {
			return rc
		}
	}
	body, err := readBody(w, r)
	if err != nil {
		return trigger.Receipt{Refusal: trigger.RefusedMalformed, Message: "the request could not be read: " + err.Error()}
	}
	if rc, ok := h.Trigger.Authenticate(hook, r.RemoteAddr, r.Header, body); !ok {
		return rc
	}
	return h.Trigger.Trigger(ctx, hook, payload(r.Header, body))
}

// payload is the JSON document of a request: the body, or the payload field of a form
// (GitHub's application/x-www-form-urlencoded content type).
func payload(header http.Header, body []byte) []byte {
	mt, _, _ := mime.ParseMediaType(header.Get("Content-Type"))
	if mt != "application/x-www-form-urlencoded" {
		return body
	}
	form, err := url.ParseQuery(string(body))
	if err != nil || !form.Has("payload") {
		return body
	}
	return []byte(form.Get("payload"))
}
