package trigger

import (
	"encoding/json"

	"sluice"
)

// deliveryEvent is Sluice's event of a git host's webhook delivery once its outcome is
// known: what the connection's delivery log shows, for rules and notifications (a refused
// delivery is often a misconfigured secret).
func deliveryEvent(d *sluice.WebhookDelivery) sluice.Event {
	type execution struct {
		Pipeline    string `json:"pipeline"`
		ExecutionID string `json:"execution-id"`
	}
	detail := struct {
		ConnectionARN string      `json:"connection-arn"`
		DeliveryID    string      `json:"delivery-id"`
		Event         string      `json:"event,omitempty"`
		Repository    string      `json:"repository,omitempty"`
		Ref           string      `json:"ref,omitempty"`
		Result        string      `json:"result"`
		Reason        string      `json:"reason,omitempty"`
		Executions    []execution `json:"executions"`
	}{ConnectionARN: d.ConnectionARN, DeliveryID: d.DeliveryID, Event: d.Event, Repository: d.Repository, Ref: d.Ref,
		Result: d.Result, Reason: d.Reason, Executions: []execution{}}
	for _, e := range d.Executions {
		detail.Executions = append(detail.Executions, execution{Pipeline: e.Pipeline, ExecutionID: e.ExecutionID})
	}
	raw, _ := json.Marshal(detail) // plain strings only
	return sluice.Event{Source: sluice.SourceSluice, DetailType: sluice.DetailWebhookDelivery, State: d.Result,
		Time: d.Received, Resources: []string{d.ConnectionARN}, RawDetail: string(raw)}
}
