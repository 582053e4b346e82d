package trigger

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"time"

	"sluice"
	"sluice/hostevent"
)

// WebhookPath is the route of the webhook endpoint: one URL per connection, named by the last
// part of the connection's ARN. It takes no SigV4: the delivery's own signature is checked.
const WebhookPath = "POST /v1/webhooks/{id}"

// MaxWebhookBody is the largest delivery read: GitHub's cap on payloads (25 MB).
const MaxWebhookBody = 25 << 20

// maxReason bounds a delivery's recorded reason (one line per pipeline that did not start).
const maxReason = 4000

// DeliveryStore is where the endpoint finds connections and logs deliveries.
type DeliveryStore interface {
	ListConnections(ctx context.Context) ([]*sluice.Connection, error)
	AddWebhookDelivery(ctx context.Context, d *sluice.WebhookDelivery, keep int) error
	FinishWebhookDelivery(ctx context.Context, d *sluice.WebhookDelivery) error
}

// Webhooks is the endpoint git hosts deliver webhooks to. A delivery is authenticated with
// the connection's WebhookSecret, refused when its id was received before, logged, and then
// handed to Connections.Deliver within the request, so the host's answer lists the started
// executions.
type Webhooks struct {
	Connections *Connections
	Store       DeliveryStore
	Clock       sluice.Clock
	Log         *slog.Logger
}

// answer is the JSON body of every response; hosts show it in their delivery logs.
type answer struct {
	DeliveryID string                    `json:"deliveryId,omitempty"`
	Result     string                    `json:"result,omitempty"`
	Message    string                    `json:"message"`
	Executions []sluice.StartedExecution `json:"executions,omitempty"`
}

// bodyDeadline bounds reading a delivery: a sender trickling bytes must not hold a
// connection and 25 MB of memory for ever.
const bodyDeadline = time.Minute

// readBody reads a delivery's body, at most MaxWebhookBody bytes within bodyDeadline.
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(bodyDeadline))
	return io.ReadAll(http.MaxBytesReader(w, r.Body, MaxWebhookBody))
}

var connectionID = regexp.MustCompile(`^[A-Za-z0-9-]{1,128}$`)

func (h *Webhooks) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// The work outlives a host that stops waiting: an accepted delivery's id is taken, so
	// it must be acted on whole.
	ctx := context.WithoutCancel(r.Context())
	conn, status, msg := h.connection(ctx, r.PathValue("id"))
	if conn == nil {
		writeAnswer(w, status, answer{Message: msg})
		return
	}
	d := &sluice.WebhookDelivery{ConnectionARN: conn.ARN, Event: eventName(r.Header), Received: h.Clock.Now()}
	body, err := readBody(w, r)
	if err != nil {
		status, msg = http.StatusBadRequest, "the delivery could not be read: "+err.Error()
		if errors.As(err, new(*http.MaxBytesError)) {
			status, msg = http.StatusRequestEntityTooLarge, fmt.Sprintf("the delivery is larger than %d bytes", MaxWebhookBody)
		}
		h.refuse(ctx, w, d, status, msg)
		return
	}
	d.DeliveryID = headerID(r.Header, body) // until the parsed delivery names itself
	provider := webhookProvider(conn.ProviderType)
	if conn.WebhookSecret == "" {
		h.refuse(ctx, w, d, http.StatusForbidden, fmt.Sprintf("connection %s has no webhook secret: set one with "+
			"SluiceConnections_20261129.UpdateConnectionCredentials {\"ConnectionArn\": ..., \"WebhookSecret\": ...} "+
			"and give the host the same secret", conn.Name))
		return
	}
	if err := hostevent.Verify(provider, r.Header, body, conn.WebhookSecret); err != nil {
		h.refuse(ctx, w, d, http.StatusForbidden, err.Error())
		return
	}
	ev, err := hostevent.Parse(provider, r.Header, body)
	if err != nil {
		h.refuse(ctx, w, d, http.StatusBadRequest, err.Error())
		return
	}
	describe(d, ev)
	sum := sha256.Sum256(body)
	d.BodyDigest = hex.EncodeToString(sum[:])
	h.receive(ctx, w, conn, d, ev)
}

// receive takes the delivery's id, acts on it and logs what came of it.
func (h *Webhooks) receive(ctx context.Context, w http.ResponseWriter, conn *sluice.Connection, d *sluice.WebhookDelivery, ev *sluice.GitEvent) {
	d.Result = sluice.DeliveryReceived
	err := h.Store.AddWebhookDelivery(ctx, d, sluice.WebhookDeliveriesKept)
	if sluice.IsCode(err, sluice.EAlreadyExists) {
		d.Result, d.Reason = sluice.DeliveryDuplicate, "duplicate delivery: its id ("+d.DeliveryID+") or its body was received before"
		h.record(ctx, d)
		writeAnswer(w, http.StatusOK, answer{DeliveryID: d.DeliveryID, Result: d.Result, Message: d.Reason})
		return
	}
	if err != nil {
		h.Log.Error("record webhook delivery", "connection", conn.ARN, "delivery", d.DeliveryID, "err", err)
		writeAnswer(w, http.StatusInternalServerError, answer{Message: "the delivery could not be recorded; see the server log"})
		return
	}
	out := h.Connections.Deliver(ctx, conn, ev)
	d.Result, d.Executions = sluice.DeliveryIgnored, out.Started
	if len(out.Started) > 0 {
		d.Result = sluice.DeliveryStarted
	}
	d.Reason = reason(out)
	if err := h.Store.FinishWebhookDelivery(ctx, d); err != nil {
		h.Log.Error("record webhook delivery result", "connection", conn.ARN, "delivery", d.DeliveryID, "err", err)
	}
	writeAnswer(w, http.StatusOK, answer{DeliveryID: d.DeliveryID, Result: d.Result, Message: d.Reason, Executions: d.Executions})
}

// connection finds the connection a webhook URL names, or says what to answer.
func (h *Webhooks) connection(ctx context.Context, id string) (*sluice.Connection, int, string) {
	notFound := fmt.Sprintf("no connection has the id %q: the webhook URL is <server>/v1/webhooks/<the last part of the connection ARN>", id)
	if !connectionID.MatchString(id) {
		return nil, http.StatusNotFound, notFound
	}
	all, err := h.Store.ListConnections(ctx)
	if err != nil {
		h.Log.Error("list connections for a webhook", "err", err)
		return nil, http.StatusInternalServerError, "the connection could not be read; see the server log"
	}
	for _, c := range all {
		if strings.HasSuffix(c.ARN, ":connection/"+id) {
			return c, 0, ""
		}
	}
	return nil, http.StatusNotFound, notFound
}

// refuse logs and answers a delivery that failed authentication or could not be read;
// nothing starts.
func (h *Webhooks) refuse(ctx context.Context, w http.ResponseWriter, d *sluice.WebhookDelivery, status int, msg string) {
	d.Result, d.Reason = sluice.DeliveryRefused, msg
	h.Log.Warn("refused webhook delivery", "connection", d.ConnectionARN, "event", d.Event, "reason", msg)
	h.record(ctx, d)
	writeAnswer(w, status, answer{Result: d.Result, Message: msg})
}

func (h *Webhooks) record(ctx context.Context, d *sluice.WebhookDelivery) {
	if err := h.Store.AddWebhookDelivery(ctx, d, sluice.WebhookDeliveriesKept); err != nil {
		h.Log.Error("record webhook delivery", "connection", d.ConnectionARN, "delivery", d.DeliveryID, "err", err)
	}
}

// webhookProvider is the delivery format of a connection's provider type. Sluice's Git
// connections take GitHub's format, the one most git servers and scripts can send.
func webhookProvider(providerType string) string {
	switch providerType {
	case sluice.ProviderGitLab, sluice.ProviderGitLabSelf:
		return hostevent.ProviderGitLab
	case sluice.ProviderBitbucket:
		return hostevent.ProviderBitbucket // Cloud or Server, told apart by their event keys
	default: // GitHub, GitHubEnterpriseServer, Git
		return hostevent.ProviderGitHub
	}
}

// eventName is the host's name of the event, from whichever host's header is present.
func eventName(h http.Header) string {
	for _, k := range []string{"X-GitHub-Event", "X-Gitlab-Event", "X-Event-Key"} {
		if v := h.Get(k); v != "" {
			return v
		}
	}
	return ""
}

// headerID is the delivery id the host's header gives, for the log of a delivery refused
// before it was parsed; for a host that sends none, the body's digest stands in (the same
// body is the same delivery).
func headerID(h http.Header, body []byte) string {
	for _, k := range []string{"X-GitHub-Delivery", "X-Gitlab-Event-UUID", "X-Request-UUID", "X-Request-Id"} {
		if v := h.Get(k); v != "" {
			return v
		}
	}
	sum := sha256.Sum256(body)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// describe copies what the log shows of a parsed delivery.
func describe(d *sluice.WebhookDelivery, ev *sluice.GitEvent) {
	if ev.DeliveryID != "" {
		d.DeliveryID = ev.DeliveryID
	}
	d.Repository, d.Ref = ev.Repository, ev.Ref
	if ev.PullRequest != nil {
		d.Ref = "refs/heads/" + ev.PullRequest.SourceBranch
	}
	if len(ev.More) > 0 {
		d.Ref += fmt.Sprintf(" (and %d more)", len(ev.More))
	}
}

func reason(out Outcome) string {
	var s string
	switch {
	case len(out.Reasons) == 0 && len(out.Started) > 0:
		s = fmt.Sprintf("started %d execution(s)", len(out.Started))
	case len(out.Started) > 0:
		s = fmt.Sprintf("started %d execution(s); not started: %s", len(out.Started), strings.Join(out.Reasons, "; "))
	default:
		s = "ignored: " + strings.Join(out.Reasons, "; ")
	}
	if len(s) > maxReason {
		s = strings.ToValidUTF8(s[:maxReason], "") + "…"
	}
	return s
}

func writeAnswer(w http.ResponseWriter, status int, a answer) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(a) // the host may have gone; nothing to do about it
}
