package sluice

import "time"

// PublishInput is one message for a topic (SNS Publish); the server's own publishes
// (rules, notification rules, approvals) use it too.
type PublishInput struct {
	TopicARN         string
	Subject          string
	Message          string
	MessageStructure string // "" or "json": Message is then a JSON object of per-protocol texts
	Attributes       map[string]MessageAttribute
	// DedupeKey makes a publish idempotent: a second publish with the same key to the same
	// topic adds no delivery. The server's own publishes use the event's id and the route,
	// so that an event handled twice (at-least-once) is delivered once per subscription.
	DedupeKey string
}

// MessageAttribute is one SNS message attribute.
type MessageAttribute struct {
	DataType    string // String, String.Array, Number, Binary
	StringValue string `json:",omitempty"`
	BinaryValue []byte `json:",omitempty"`
}

// DeliveryStatus is where a delivery stands.
type DeliveryStatus string

const (
	DeliveryPending   DeliveryStatus = "Pending"   // waiting for its next attempt
	DeliveryDelivered DeliveryStatus = "Delivered" // the destination accepted it
	DeliveryFailed    DeliveryStatus = "Failed"    // dead: retries exhausted or a permanent refusal
)

// Delivery protocols beyond SNS's own (http, https, email, email-json).
const (
	ProtocolSlack   = "slack"   // a chat channel with a Slack-compatible incoming webhook
	ProtocolTeams   = "teams"   // a chat channel with a Teams incoming webhook or workflow
	ProtocolWebhook = "webhook" // an EventBridge rule's HTTP target: the event JSON, POSTed
)

// Delivery is one message on its way to one destination, retried until the destination
// takes it or its retries run out. Deliveries of one destination are independent: a
// dead one does not hold the others back.
type Delivery struct {
	// ID is the message id (SNS MessageId, x-amz-sns-message-id), kept across retries.
	ID string
	// Key is unique: enqueueing a delivery whose key exists adds nothing (see PublishInput).
	Key string
	// Target is the ARN whose delivery log lists this delivery: a subscription, a chat
	// channel, or an EventBridge rule's target (rule ARN + "/" + target id).
	Target   string
	TopicARN string // SNS deliveries
	Protocol string // http, https, email, email-json, or one of the Protocol constants
	// Endpoint is the URL or address; for a chat channel, the channel's ARN (the sender
	// reads its sealed webhook URL when it sends).
	Endpoint string
	// Type is the SNS message type: Notification, SubscriptionConfirmation or
	// UnsubscribeConfirmation ("" for chat and webhook deliveries).
	Type       string
	Subject    string
	Message    string // SNS: the Message; chat: the rendered body; webhook: the event JSON
	Token      string // the confirmation token of a (Un)SubscriptionConfirmation
	Attributes map[string]MessageAttribute
	Raw        bool // RawMessageDelivery: the body is Message alone, unsigned
	// SignatureVersion is the topic's ("1" or "2") at enqueue time.
	SignatureVersion string
	Created          time.Time // the SNS Timestamp; retries keep it (and so the signature)
	Status           DeliveryStatus
	Attempts         int
	NextAttempt      time.Time
	LastError        string
	Policy           RetryPolicy
}

// RetryPolicy says how often and how far apart a delivery is tried again (SNS's
// healthyRetryPolicy, EventBridge's RetryPolicy).
type RetryPolicy struct {
	NumRetries int
	MinDelay   time.Duration
	MaxDelay   time.Duration
	Backoff    string        // linear, arithmetic, geometric, exponential
	MaxAge     time.Duration // 0: no limit beyond NumRetries
	// SNS's phases (§3.8), all counted in NumRetries: first NoDelayRetries at once, then
	// MinDelayRetries MinDelay apart, then the backoff phase from MinDelay to MaxDelay, and
	// last MaxDelayRetries MaxDelay apart.
	NoDelayRetries  int
	MinDelayRetries int
	MaxDelayRetries int
}

// DeliveryAttempt is one try of a delivery, for its log.
type DeliveryAttempt struct {
	DeliveryID string
	N          int // 1 for the first attempt
	At         time.Time
	Duration   time.Duration
	StatusCode int    // the destination's HTTP or SMTP status; 0 when none came
	Error      string // "" when delivered
}

// ChatChannel is a chat destination configured in Sluice: a Slack-compatible or Teams
// incoming-webhook URL behind the ARN a notification rule names as its target
// (arn:aws:chatbot::ACCOUNT:chat-configuration/slack-channel/NAME, or
// .../microsoft-teams-channel/NAME).
type ChatChannel struct {
	Name     string
	ARN      string
	Kind     string // ProtocolSlack or ProtocolTeams
	URL      string // sealed at rest; a secret
	Created  time.Time
	Modified time.Time
}
