package hookserve

import (
	"context"
	"net/http"

	"sluice"
	"sluice/preauth"
	"sluice/trigger"
)

// DeliveriesPath is the route of git hosts' deliveries: one URL per connection, named by the
// last part of the connection's ARN.
const DeliveriesPath = "POST /v1/webhooks/{id}"

// Deliveries is the endpoint git hosts deliver webhooks to.
type Deliveries struct {
	Trigger *trigger.Deliveries
	Limits
}

// answer is the JSON body of every response; hosts show it in their delivery logs.
type answer struct {
	DeliveryID string                    `json:"deliveryId,omitempty"`
	Result     string                    `json:"result,omitempty"`
	Message    string                    `json:"message"`
	Executions []sluice.StartedExecution `json:"executions,omitempty"`
}

func (h *Deliveries) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	pass, ok := h.enter(w, r)
	if !ok {
		return
	}
	defer pass.Done()
	// The work outlives a host that stops waiting: an accepted delivery's id is taken, so
	// it must be acted on whole.
	ctx := context.WithoutCancel(r.Context())
	in, rc := h.Trigger.Open(ctx, r.PathValue("id"), r.Header)
	if in != nil {
		rc = h.receive(ctx, w, r, in, pass)
	} else {
		pass.Failed()
	}
	writeJSON(w, status(rc.Refusal), answer{DeliveryID: rc.DeliveryID, Result: rc.Result, Message: rc.Message, Executions: rc.Executions})
}

// receive checks the delivery's headers, reads its body through the signature's HMAC into a
// spool, and hands it on whole only once the signature is verified.
func (h *Deliveries) receive(ctx context.Context, w http.ResponseWriter, r *http.Request, in *trigger.Incoming, pass *preauth.Pass) trigger.Receipt {
	check, rc := in.Check(ctx)
	if check == nil {
		pass.Failed()
		return rc
	}
	spooled, err := h.readBody(w, r, check)
	if err != nil {
		why, msg := unread(err)
		return in.Unreadable(ctx, why, msg)
	}
	defer spooled.Close()
	if rc, ok := check.Verified(ctx); !ok {
		pass.Failed()
		return rc
	}
	pass.Verified()
	body, err := spooled.Bytes()
	if err != nil {
		return in.Unreadable(ctx, trigger.RefusedMalformed, err.Error())
	}
	return check.Receive(ctx, body)
}
