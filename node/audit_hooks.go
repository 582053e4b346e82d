package node

import (
	"net/http"

	"sluice"
	"sluice/audit"
)

// The events of webhook requests, which no AWS API call stands for: a git host's delivery
// to a connection, and a request to a V1 webhook (PutWebhook).
const (
	eventDelivery = "ReceiveWebhookDelivery" // codestar-connections.amazonaws.com
	eventV1       = "InvokeWebhook"          // codepipeline.amazonaws.com
)

// auditDeliveries records each delivery to a known connection, taken or refused. Its
// principal is the connection (type Unknown: no IAM identity signs a delivery). The
// record rides in the request's context, so the transaction that records the delivery
// and starts its executions writes it.
func (n *Node) auditDeliveries(h http.Handler) http.Handler {
	return n.auditHook(h, "codestar-connections.amazonaws.com", eventDelivery, func(r *http.Request) *sluice.AuditResource {
		id := r.PathValue("id")
		scope := n.API.Service.Scope()
		arn := scope.ARN(sluice.ConnectionARN, id)
		if _, err := n.DB.GetConnection(r.Context(), arn); err != nil {
			return nil
		}
		return &sluice.AuditResource{ARN: arn, AccountID: scope.Account, Type: "AWS::CodeStarConnections::Connection", Name: id}
	})
}

// auditV1 records each request to a known V1 webhook; its principal is the webhook.
func (n *Node) auditV1(h http.Handler) http.Handler {
	return n.auditHook(h, "codepipeline.amazonaws.com", eventV1, func(r *http.Request) *sluice.AuditResource {
		hook, err := n.DB.WebhookByToken(r.Context(), r.URL.Query().Get("t"))
		if err != nil {
			return nil
		}
		return &sluice.AuditResource{ARN: hook.ARN, AccountID: n.API.Service.Account(), Type: "AWS::CodePipeline::Webhook", Name: hook.Name}
	})
}

// auditHook wraps a webhook endpoint: requests to what find knows are recorded with the
// endpoint's answer; the rest (unknown connections and tokens) name nobody and are not.
func (n *Node) auditHook(h http.Handler, source, name string, find func(*http.Request) *sluice.AuditResource) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		res := find(r)
		if res == nil {
			h.ServeHTTP(w, r)
			return
		}
		scope := n.API.Service.Scope()
		c := sluice.Caller{Principal: res.ARN, SourceIP: audit.SourceIP(r.RemoteAddr), UserAgent: r.UserAgent()}
		id := sluice.AuditIdentity{Type: "Unknown", PrincipalID: res.Name, ARN: res.ARN, AccountID: scope.Account, UserName: res.Name}
		ctx, rec := audit.Begin(r.Context(), audit.Call{Source: source, Name: name, Region: scope.Region,
			Account: scope.Account, Caller: c, Identity: &id, Resources: []sluice.AuditResource{*res},
			Additional: map[string]any{"deliveryHeaders": deliveryHeaders(r.Header)}})
		sw := audit.NewStatusWriter(w)
		h.ServeHTTP(sw, r.WithContext(ctx))
		code, msg := httpErrorCode(sw.Status)
		if sw.Status == http.StatusNotFound {
			code = "ResourceNotFoundException"
		}
		if err := audit.End(ctx, n.API.Service, rec, nil, code, msg); err != nil {
			n.Log.Error("audit: record a webhook request", "resource", res.ARN, "err", err)
		}
	})
}

// deliveryHeaders are the headers that say which host sent a delivery and which one it is;
// signatures are left out.
func deliveryHeaders(h http.Header) map[string]string {
	out := map[string]string{}
	for _, k := range []string{"X-GitHub-Event", "X-GitHub-Delivery", "X-Gitlab-Event", "X-Event-Key", "X-Request-UUID", "X-Gitea-Event"} {
		if v := h.Get(k); v != "" {
			out[k] = v
		}
	}
	return out
}
