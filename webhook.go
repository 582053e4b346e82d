package sluice

import (
	"context"
	"time"
)

// Authentication types of a V1 webhook (the model's WebhookAuthenticationType).
const (
	WebhookGitHubHMAC      = "GITHUB_HMAC"
	WebhookIP              = "IP"
	WebhookUnauthenticated = "UNAUTHENTICATED"
)

// MaxWebhooks is how many V1 webhooks a server keeps (AWS's quota per region, SEMANTICS §1.3).
const MaxWebhooks = 300

// Webhook is a V1 webhook (PutWebhook): a URL that starts TargetPipeline when a POST to it
// passes Authentication and every filter. SecretToken is a secret: the API answers "****".
type Webhook struct {
	Name           string
	ARN            string
	TargetPipeline string
	TargetAction   string
	Filters        []WebhookFilter
	Authentication string // a Webhook* constant
	SecretToken    string // GITHUB_HMAC's key
	AllowedIPRange string // IP's CIDR
	// Token is the opaque part of the webhook's URL: random, kept while the webhook is
	// updated, new when it is deleted and created again.
	Token         string
	LastTriggered time.Time // zero until a POST starts the pipeline
	// ErrorCode and ErrorMessage say why the last matching POST started nothing ("" after
	// one that started the pipeline).
	ErrorCode    string
	ErrorMessage string
	Created      time.Time
}

// WebhookFilter is one filter rule: JSONPath must select a value of the POST's body equal
// to MatchEquals, whose {ConfigKey} placeholders stand for the target action's
// configuration values; without MatchEquals, selecting anything matches.
type WebhookFilter struct {
	JSONPath    string `json:"jsonPath"`
	MatchEquals string `json:"matchEquals,omitempty"`
}

// PutWebhookParams is one PutWebhook.
type PutWebhookParams struct {
	Webhook *Webhook
	Tags    map[string]string // added to the webhook's tags (under Webhook.ARN)
	Max     int               // a new webhook is refused once this many exist (<= 0: no limit)
}

// WebhookStore keeps V1 webhooks. On the Store each method is one transaction; through a
// transaction's Executor it joins that one.
type WebhookStore interface {
	// PutWebhook inserts the webhook of p.Webhook.Name, or replaces its definition
	// (pipeline, action, filters, authentication) keeping its ARN, Token, Created,
	// LastTriggered and error, which are written back into p.Webhook; tags are added in the
	// same transaction. A new webhook past p.Max is ELimit/Webhooks, storing nothing.
	PutWebhook(ctx context.Context, p PutWebhookParams) error
	// GetWebhook returns the named webhook (ENotFound/Webhook).
	GetWebhook(ctx context.Context, name string) (*Webhook, error)
	// WebhookByToken returns the webhook whose URL holds token (ENotFound/Webhook).
	WebhookByToken(ctx context.Context, token string) (*Webhook, error)
	// ListWebhooks returns one page of webhooks by name.
	ListWebhooks(ctx context.Context, p Page) ([]*Webhook, string, error)
	// DeleteWebhook removes the named webhook and its tags (ENotFound/Webhook).
	DeleteWebhook(ctx context.Context, name string) error
	// SetWebhookOutcome records what the last matching POST did: LastTriggered when it
	// started the pipeline (zero keeps the stored one), ErrorCode and ErrorMessage as given
	// (ENotFound/Webhook when the webhook is gone).
	SetWebhookOutcome(ctx context.Context, w *Webhook) error
}
