package hookserve

import (
	"context"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"sluice/preauth"
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
	Limits
}

// v1Answer is the JSON body of every response.
type v1Answer struct {
	Message     string `json:"message"`
	ExecutionID string `json:"pipelineExecutionId,omitempty"`
}

func (h *V1) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	pass, ok := h.enter(w, r)
	if !ok {
		return
	}
	defer pass.Done()
	// A start the caller stops waiting for is still made whole.
	rc := h.serve(context.WithoutCancel(r.Context()), w, r, pass)
	a := v1Answer{Message: rc.Message}
	if len(rc.Executions) > 0 {
		a.ExecutionID = rc.Executions[0].ExecutionID
	}
	writeJSON(w, status(rc.Refusal), a)
}

// serve refuses by the token, the address and the signature's headers before a byte of the
// body is read, and by the signature once it is read (into a spool).
func (h *V1) serve(ctx context.Context, w http.ResponseWriter, r *http.Request, pass *preauth.Pass) trigger.Receipt {
	hook, rc := h.Trigger.Find(ctx, r.URL.Query().Get("t"))
	if hook == nil {
		pass.Failed()
		return rc
	}
	check, rc := h.Trigger.Check(hook, r.RemoteAddr, r.Header)
	if check == nil {
		pass.Failed()
		return rc
	}
	spooled, err := h.readBody(w, r, check)
	if err != nil {
		why, msg := unread(err)
		return trigger.Receipt{Refusal: why, Message: msg}
	}
	defer spooled.Close()
	if rc, ok := check.Verified(); !ok {
		pass.Failed()
		return rc
	}
	pass.Verified()
	body, err := spooled.Bytes()
	if err != nil {
		return trigger.Receipt{Refusal: trigger.RefusedMalformed, Message: err.Error()}
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
