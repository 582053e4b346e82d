package service

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/mail"
	"net/url"
	"strings"

	"sluice"
)

// PendingConfirmation is what Subscribe answers, and the lists show, in place of the ARN of
// a subscription that is not confirmed yet.
const PendingConfirmation = "pending confirmation"

// SubscribeParams subscribes an endpoint to a topic.
type SubscribeParams struct {
	TopicARN, Protocol, Endpoint string
	Attributes                   map[string]string
	ReturnSubscriptionArn        bool
}

// checkEndpoint holds an endpoint to its protocol, and an http(s) one to the network guard.
func (s *Service) checkEndpoint(ctx context.Context, protocol, endpoint string) error {
	switch protocol {
	case sluice.ProtocolHTTP, sluice.ProtocolHTTPS:
		u, err := url.Parse(endpoint)
		if err != nil || u.Scheme != protocol || u.Host == "" {
			return snsInvalid("Endpoint", "Invalid parameter: Endpoint must match the specified protocol")
		}
		if err := s.Guard.CheckURL(ctx, endpoint); err != nil {
			return snsInvalid("Endpoint", "Invalid parameter: Endpoint Reason: %v", err)
		}
	case sluice.ProtocolEmail, sluice.ProtocolEmailJSON:
		a, err := mail.ParseAddress(endpoint)
		if err != nil || a.Address != endpoint {
			return snsInvalid("Endpoint", "Invalid parameter: Email address")
		}
	case "":
		return snsInvalid("Protocol", "Invalid parameter: Protocol Reason: no value for required parameter")
	default:
		return snsInvalid("Protocol", "Invalid parameter: Amazon SNS does not support this protocol string: %s", protocol)
	}
	return nil
}

// normAttribute is value as stored: RawMessageDelivery in lower case.
func normAttribute(name, value string) string {
	if name == attrRawMessageDelivery {
		return strings.ToLower(value)
	}
	return value
}

// checkSubscriptionAttribute checks one attribute a request sets on a subscription.
func checkSubscriptionAttribute(protocol, name, value string) error {
	if !subscriptionSettable[name] {
		return snsInvalid("AttributeName", "Invalid parameter: AttributeName")
	}
	switch name {
	case attrRawMessageDelivery:
		if value != "true" && value != "false" {
			return snsInvalid("Attributes", "Invalid parameter: Attributes Reason: RawMessageDelivery: Invalid value [%s]. Must be true or false.", value)
		}
		if value == "true" && !isHTTP(protocol) {
			return snsInvalid("Attributes", "Invalid parameter: Attributes Reason: Delivery protocol [%s] does not support raw message delivery.", protocol)
		}
	case attrFilterPolicy:
		return checkFilterPolicy(value)
	case attrFilterPolicyScope:
		if value != scopeAttributes && value != scopeBody {
			return snsInvalid("Attributes", "Invalid parameter: Attributes Reason: FilterPolicyScope: Invalid value [%s]. Please use either MessageBody or MessageAttributes", value)
		}
	case attrDeliveryPolicy:
		if !isHTTP(protocol) {
			return snsInvalid("Attributes", "Invalid parameter: Attributes Reason: Delivery protocol [%s] does not support delivery policies.", protocol)
		}
		if value != "" {
			return checkSubscriptionPolicy(value)
		}
	}
	return nil
}

// newToken is a confirmation token: 256 random bits in hex, as long as SNS's are unguessable.
func newToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // never fails (crypto/rand)
	return hex.EncodeToString(b)
}

// Subscribe subscribes an endpoint to a topic. The subscription starts pending and its
// endpoint is sent a confirmation (a SubscriptionConfirmation with a token valid 48 hours,
// or a confirmation mail) in the same commit. Subscribing an endpoint again answers the
// existing subscription, and sends a pending one its confirmation again. The answer is
// PendingConfirmation for a pending subscription unless ReturnSubscriptionArn.
func (s *Service) Subscribe(ctx context.Context, c sluice.Caller, p SubscribeParams) (string, error) {
	protocol := strings.ToLower(p.Protocol)
	attrs := make(map[string]string, len(p.Attributes))
	for k, v := range p.Attributes {
		attrs[k] = normAttribute(k, v)
		if err := checkSubscriptionAttribute(protocol, k, attrs[k]); err != nil {
			return "", err
		}
	}
	if err := s.checkEndpoint(ctx, protocol, p.Endpoint); err != nil {
		return "", err
	}
	if err := s.allow(ctx, c, actSubscribe, p.TopicARN); err != nil {
		return "", err
	}
	now := s.Now()
	var sub *sluice.Subscription
	err := s.Store.InTx(ctx, func(x sluice.Executor) error {
		topic, err := x.GetTopic(ctx, p.TopicARN)
		if err != nil {
			return err
		}
		if _, err := x.DeleteUnconfirmed(ctx, now); err != nil {
			return err
		}
		sub, err = x.SubscriptionByEndpoint(ctx, topic.ARN, protocol, p.Endpoint)
		switch {
		case err == nil && sub.Confirmed:
			return nil
		case err == nil:
			sub.Token, sub.TokenExpires = newToken(), now.Add(sluice.ConfirmationTTL)
			sub.Attributes = withAttribute(sub.Attributes, attrUnsubscribed, "")
			if err := x.UpdateSubscription(ctx, sub); err != nil {
				return err
			}
		case sluice.IsCode(err, sluice.ENotFound):
			sub = &sluice.Subscription{ARN: topic.ARN + ":" + s.IDs.NewID(), TopicARN: topic.ARN, Protocol: protocol,
				Endpoint: p.Endpoint, Owner: s.Account(), Token: newToken(), TokenExpires: now.Add(sluice.ConfirmationTTL),
				Attributes: attrs, Created: now}
			if err := x.CreateSubscription(ctx, sub); err != nil {
				return err
			}
		default:
			return err
		}
		return x.EnqueueDeliveries(ctx, s.confirmation(topic, sub, sluice.MessageSubscriptionConfirmation))
	})
	if err != nil {
		return "", err
	}
	if !sub.Confirmed && !p.ReturnSubscriptionArn {
		return PendingConfirmation, nil
	}
	return sub.ARN, nil
}

// confirmation is the (Un)SubscriptionConfirmation delivery of sub; the sender writes
// SNS's text and links.
func (s *Service) confirmation(topic *sluice.Topic, sub *sluice.Subscription, typ string) *sluice.Delivery {
	return &sluice.Delivery{ID: s.IDs.NewID(), Target: sub.ARN, TopicARN: topic.ARN, Protocol: sub.Protocol,
		Endpoint: sub.Endpoint, Type: typ, Token: sub.Token, SignatureVersion: signatureVersion(topic),
		Created: s.Now(), Policy: deliveryRetry(topic, sub)}
}

// ConfirmParams confirms a subscription with the token sent to its endpoint.
type ConfirmParams struct {
	TopicARN, Token           string
	AuthenticateOnUnsubscribe bool
	// Link says that the request came by the SubscribeURL or the confirmation page, with no
	// credentials: the token is the credential, and nothing is asked of Authz.
	Link bool
}

// ConfirmSubscription confirms the subscription that was sent the token, while the token
// is valid (48 hours), and returns its ARN; confirming again answers the same. The token of
// an UnsubscribeConfirmation restores the subscription it deactivated.
func (s *Service) ConfirmSubscription(ctx context.Context, c sluice.Caller, p ConfirmParams) (string, error) {
	if p.Token == "" {
		return "", snsInvalid("Token", "Invalid parameter: Token")
	}
	if !p.Link {
		if err := s.allow(ctx, c, actConfirmSubscription, p.TopicARN); err != nil {
			return "", err
		}
	}
	var sub *sluice.Subscription
	err := s.Store.InTx(ctx, func(x sluice.Executor) error {
		if _, err := x.GetTopic(ctx, p.TopicARN); err != nil {
			return err
		}
		var err error
		sub, err = x.ConfirmSubscription(ctx, p.TopicARN, p.Token, s.Now())
		if sluice.IsCode(err, sluice.ENotFound) {
			return snsInvalid("Token", "Invalid token")
		}
		if err != nil || (!p.AuthenticateOnUnsubscribe && !unsubscribed(sub)) {
			return err
		}
		sub.Attributes = withAttribute(sub.Attributes, attrUnsubscribed, "")
		if p.AuthenticateOnUnsubscribe {
			sub.Attributes = withAttribute(sub.Attributes, attrConfirmationWasAuthed, "true")
		}
		return x.UpdateSubscription(ctx, sub)
	})
	if err != nil {
		return "", err
	}
	return sub.ARN, nil
}

// Unsubscribe deletes a subscription. An http(s) endpoint is sent an
// UnsubscribeConfirmation in the same commit, whose token restores the subscription for 48
// hours (the subscription is kept unconfirmed and hidden until then). By its link (UnsubscribeURL, the mail's
// unsubscribe page; Link set) it needs no credentials, unless the subscription was
// confirmed with AuthenticateOnUnsubscribe.
func (s *Service) Unsubscribe(ctx context.Context, c sluice.Caller, arn string, link bool) error {
	topicARN := subscriptionTopic(arn)
	if topicARN == "" {
		return snsInvalid("SubscriptionArn", "Invalid parameter: SubscriptionArn Reason: An ARN must have at least 6 elements, not %d", strings.Count(arn, ":")+1)
	}
	if !link {
		if err := s.allow(ctx, c, actUnsubscribe, topicARN); err != nil {
			return err
		}
	}
	return s.Store.InTx(ctx, func(x sluice.Executor) error {
		sub, err := liveSubscription(ctx, x, arn)
		if err != nil {
			return err
		}
		if link && sub.Attributes[attrConfirmationWasAuthed] == "true" {
			return sluice.Errorf(sluice.EAccessDenied, "Subscription", "Unsubscribe for this subscription requires authentication")
		}
		// What was queued for it is not sent (its UnsubscribeConfirmation is queued after).
		if _, err := x.CancelDeliveries(ctx, sluice.DeliveryCancel{Target: arn, Reason: "the subscription was deleted"}); err != nil {
			return err
		}
		if !isHTTP(sub.Protocol) {
			return x.DeleteSubscription(ctx, arn)
		}
		topic, err := x.GetTopic(ctx, sub.TopicARN)
		if err != nil {
			return err
		}
		sub.Confirmed, sub.Token, sub.TokenExpires = false, newToken(), s.Now().Add(sluice.ConfirmationTTL)
		sub.Attributes = withAttribute(sub.Attributes, attrUnsubscribed, "true")
		if err := x.UpdateSubscription(ctx, sub); err != nil {
			return err
		}
		return x.EnqueueDeliveries(ctx, s.confirmation(topic, sub, sluice.MessageUnsubscribeConfirmation))
	})
}
