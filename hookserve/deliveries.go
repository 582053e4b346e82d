package hookserve

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"sluice"
	"sluice/trigger"
)

// DeliveriesPath is the route of git hosts' deliveries: one URL per connection, named by the
// last part of the connection's ARN.
const DeliveriesPath = "POST /v1/webhooks/{id}"

// Deliveries is the endpoint git hosts deliver webhooks to.
type Deliveries struct {
	Trigger *trigger.Deliveries
}

// answer is the JSON body of every response; hosts show it in their delivery logs.
type answer struct {
	DeliveryID string                    `json:"deliveryId,omitempty"`
	Result     string                    `json:"result,omitempty"`
	Message    string                    `json:"message"`
	Executions []sluice.StartedExecution `json:"executions,omitempty"`
}

func (h *Deliveries) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// The work outlives a host that stops waiting: an accepted delivery's id is taken, so
	// it must be acted on whole.
	ctx := context.WithoutCancel(r.Context())
	in, rc := h.Trigger.Open(ctx, r.PathValue("id"), r.Header)
	if in != nil {
		rc = receive(ctx, w, r, in)
	}
	writeJSON(w, status(rc.Refusal), answer{DeliveryID: rc.DeliveryID, Result: rc.Result, Message: rc.Message, Executions: rc.Executions})
}

func receive(ctx context.Context, w http.ResponseWriter, r *http.Request, in *trigger.Incoming) trigger.Receipt {
	body, err := readBody(w, r)
	if errors.As(err, new(*http.MaxBytesError)) {
		return in.Unreadable(ctx, trigger.RefusedTooLarge, fmt.Sprintf("the delivery is larger than %d bytes", trigger.MaxWebhookBody))
	}
	if err != nil {
		return in.Unreadable(ctx, trigger.RefusedMalformed, "the delivery could not be read: "+err.Error())
	}
	return in.Receive(ctx, body)
}
