package trigger

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"

	"sluice"
	"sluice/engine"
	"sluice/hostevent"
	"sluice/trigger/filter"
)

// V1WebhookPath is the route of V1 webhooks (PutWebhook): AWS's URL shape,
// <server>/trigger?t=<token>&v=1. It takes no SigV4: the webhook's own authentication is
// checked.
const V1WebhookPath = "POST /trigger"

// V1WebhookURL is the URL of the V1 webhook holding token on a server reached at base.
func V1WebhookURL(base, token string) string {
	return strings.TrimSuffix(base, "/") + "/trigger?t=" + url.QueryEscape(token) + "&v=1"
}

// V1WebhookStore is what the endpoint reads and writes.
type V1WebhookStore interface {
	WebhookByToken(ctx context.Context, token string) (*sluice.Webhook, error)
	GetPipeline(ctx context.Context, name string, version int) (*sluice.Pipeline, error)
	SetWebhookOutcome(ctx context.Context, w *sluice.Webhook) error
}

// V1Webhooks serves V1 webhooks: a POST that passes the webhook's authentication and every
// filter starts its pipeline (trigger Webhook, detail the webhook ARN) within the request,
// so the caller's answer names the execution.
type V1Webhooks struct {
	Engine *engine.Engine
	Store  V1WebhookStore
	Clock  sluice.Clock
	Log    *slog.Logger
}

// v1Answer is the JSON body of every response.
type v1Answer struct {
	Message     string `json:"message"`
	ExecutionID string `json:"pipelineExecutionId,omitempty"`
}

func (h *V1Webhooks) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// A start the caller stops waiting for is still made whole.
	ctx := context.WithoutCancel(r.Context())
	hook, err := h.Store.WebhookByToken(ctx, r.URL.Query().Get("t"))
	if err != nil {
		status, msg := http.StatusNotFound, "no webhook has this URL (a deleted and re-created webhook has a new one)"
		if !sluice.IsCode(err, sluice.ENotFound) {
			h.Log.Error("find webhook", "err", err)
			status, msg = http.StatusInternalServerError, "the webhook could not be read; see the server log"
		}
		writeV1(w, status, v1Answer{Message: msg})
		return
	}
	if hook.Authentication == sluice.WebhookIP {
		// Refused by address before a byte of the body is read.
		if err := authenticate(hook, r, nil); err != nil {
			h.Log.Warn("refused webhook request", "webhook", hook.Name, "remote", r.RemoteAddr, "reason", err.Error())
			writeV1(w, http.StatusForbidden, v1Answer{Message: err.Error()})
			return
		}
	}
	body, err := readBody(w, r)
	if err != nil {
		writeV1(w, http.StatusBadRequest, v1Answer{Message: "the request could not be read: " + err.Error()})
		return
	}
	if err := authenticate(hook, r, body); err != nil {
		h.Log.Warn("refused webhook request", "webhook", hook.Name, "remote", r.RemoteAddr, "reason", err.Error())
		writeV1(w, http.StatusForbidden, v1Answer{Message: err.Error()})
		return
	}
	status, a := h.trigger(ctx, hook, payload(r.Header, body))
	writeV1(w, status, a)
}

// authenticate applies the webhook's authentication type; the error is safe to answer.
func authenticate(hook *sluice.Webhook, r *http.Request, body []byte) error {
	switch hook.Authentication {
	case sluice.WebhookGitHubHMAC:
		return hostevent.Verify(hostevent.ProviderGitHub, r.Header, body, hook.SecretToken)
	case sluice.WebhookIP:
		return allowedIP(hook.AllowedIPRange, r.RemoteAddr)
	case sluice.WebhookUnauthenticated:
		return nil
	}
	return fmt.Errorf("webhook %s has an unknown authentication type %q", hook.Name, hook.Authentication)
}

// allowedIP checks the connection's address (never X-Forwarded-For, which any caller can
// write) against the webhook's CIDR block.
func allowedIP(cidr, remote string) error {
	prefix, err := netip.ParsePrefix(cidr)
	if err != nil {
		return fmt.Errorf("the webhook's AllowedIPRange %q is not a CIDR block", cidr)
	}
	host, _, err := net.SplitHostPort(remote)
	if err != nil {
		host = remote
	}
	addr, err := netip.ParseAddr(host)
	if err != nil || !prefix.Contains(addr.Unmap()) {
		return fmt.Errorf("the request's address %s is not in the webhook's AllowedIPRange %s", host, cidr)
	}
	return nil
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

// trigger evaluates the filters on an authenticated request and starts the pipeline when
// they all match. Executions take the source's branch head when they run, as manual starts
// do: the request's commit is not pinned (docs/compatibility.md says why).
func (h *V1Webhooks) trigger(ctx context.Context, hook *sluice.Webhook, doc []byte) (int, v1Answer) {
	config, err := h.targetConfig(ctx, hook)
	if err != nil {
		return h.failed(ctx, hook, err)
	}
	rules, err := filter.CompileWebhookRules(hook.Filters)
	if err != nil { // PutWebhook compiled them; only a stored row from elsewhere gets here
		return h.failed(ctx, hook, err)
	}
	why, err := rules.Match(doc, config)
	if err != nil {
		return http.StatusBadRequest, v1Answer{Message: err.Error()}
	}
	if why != "" {
		return http.StatusOK, v1Answer{Message: "not started: " + why}
	}
	id, err := h.Engine.Start(ctx, engine.StartParams{Pipeline: hook.TargetPipeline,
		Trigger: sluice.Trigger{Type: sluice.TriggerWebhook, Detail: hook.ARN}})
	if err != nil {
		return h.failed(ctx, hook, err)
	}
	h.record(ctx, &sluice.Webhook{Name: hook.Name, LastTriggered: h.Clock.Now()})
	h.Log.Info("webhook started pipeline", "webhook", hook.Name, "pipeline", hook.TargetPipeline, "execution", id)
	return http.StatusOK, v1Answer{Message: "started pipeline " + hook.TargetPipeline, ExecutionID: id}
}

// targetConfig is the configuration of the webhook's target action in the pipeline's
// current version.
func (h *V1Webhooks) targetConfig(ctx context.Context, hook *sluice.Webhook) (map[string]string, error) {
	p, err := h.Store.GetPipeline(ctx, hook.TargetPipeline, 0)
	if err != nil {
		return nil, err
	}
	if st := p.Declaration.Stages; len(st) > 0 {
		for _, a := range st[0].Actions {
			if a.Name == hook.TargetAction {
				return a.Configuration, nil
			}
		}
	}
	return nil, sluice.Errorf(sluice.ENotFound, "Action", "Pipeline %s has no source action %s any more.", hook.TargetPipeline, hook.TargetAction)
}

// failed records and answers a matching request that started nothing.
func (h *V1Webhooks) failed(ctx context.Context, hook *sluice.Webhook, err error) (int, v1Answer) {
	var se *sluice.Error
	if !errors.As(err, &se) || se.Code == sluice.EInternal {
		h.Log.Error("webhook start", "webhook", hook.Name, "err", err)
		h.record(ctx, &sluice.Webhook{Name: hook.Name, ErrorCode: "InternalError", ErrorMessage: "the pipeline could not be started; see the server log"})
		return http.StatusInternalServerError, v1Answer{Message: "the pipeline could not be started; see the server log"}
	}
	code, status, msg := "StartFailed", http.StatusConflict, se.Message
	if se.Code == sluice.ENotFound {
		code, status = se.Resource+"NotFound", http.StatusNotFound
	}
	if se.Resource == "Pipeline" && se.Code == sluice.ENotFound {
		msg = "Pipeline " + hook.TargetPipeline + " does not exist."
	}
	h.record(ctx, &sluice.Webhook{Name: hook.Name, ErrorCode: code, ErrorMessage: msg})
	return status, v1Answer{Message: "not started: " + msg}
}

func (h *V1Webhooks) record(ctx context.Context, w *sluice.Webhook) {
	if err := h.Store.SetWebhookOutcome(ctx, w); err != nil && !sluice.IsCode(err, sluice.ENotFound) {
		h.Log.Error("record webhook outcome", "webhook", w.Name, "err", err)
	}
}

func writeV1(w http.ResponseWriter, status int, a v1Answer) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(a) // the caller may have gone; nothing to do about it
}
