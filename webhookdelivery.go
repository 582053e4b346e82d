package sluice

import "time"

// What came of a webhook delivery (WebhookDelivery.Result).
const (
	// DeliveryReceived is an authenticated delivery the server is acting on.
	DeliveryReceived = "RECEIVED"
	// DeliveryInterrupted was received when the server stopped, before it was acted on
	// whole: its id is released, so the host's redelivery is taken again.
	DeliveryInterrupted = "INTERRUPTED"
	// DeliveryStarted started at least one execution.
	DeliveryStarted = "STARTED"
	// DeliveryIgnored was authenticated and started nothing (a ping, an event no pipeline
	// reacts to, filters that did not match); Reason says why.
	DeliveryIgnored = "IGNORED"
	// DeliveryDuplicate repeated the id of a delivery accepted before: it started nothing.
	DeliveryDuplicate = "DUPLICATE"
	// DeliveryRefused failed authentication or could not be read; Reason says why.
	DeliveryRefused = "REFUSED"
)

// WebhookDeliveriesKept is how many deliveries a connection's log keeps: the newest this many
// authenticated ones, and as many refused ones, so refusals never push accepted deliveries
// (and the replay protection their ids give) out of the log.
const WebhookDeliveriesKept = 1000

// WebhookDelivery is one webhook delivery a connection received and what came of it.
type WebhookDelivery struct {
	// Seq orders a store's deliveries: the store sets it, increasing.
	Seq int64
	// DeliveryID is the host's id of the delivery (kept on redelivery), or "sha256:" and the
	// body's digest when the host sends none.
	DeliveryID string
	// BodyDigest is the SHA-256 of the signed body of an authenticated delivery ("" for
	// refused ones): the delivery id is not signed, so replays are also found by body.
	BodyDigest    string
	ConnectionARN string
	Event         string // the host's event name (push, Push Hook, repo:push, ...)
	Repository    string
	Ref           string
	Result        string // a Delivery* constant
	Reason        string
	Executions    []StartedExecution
	Received      time.Time
}

// StartedExecution names one execution a trigger started.
type StartedExecution struct {
	Pipeline    string `json:"pipelineName"`
	ExecutionID string `json:"pipelineExecutionId"`
}
