package service

import (
	"context"
	"encoding/json"
	"maps"
	"regexp"
	"strconv"
	"sync"

	"sluice"
)

// SNS attribute names Sluice reads.
const (
	attrDisplayName        = "DisplayName"
	attrPolicy             = "Policy"
	attrDeliveryPolicy     = "DeliveryPolicy"
	attrSignatureVersion   = "SignatureVersion"
	attrRawMessageDelivery = "RawMessageDelivery"
	attrFifoTopic          = "FifoTopic"
)

// topicSettable are the topic attributes CreateTopic and SetTopicAttributes take; Sluice
// keeps those it does not act on (tracing, KMS, feedback roles) and echoes them.
var topicSettable = map[string]bool{
	attrDisplayName: true, attrPolicy: true, attrDeliveryPolicy: true, attrSignatureVersion: true,
	"TracingConfig": true, "KmsMasterKeyId": true, "DataProtectionPolicy": true,
	"HTTPSuccessFeedbackRoleArn": true, "HTTPFailureFeedbackRoleArn": true, "HTTPSuccessFeedbackSampleRate": true,
	attrFifoTopic: true, "ContentBasedDeduplication": true,
}

var topicName = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`) })

// checkTopicAttribute checks one attribute a request sets on a topic.
func checkTopicAttribute(name, value string) error {
	if !topicSettable[name] {
		return snsInvalid("AttributeName", "Invalid parameter: AttributeName")
	}
	switch name {
	case attrSignatureVersion:
		if value != "1" && value != "2" {
			return snsInvalid("SignatureVersion", "Invalid parameter: SignatureVersion")
		}
	case attrDeliveryPolicy:
		if value != "" {
			return checkTopicPolicy(value)
		}
	case attrPolicy:
		if value != "" && !json.Valid([]byte(value)) {
			return snsInvalid("Policy", "Invalid parameter: Policy Error: null")
		}
	case attrFifoTopic:
		if value == "true" {
			return snsInvalid("Attributes", "Invalid parameter: Attributes Reason: Sluice does not serve FIFO topics")
		}
	}
	return nil
}

// CreateTopic creates a topic, or answers the ARN of the topic of that name when its
// attributes are those given (SNS's idempotence by name).
func (s *Service) CreateTopic(ctx context.Context, c sluice.Caller, name string, attrs map[string]string, tags []sluice.Tag) (string, error) {
	if !topicName().MatchString(name) {
		return "", snsInvalid("Name", "Invalid parameter: Topic Name")
	}
	for k, v := range attrs {
		if err := checkTopicAttribute(k, v); err != nil {
			return "", err
		}
	}
	if err := CheckTags(tags); err != nil {
		return "", snsTagErr(err)
	}
	arn := s.Scope().ARN(sluice.TopicARN, name)
	if err := s.allow(ctx, c, actCreateTopic, arn); err != nil {
		return "", err
	}
	t := &sluice.Topic{ARN: arn, Name: name, Attributes: attrs, Created: s.Now()}
	err := s.Store.InTx(ctx, func(x sluice.Executor) error {
		old, err := x.GetTopic(ctx, arn)
		if err == nil {
			return sameTopic(old, attrs)
		}
		if !sluice.IsCode(err, sluice.ENotFound) {
			return err
		}
		if err := x.CreateTopic(ctx, t); err != nil {
			return err
		}
		if len(tags) == 0 {
			return nil
		}
		return x.TagResource(ctx, arn, tagMap(tags))
	})
	return arn, err
}

// sameTopic refuses a CreateTopic of an existing name with other attributes.
func sameTopic(old *sluice.Topic, attrs map[string]string) error {
	for k, v := range attrs {
		if old.Attributes[k] != v {
			return snsInvalid("Attributes", "Invalid parameter: Attributes Reason: Topic already exists with different attributes")
		}
	}
	return nil
}

// DeleteTopic removes a topic with its subscriptions and tags; deleting a topic that does
// not exist succeeds, as on SNS.
func (s *Service) DeleteTopic(ctx context.Context, c sluice.Caller, arn string) error {
	if err := s.allow(ctx, c, actDeleteTopic, arn); err != nil {
		return err
	}
	err := s.Store.InTx(ctx, func(x sluice.Executor) error {
		if err := x.DeleteTopic(ctx, arn); err != nil {
			return err
		}
		_, err := x.CancelDeliveries(ctx, sluice.DeliveryCancel{TopicARN: arn, Reason: "the topic was deleted"})
		return err
	})
	if sluice.IsCode(err, sluice.ENotFound) {
		return nil
	}
	return err
}

// ListTopics returns one page of the topics (100 a page, SNS's size), by ARN.
func (s *Service) ListTopics(ctx context.Context, c sluice.Caller, token string) ([]string, string, error) {
	if err := s.allow(ctx, c, actListTopics, anyResource); err != nil {
		return nil, "", err
	}
	ts, next, err := s.Store.ListTopics(ctx, sluice.Page{Token: token, Limit: 100})
	if sluice.IsCode(err, sluice.EInvalid) {
		return nil, "", snsInvalid("NextToken", "Invalid parameter: NextToken")
	}
	arns := make([]string, len(ts))
	for i, t := range ts {
		arns[i] = t.ARN
	}
	return arns, next, err
}

// GetTopicAttributes returns the topic's attributes, its computed ones included.
func (s *Service) GetTopicAttributes(ctx context.Context, c sluice.Caller, arn string) (map[string]string, error) {
	if err := s.allow(ctx, c, actGetTopicAttributes, arn); err != nil {
		return nil, err
	}
	t, err := s.Store.GetTopic(ctx, arn)
	if err != nil {
		return nil, err
	}
	confirmed, pending, err := s.Store.CountSubscriptions(ctx, arn)
	if err != nil {
		return nil, err
	}
	deleted := 0
	if pending > 0 {
		if pending, deleted, err = s.countUnconfirmed(ctx, arn); err != nil {
			return nil, err
		}
	}
	out := maps.Clone(t.Attributes)
	if out == nil {
		out = map[string]string{}
	}
	out["TopicArn"] = t.ARN
	out["Owner"] = s.Account()
	out["SubscriptionsConfirmed"] = strconv.Itoa(confirmed)
	out["SubscriptionsPending"] = strconv.Itoa(pending)
	out["SubscriptionsDeleted"] = strconv.Itoa(deleted)
	out[attrSignatureVersion] = signatureVersion(t)
	if out[attrDisplayName] == "" {
		out[attrDisplayName] = ""
	}
	if out[attrPolicy] == "" {
		out[attrPolicy] = s.defaultTopicPolicy(t.ARN)
	}
	out["EffectiveDeliveryPolicy"] = effectiveTopicPolicy(t)
	return out, nil
}

// countUnconfirmed counts a topic's pending subscriptions (their token still valid) and its
// unsubscribed ones that can still be restored.
func (s *Service) countUnconfirmed(ctx context.Context, arn string) (pending, deleted int, err error) {
	now := s.Now()
	f := sluice.SubscriptionFilter{TopicARN: arn, Page: sluice.Page{Limit: 1000}}
	for {
		subs, next, err := s.Store.ListSubscriptions(ctx, f)
		if err != nil {
			return 0, 0, err
		}
		for _, sub := range subs {
			switch {
			case unsubscribed(sub):
				deleted++
			case !sub.Confirmed && sub.TokenExpires.After(now):
				pending++
			}
		}
		if next == "" {
			return pending, deleted, nil
		}
		f.Token = next
	}
}

// SetTopicAttributes sets one attribute of a topic ("" removes it).
func (s *Service) SetTopicAttributes(ctx context.Context, c sluice.Caller, arn, name, value string) error {
	if err := checkTopicAttribute(name, value); err != nil {
		return err
	}
	if err := s.allow(ctx, c, actSetTopicAttributes, arn); err != nil {
		return err
	}
	return s.Store.InTx(ctx, func(x sluice.Executor) error {
		t, err := x.GetTopic(ctx, arn)
		if err != nil {
			return err
		}
		attrs := maps.Clone(t.Attributes)
		if attrs == nil {
			attrs = map[string]string{}
		}
		if value == "" {
			delete(attrs, name)
		} else {
			attrs[name] = value
		}
		return x.SetTopicAttributes(ctx, arn, attrs)
	})
}

// defaultTopicPolicy is the access policy SNS gives a new topic: the owner's account may do
// everything with it.
func (s *Service) defaultTopicPolicy(arn string) string {
	b, _ := json.Marshal(map[string]any{
		"Version": "2008-10-17",
		"Id":      "__default_policy_ID",
		"Statement": []any{map[string]any{
			"Sid":       "__default_statement_ID",
			"Effect":    "Allow",
			"Principal": map[string]string{"AWS": "*"},
			"Action": []string{"SNS:GetTopicAttributes", "SNS:SetTopicAttributes", "SNS:AddPermission",
				"SNS:RemovePermission", "SNS:DeleteTopic", "SNS:Subscribe", "SNS:ListSubscriptionsByTopic", "SNS:Publish"},
			"Resource":  arn,
			"Condition": map[string]any{"StringEquals": map[string]string{"AWS:SourceOwner": s.Account()}},
		}},
	})
	return string(b)
}

// effectiveTopicPolicy is a topic's EffectiveDeliveryPolicy: its http defaults merged on SNS's.
func effectiveTopicPolicy(t *sluice.Topic) string {
	p := defaultHTTPRetry
	disable := false
	var tp topicPolicy
	if doc := t.Attributes[attrDeliveryPolicy]; doc != "" && json.Unmarshal([]byte(doc), &tp) == nil && tp.HTTP != nil {
		p.apply(tp.HTTP.DefaultHealthyRetryPolicy)
		disable = tp.HTTP.DisableSubscriptionOverrides
	}
	type httpPolicy struct {
		Retry   retryPolicy       `json:"defaultHealthyRetryPolicy"`
		Disable bool              `json:"disableSubscriptionOverrides"`
		Request map[string]string `json:"defaultRequestPolicy"`
	}
	b, _ := json.Marshal(map[string]httpPolicy{"http": {Retry: p, Disable: disable,
		Request: map[string]string{"headerContentType": "text/plain; charset=UTF-8"}}})
	return string(b)
}
