package trigger

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"

	"sluice"
	"sluice/engine"
	"sluice/hostevent"
	"sluice/trigger/filter"
)

// V1WebhookStore is what V1 webhooks read and write.
type V1WebhookStore interface {
	WebhookByToken(ctx context.Context, token string) (*sluice.Webhook, error)
	GetPipeline(ctx context.Context, name string, version int) (*sluice.Pipeline, error)
	SetWebhookOutcome(ctx context.Context, w *sluice.Webhook) error
}

// V1Webhooks decides on the requests to V1 webhooks (PutWebhook): a request that passes the
// webhook's authentication and every filter starts its pipeline (trigger Webhook, detail the
// webhook ARN) at once, so the caller's answer names the execution. The HTTP side finds the
// webhook, authenticates (by address before reading the body), and asks Trigger.
type V1Webhooks struct {
	Engine *engine.Engine
	Store  V1WebhookStore
	Clock  sluice.Clock
	Log    *slog.Logger
}

// Find returns the webhook whose URL holds token, or the answer when there is none.
func (h *V1Webhooks) Find(ctx context.Context, token string) (*sluice.Webhook, Receipt) {
	hook, err := h.Store.WebhookByToken(ctx, token)
	switch {
	case sluice.IsCode(err, sluice.ENotFound):
		return nil, Receipt{Refusal: RefusedUnknown, Message: "no webhook has this URL (a deleted and re-created webhook has a new one)"}
	case err != nil:
		h.Log.Error("find webhook", "err", err)
		return nil, Receipt{Refusal: RefusedInternal, Message: "the webhook could not be read; see the server log"}
	}
	return hook, Receipt{}
}

// V1Check is a request to a V1 webhook being authenticated: write its body to it as it is
// read, then ask Verified. It holds the signature's HMAC, never the body.
type V1Check struct {
	h      *V1Webhooks
	hook   *sluice.Webhook
	remote string
	sig    *hostevent.Verifier // GITHUB_HMAC only
}

// Check applies the webhook's authentication type to what is known before the body is
// read, a request from remote (its connection's address) with header: the address, and for
// GITHUB_HMAC a present, well-formed signature. nil and the refusal (logged) when it fails.
func (h *V1Webhooks) Check(hook *sluice.Webhook, remote string, header http.Header) (*V1Check, Receipt) {
	c := &V1Check{h: h, hook: hook, remote: remote}
	var err error
	switch hook.Authentication {
	case sluice.WebhookGitHubHMAC:
		c.sig, err = hostevent.NewVerifier(hostevent.ProviderGitHub, header, hook.SecretToken)
	case sluice.WebhookIP:
		err = allowedIP(hook.AllowedIPRange, remote)
	case sluice.WebhookUnauthenticated:
	default:
		err = fmt.Errorf("webhook %s has an unknown authentication type %q", hook.Name, hook.Authentication)
	}
	if err != nil {
		return nil, c.refuse(err)
	}
	return c, Receipt{}
}

// Write adds p to the body checked; it never fails.
func (c *V1Check) Write(p []byte) (int, error) {
	if c.sig != nil {
		_, _ = c.sig.Write(p)
	}
	return len(p), nil
}

// Verified says whether the body written passes the webhook's authentication.
func (c *V1Check) Verified() (Receipt, bool) {
	if c.sig == nil {
		return Receipt{}, true
	}
	if err := c.sig.Check(); err != nil {
		return c.refuse(err), false
	}
	return Receipt{}, true
}

func (c *V1Check) refuse(err error) Receipt {
	c.h.Log.Warn("refused webhook request", "webhook", c.hook.Name, "remote", c.remote, "reason", err.Error())
	return Receipt{Refusal: RefusedForbidden, Message: err.Error()}
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

// Trigger evaluates the filters on an authenticated request's JSON document and starts the
// pipeline when they all match. Executions take the source's branch head when they run, as
// manual starts do: the request's commit is not pinned (docs/compatibility.md says why).
func (h *V1Webhooks) Trigger(ctx context.Context, hook *sluice.Webhook, doc []byte) Receipt {
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
		return Receipt{Refusal: RefusedMalformed, Message: err.Error()}
	}
	if why != "" {
		return Receipt{Message: "not started: " + why}
	}
	id, err := h.Engine.Start(ctx, engine.StartParams{Pipeline: hook.TargetPipeline,
		Trigger: sluice.Trigger{Type: sluice.TriggerWebhook, Detail: hook.ARN}})
	if err != nil {
		return h.failed(ctx, hook, err)
	}
	h.record(ctx, &sluice.Webhook{Name: hook.Name, LastTriggered: h.Clock.Now()})
	h.Log.Info("webhook started pipeline", "webhook", hook.Name, "pipeline", hook.TargetPipeline, "execution", id)
	return Receipt{Message: "started pipeline " + hook.TargetPipeline,
		Executions: []sluice.StartedExecution{{Pipeline: hook.TargetPipeline, ExecutionID: id}}}
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
func (h *V1Webhooks) failed(ctx context.Context, hook *sluice.Webhook, err error) Receipt {
	var se *sluice.Error
	if !errors.As(err, &se) || se.Code == sluice.EInternal {
		h.Log.Error("webhook start", "webhook", hook.Name, "err", err)
		h.record(ctx, &sluice.Webhook{Name: hook.Name, ErrorCode: "InternalError", ErrorMessage: "the pipeline could not be started; see the server log"})
		return Receipt{Refusal: RefusedInternal, Message: "the pipeline could not be started; see the server log"}
	}
	code, why, msg := "StartFailed", RefusedConflict, se.Message
	if se.Code == sluice.ENotFound {
		code, why = se.Resource+"NotFound", RefusedUnknown
	}
	if se.Resource == "Pipeline" && se.Code == sluice.ENotFound {
		msg = "Pipeline " + hook.TargetPipeline + " does not exist."
	}
	h.record(ctx, &sluice.Webhook{Name: hook.Name, ErrorCode: code, ErrorMessage: msg})
	return Receipt{Refusal: why, Message: "not started: " + msg}
}

func (h *V1Webhooks) record(ctx context.Context, w *sluice.Webhook) {
	if err := h.Store.SetWebhookOutcome(ctx, w); err != nil && !sluice.IsCode(err, sluice.ENotFound) {
		h.Log.Error("record webhook outcome", "webhook", w.Name, "err", err)
	}
}
