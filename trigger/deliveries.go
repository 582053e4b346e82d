package trigger

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"sync"

	"sluice"
	"sluice/hostevent"
)

// maxReason bounds a delivery's recorded reason (one line per pipeline that did not start).
const maxReason = 4000

// DeliveryStore is where deliveries find their connections and are logged.
type DeliveryStore interface {
	ListConnections(ctx context.Context) ([]*sluice.Connection, error)
	AddWebhookDelivery(ctx context.Context, d *sluice.WebhookDelivery, keep int) error
	// InTx logs a delivery's outcome and its event (Sluice's "Sluice Webhook Delivery")
	// in one transaction.
	InTx(ctx context.Context, fn func(sluice.Executor) error) error
}

// Deliveries decides on git hosts' webhook deliveries, one URL per connection: a delivery
// is authenticated with the connection's WebhookSecret, refused when its id was received
// before, logged, and then handed to Connections.Deliver, so the host's answer lists the
// started executions. The HTTP side reads the request and answers the Receipt.
type Deliveries struct {
	Connections *Connections
	Store       DeliveryStore
	Clock       sluice.Clock
	Log         *slog.Logger
}

// Receipt is what came of a delivery: the host's answer, and what the log of deliveries
// shows.
type Receipt struct {
	Refusal    Refusal
	DeliveryID string
	Result     string
	Message    string
	Executions []sluice.StartedExecution
}

// Incoming is a delivery to a known connection whose body is still to be read.
type Incoming struct {
	ds     *Deliveries
	conn   *sluice.Connection
	header http.Header
	d      *sluice.WebhookDelivery
}

var connectionID = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z0-9-]{1,128}$`) })

// Open starts a delivery to the connection whose ARN ends with id, before its body is read
// (nothing is read for an unknown connection); nil and the answer when there is none.
func (ds *Deliveries) Open(ctx context.Context, id string, header http.Header) (*Incoming, Receipt) {
	notFound := Receipt{Refusal: RefusedUnknown, Message: fmt.Sprintf("no connection has the id %q: "+
		"the webhook URL is <server>/v1/webhooks/<the last part of the connection ARN>", id)}
	if !connectionID().MatchString(id) {
		return nil, notFound
	}
	all, err := ds.Store.ListConnections(ctx)
	if err != nil {
		ds.Log.Error("list connections for a webhook", "err", err)
		return nil, Receipt{Refusal: RefusedInternal, Message: "the connection could not be read; see the server log"}
	}
	for _, c := range all {
		if strings.HasSuffix(c.ARN, ":connection/"+id) {
			d := &sluice.WebhookDelivery{ConnectionARN: c.ARN, Event: eventName(header), Received: ds.Clock.Now()}
			return &Incoming{ds: ds, conn: c, header: header, d: d}, Receipt{}
		}
	}
	return nil, notFound
}

// Unreadable refuses a delivery whose body could not be read (RefusedMalformed or
// RefusedTooLarge) and logs it.
func (in *Incoming) Unreadable(ctx context.Context, why Refusal, msg string) Receipt {
	return in.refuse(ctx, why, msg)
}

// Check is a delivery's body being checked as it is read: write the body to it, then ask
// Verified. It holds the signature's HMAC and the body's digest, never the body.
type Check struct {
	in  *Incoming
	sig *hostevent.Verifier
	sum hash.Hash
}

// Check starts authenticating the delivery before its body is read: a connection without a
// webhook secret, or a signature header that is missing or malformed (or GitLab's token,
// wrong) refuses it at once, logged (nil and the refusal).
func (in *Incoming) Check(ctx context.Context) (*Check, Receipt) {
	conn := in.conn
	in.d.DeliveryID = headerID(in.header, "")
	if conn.WebhookSecret == "" {
		return nil, in.refuse(ctx, RefusedForbidden, fmt.Sprintf("connection %s has no webhook secret: set one with "+
			"SluiceConnections_20261129.UpdateConnectionCredentials {\"ConnectionArn\": ..., \"WebhookSecret\": ...} "+
			"and give the host the same secret", conn.Name))
	}
	sig, err := hostevent.NewVerifier(webhookProvider(conn.ProviderType), in.header, conn.WebhookSecret)
	if err != nil {
		return nil, in.refuse(ctx, RefusedForbidden, err.Error())
	}
	return &Check{in: in, sig: sig, sum: sha256.New()}, Receipt{}
}

// Write adds p to the body checked; it never fails.
func (c *Check) Write(p []byte) (int, error) {
	_, _ = c.sig.Write(p)
	return c.sum.Write(p)
}

// Verified says whether the body written was the one signed; a refusal is logged.
func (c *Check) Verified(ctx context.Context) (Receipt, bool) {
	c.in.d.BodyDigest = hex.EncodeToString(c.sum.Sum(nil))
	c.in.d.DeliveryID = headerID(c.in.header, c.in.d.BodyDigest) // until the parsed delivery names itself
	if err := c.sig.Check(); err != nil {
		return c.in.refuse(ctx, RefusedForbidden, err.Error()), false
	}
	return Receipt{}, true
}

// Receive parses the body of a delivery Verified, takes its id, acts on it and logs what
// came of it.
func (c *Check) Receive(ctx context.Context, body []byte) Receipt {
	in := c.in
	ev, err := hostevent.Parse(webhookProvider(in.conn.ProviderType), in.header, body)
	if err != nil {
		return in.refuse(ctx, RefusedMalformed, err.Error())
	}
	describe(in.d, ev)
	return in.receive(ctx, ev)
}

// Receive is the whole of a delivery whose body is in memory: Check, Verified, Receive.
func (in *Incoming) Receive(ctx context.Context, body []byte) Receipt {
	c, rc := in.Check(ctx)
	if c == nil {
		return rc
	}
	_, _ = c.Write(body)
	if rc, ok := c.Verified(ctx); !ok {
		return rc
	}
	return c.Receive(ctx, body)
}

// receive takes the delivery's id, acts on it and logs what came of it.
func (in *Incoming) receive(ctx context.Context, ev *sluice.GitEvent) Receipt {
	ds, d, conn := in.ds, in.d, in.conn
	d.Result = sluice.DeliveryReceived
	err := ds.Store.AddWebhookDelivery(ctx, d, sluice.WebhookDeliveriesKept)
	if sluice.IsCode(err, sluice.EAlreadyExists) {
		d.Result, d.Reason = sluice.DeliveryDuplicate, "duplicate delivery: its id ("+d.DeliveryID+") or its body was received before"
		in.record(ctx)
		return Receipt{DeliveryID: d.DeliveryID, Result: d.Result, Message: d.Reason}
	}
	if err != nil {
		ds.Log.Error("record webhook delivery", "connection", conn.ARN, "delivery", d.DeliveryID, "err", err)
		return Receipt{Refusal: RefusedInternal, Message: "the delivery could not be recorded; see the server log"}
	}
	out := ds.Connections.Deliver(ctx, conn, ev)
	d.Result, d.Executions = sluice.DeliveryIgnored, out.Started
	if len(out.Started) > 0 {
		d.Result = sluice.DeliveryStarted
	}
	d.Reason = reason(out)
	err = ds.Store.InTx(ctx, func(x sluice.Executor) error {
		if err := x.FinishWebhookDelivery(ctx, d); err != nil {
			return err
		}
		return x.AddEvents(ctx, deliveryEvent(d))
	})
	if err != nil {
		ds.Log.Error("record webhook delivery result", "connection", conn.ARN, "delivery", d.DeliveryID, "err", err)
	}
	return Receipt{DeliveryID: d.DeliveryID, Result: d.Result, Message: d.Reason, Executions: d.Executions}
}

// refuse logs a delivery that failed authentication or could not be read; nothing starts.
func (in *Incoming) refuse(ctx context.Context, why Refusal, msg string) Receipt {
	d := in.d
	d.Result, d.Reason = sluice.DeliveryRefused, msg
	in.ds.Log.Warn("refused webhook delivery", "connection", d.ConnectionARN, "event", d.Event, "reason", msg)
	in.record(ctx)
	return Receipt{Refusal: why, Result: d.Result, Message: msg}
}

func (in *Incoming) record(ctx context.Context) {
	err := in.ds.Store.InTx(ctx, func(x sluice.Executor) error {
		if err := x.AddWebhookDelivery(ctx, in.d, sluice.WebhookDeliveriesKept); err != nil {
			return err
		}
		return x.AddEvents(ctx, deliveryEvent(in.d))
	})
	if err != nil {
		in.ds.Log.Error("record webhook delivery", "connection", in.d.ConnectionARN, "delivery", in.d.DeliveryID, "err", err)
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
// before it was parsed; for a host that sends none, the body's digest (hex SHA-256) stands
// in (the same body is the same delivery), or nothing before the body is read.
func headerID(h http.Header, digest string) string {
	for _, k := range []string{"X-GitHub-Delivery", "X-Gitlab-Event-UUID", "X-Request-UUID", "X-Request-Id"} {
		if v := h.Get(k); v != "" {
			return v
		}
	}
	if digest == "" {
		return ""
	}
	return "sha256:" + digest
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
