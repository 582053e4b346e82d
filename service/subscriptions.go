package service

import (
	"context"
	"maps"
	"strings"

	"sluice"
)

// Subscription attributes Sluice reads or computes.
const (
	attrPendingConfirmation   = "PendingConfirmation"
	attrConfirmationWasAuthed = "ConfirmationWasAuthenticated"
	// attrUnsubscribed marks an http(s) subscription that was unsubscribed: it is gone for
	// every operation, but the token of its UnsubscribeConfirmation restores it until the
	// token expires, when it is deleted as any unconfirmed subscription is.
	attrUnsubscribed = "sluice:Unsubscribed"
)

// unsubscribed reports whether sub was unsubscribed (see attrUnsubscribed).
func unsubscribed(sub *sluice.Subscription) bool { return sub.Attributes[attrUnsubscribed] != "" }

// liveSubscription is the subscription arn unless it was unsubscribed (ENotFound).
func liveSubscription(ctx context.Context, x sluice.Executor, arn string) (*sluice.Subscription, error) {
	sub, err := x.GetSubscription(ctx, arn)
	if err == nil && unsubscribed(sub) {
		return nil, sluice.Errorf(sluice.ENotFound, "Subscription", "Subscription does not exist")
	}
	return sub, err
}

// withAttribute is a copy of attrs with name set to value ("" deletes it).
func withAttribute(attrs map[string]string, name, value string) map[string]string {
	out := maps.Clone(attrs)
	if out == nil {
		out = map[string]string{}
	}
	if value == "" {
		delete(out, name)
	} else {
		out[name] = value
	}
	return out
}

// subscriptionSettable are the attributes Subscribe and SetSubscriptionAttributes take.
var subscriptionSettable = map[string]bool{attrRawMessageDelivery: true, attrDeliveryPolicy: true,
	attrFilterPolicy: true, attrFilterPolicyScope: true}

// subscriptionTopic is the topic part of a subscription ARN ("" when arn is not one).
func subscriptionTopic(arn string) string {
	a, err := sluice.ParseARN(arn)
	if err != nil || a.Service != "sns" {
		return ""
	}
	i := strings.LastIndex(arn, ":")
	if !strings.Contains(a.Resource, ":") {
		return ""
	}
	return arn[:i]
}

// ListSubscriptions returns one page (100) of every subscription, by ARN, without tokens
// and with endpoint passwords masked.
func (s *Service) ListSubscriptions(ctx context.Context, c sluice.Caller, token string) ([]*sluice.Subscription, string, error) {
	if err := s.allow(ctx, c, actListSubscriptions, anyResource); err != nil {
		return nil, "", err
	}
	return s.listSubscriptions(ctx, sluice.SubscriptionFilter{Page: sluice.Page{Token: token, Limit: 100}})
}

// ListSubscriptionsByTopic returns one page (100) of a topic's subscriptions, by ARN.
func (s *Service) ListSubscriptionsByTopic(ctx context.Context, c sluice.Caller, topicARN, token string) ([]*sluice.Subscription, string, error) {
	if err := s.allow(ctx, c, actListSubscriptionsByTopic, topicARN); err != nil {
		return nil, "", err
	}
	if _, err := s.Store.GetTopic(ctx, topicARN); err != nil {
		return nil, "", err
	}
	return s.listSubscriptions(ctx, sluice.SubscriptionFilter{TopicARN: topicARN, Page: sluice.Page{Token: token, Limit: 100}})
}

func (s *Service) listSubscriptions(ctx context.Context, f sluice.SubscriptionFilter) ([]*sluice.Subscription, string, error) {
	subs, next, err := s.Store.ListSubscriptions(ctx, f)
	if sluice.IsCode(err, sluice.EInvalid) {
		return nil, "", snsInvalid("NextToken", "Invalid parameter: NextToken")
	}
	now := s.Now()
	live := subs[:0]
	for _, sub := range subs { // unconfirmed past their token are gone (deleted at the next Subscribe)
		if (sub.Confirmed || sub.TokenExpires.After(now)) && !unsubscribed(sub) {
			sub.Endpoint, sub.Token = MaskEndpoint(sub.Endpoint), "" // the token confirms: only its endpoint gets it
			live = append(live, sub)
		}
	}
	return live, next, err
}

// GetSubscriptionAttributes returns a subscription's attributes, its computed ones included.
func (s *Service) GetSubscriptionAttributes(ctx context.Context, c sluice.Caller, arn string) (map[string]string, error) {
	topicARN := subscriptionTopic(arn)
	if topicARN == "" {
		return nil, snsInvalid("SubscriptionArn", "Invalid parameter: SubscriptionArn")
	}
	if err := s.allow(ctx, c, actGetSubscriptionAttributes, topicARN); err != nil {
		return nil, err
	}
	sub, err := liveSubscription(ctx, s.Store, arn)
	if err != nil {
		return nil, err
	}
	topic, err := s.Store.GetTopic(ctx, sub.TopicARN)
	if err != nil {
		return nil, err
	}
	out := maps.Clone(sub.Attributes)
	if out == nil {
		out = map[string]string{}
	}
	out["SubscriptionArn"], out["TopicArn"], out["Owner"] = sub.ARN, sub.TopicARN, sub.Owner
	out["Protocol"], out["Endpoint"] = sub.Protocol, MaskEndpoint(sub.Endpoint)
	out[attrPendingConfirmation] = boolString(!sub.Confirmed)
	if out[attrConfirmationWasAuthed] == "" {
		out[attrConfirmationWasAuthed] = "false"
	}
	if out[attrRawMessageDelivery] == "" {
		out[attrRawMessageDelivery] = "false"
	}
	out["SubscriptionPrincipal"] = "arn:aws:iam::" + sub.Owner + ":root"
	if out[attrFilterPolicy] != "" && out[attrFilterPolicyScope] == "" {
		out[attrFilterPolicyScope] = scopeAttributes
	}
	if isHTTP(sub.Protocol) {
		out["EffectiveDeliveryPolicy"] = effectiveDeliveryPolicy(topic, sub)
	}
	return out, nil
}

// SetSubscriptionAttributes sets one attribute of a subscription ("" removes it).
func (s *Service) SetSubscriptionAttributes(ctx context.Context, c sluice.Caller, arn, name, value string) error {
	topicARN := subscriptionTopic(arn)
	if topicARN == "" {
		return snsInvalid("SubscriptionArn", "Invalid parameter: SubscriptionArn")
	}
	if !subscriptionSettable[name] {
		return snsInvalid("AttributeName", "Invalid parameter: AttributeName")
	}
	if err := s.allow(ctx, c, actSetSubscriptionAttributes, topicARN); err != nil {
		return err
	}
	value = normAttribute(name, value)
	return s.Store.InTx(ctx, func(x sluice.Executor) error {
		sub, err := liveSubscription(ctx, x, arn)
		if err != nil {
			return err
		}
		if err := checkSubscriptionAttribute(sub.Protocol, name, value); err != nil {
			return err
		}
		sub.Attributes = withAttribute(sub.Attributes, name, value)
		return x.UpdateSubscription(ctx, sub)
	})
}

func boolString(b bool) string {
	if b {
		return "true"
	}
	return "false"
}
