package sluice

import (
	"context"
	"time"
)

// Topic is an SNS topic: a name that publishers send messages to and subscriptions receive
// them from.
type Topic struct {
	ARN  string // arn:aws:sns:<region>:<account>:<name>
	Name string
	// Attributes are the topic's settable attributes by their SNS names (DisplayName,
	// Policy, DeliveryPolicy, SignatureVersion, TracingConfig, KmsMasterKeyId, ...); the
	// computed ones (Owner, SubscriptionsConfirmed, EffectiveDeliveryPolicy, ...) are not kept.
	Attributes map[string]string
	Created    time.Time
}

// The SNS protocols Sluice delivers to.
const (
	ProtocolHTTP      = "http"
	ProtocolHTTPS     = "https"
	ProtocolEmail     = "email"
	ProtocolEmailJSON = "email-json"
)

// SNS message types (x-amz-sns-message-type, Delivery.Type).
const (
	MessageNotification             = "Notification"
	MessageSubscriptionConfirmation = "SubscriptionConfirmation"
	MessageUnsubscribeConfirmation  = "UnsubscribeConfirmation"
)

// ConfirmationTTL is how long a confirmation token is valid, and how long an unconfirmed
// subscription lives (SNS: 48 hours since May 2023).
const ConfirmationTTL = 48 * time.Hour

// Subscription is one endpoint of a topic. An http, https, email or email-json
// subscription starts unconfirmed and receives nothing but its confirmation until the
// endpoint's owner confirms it with its Token.
type Subscription struct {
	ARN      string // the topic's ARN + ":" + a lower-case UUID
	TopicARN string
	Protocol string // a Protocol* constant
	Endpoint string // a URL or an email address
	Owner    string // the account that subscribed
	// Confirmed says whether the endpoint's owner confirmed the subscription.
	Confirmed bool
	// Token is the confirmation token last sent to the endpoint; it confirms the
	// subscription until TokenExpires (and again afterwards while it is confirmed).
	Token        string
	TokenExpires time.Time
	// Attributes are the subscription's settable attributes by their SNS names
	// (RawMessageDelivery, DeliveryPolicy, FilterPolicy, ...).
	Attributes map[string]string
	Created    time.Time
}

// SubscriptionFilter selects a page of subscriptions: all of them, or those of a topic.
type SubscriptionFilter struct {
	Page
	TopicARN string
}

// TopicStore keeps topics and their subscriptions. On the Store each method is one
// transaction; through a transaction's Executor it joins that one.
type TopicStore interface {
	// CreateTopic stores t (EAlreadyExists/Topic when its ARN is taken).
	CreateTopic(ctx context.Context, t *Topic) error
	// GetTopic returns the topic arn (ENotFound/Topic).
	GetTopic(ctx context.Context, arn string) (*Topic, error)
	// SetTopicAttributes replaces the attributes of the topic arn (ENotFound/Topic).
	SetTopicAttributes(ctx context.Context, arn string, attrs map[string]string) error
	// ListTopics returns one page of topics by ARN.
	ListTopics(ctx context.Context, p Page) ([]*Topic, string, error)
	// DeleteTopic removes the topic with its subscriptions and the tags of the topic
	// (ENotFound/Topic).
	DeleteTopic(ctx context.Context, arn string) error

	// CreateSubscription stores s: ENotFound/Topic when its topic is absent,
	// EAlreadyExists/Subscription when the topic has a subscription of s.Protocol and
	// s.Endpoint or the ARN is taken.
	CreateSubscription(ctx context.Context, s *Subscription) error
	// GetSubscription returns the subscription arn (ENotFound/Subscription).
	GetSubscription(ctx context.Context, arn string) (*Subscription, error)
	// SubscriptionByEndpoint returns the topic's subscription of protocol and endpoint
	// (ENotFound/Subscription).
	SubscriptionByEndpoint(ctx context.Context, topicARN, protocol, endpoint string) (*Subscription, error)
	// UpdateSubscription replaces the Confirmed, Token, TokenExpires and Attributes of the
	// subscription s.ARN (ENotFound/Subscription).
	UpdateSubscription(ctx context.Context, s *Subscription) error
	// ConfirmSubscription marks the topic's subscription whose Token is token confirmed, in
	// one step, and returns it: the token must not have expired at now, unless the
	// subscription is confirmed already, which it then stays (ENotFound/Subscription when no
	// subscription of the topic holds a token valid at now).
	ConfirmSubscription(ctx context.Context, topicARN, token string, now time.Time) (*Subscription, error)
	// DeleteSubscription removes the subscription arn (ENotFound/Subscription).
	DeleteSubscription(ctx context.Context, arn string) error
	// ListSubscriptions returns one page of subscriptions (those of f.TopicARN when set),
	// by ARN.
	ListSubscriptions(ctx context.Context, f SubscriptionFilter) ([]*Subscription, string, error)
	// ConfirmedSubscriptions returns every confirmed subscription of the topic, by ARN: the
	// destinations of a publish.
	ConfirmedSubscriptions(ctx context.Context, topicARN string) ([]*Subscription, error)
	// CountSubscriptions returns how many subscriptions of the topic are confirmed and how
	// many are pending.
	CountSubscriptions(ctx context.Context, topicARN string) (confirmed, pending int, err error)
	// DeleteUnconfirmed removes the unconfirmed subscriptions whose token expired before
	// now, and returns how many.
	DeleteUnconfirmed(ctx context.Context, now time.Time) (int, error)
}
