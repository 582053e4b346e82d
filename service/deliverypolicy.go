package service

import (
	"bytes"
	"encoding/json"
	"time"

	"sluice"
)

// retryJSON is SNS's healthyRetryPolicy (§3.8); absent members take the defaults.
type retryJSON struct {
	MinDelayTarget     *int   `json:"minDelayTarget,omitempty"`
	MaxDelayTarget     *int   `json:"maxDelayTarget,omitempty"`
	NumRetries         *int   `json:"numRetries,omitempty"`
	NumMaxDelayRetries *int   `json:"numMaxDelayRetries,omitempty"`
	NumNoDelayRetries  *int   `json:"numNoDelayRetries,omitempty"`
	NumMinDelayRetries *int   `json:"numMinDelayRetries,omitempty"`
	BackoffFunction    string `json:"backoffFunction,omitempty"`
}

// subscriptionPolicy is a subscription's DeliveryPolicy attribute.
type subscriptionPolicy struct {
	HealthyRetryPolicy *retryJSON      `json:"healthyRetryPolicy,omitempty"`
	ThrottlePolicy     json.RawMessage `json:"throttlePolicy,omitempty"`
	RequestPolicy      json.RawMessage `json:"requestPolicy,omitempty"`
}

// topicPolicy is a topic's DeliveryPolicy attribute: defaults per protocol family.
type topicPolicy struct {
	HTTP *struct {
		DefaultHealthyRetryPolicy    *retryJSON      `json:"defaultHealthyRetryPolicy,omitempty"`
		DisableSubscriptionOverrides bool            `json:"disableSubscriptionOverrides,omitempty"`
		DefaultThrottlePolicy        json.RawMessage `json:"defaultThrottlePolicy,omitempty"`
		DefaultRequestPolicy         json.RawMessage `json:"defaultRequestPolicy,omitempty"`
	} `json:"http,omitempty"`
}

// retryPolicy is a complete healthyRetryPolicy, in the order SNS prints it.
type retryPolicy struct {
	MinDelayTarget     int    `json:"minDelayTarget"`
	MaxDelayTarget     int    `json:"maxDelayTarget"`
	NumRetries         int    `json:"numRetries"`
	NumMaxDelayRetries int    `json:"numMaxDelayRetries"`
	NumNoDelayRetries  int    `json:"numNoDelayRetries"`
	NumMinDelayRetries int    `json:"numMinDelayRetries"`
	BackoffFunction    string `json:"backoffFunction"`
}

// defaultHTTPRetry is SNS's default for http/s: 3 retries 20 s apart (4 attempts in ~60 s).
var defaultHTTPRetry = retryPolicy{MinDelayTarget: 20, MaxDelayTarget: 20, NumRetries: 3, BackoffFunction: "linear"}

func (p *retryPolicy) apply(o *retryJSON) {
	if o == nil {
		return
	}
	set := func(dst *int, v *int) {
		if v != nil {
			*dst = *v
		}
	}
	set(&p.MinDelayTarget, o.MinDelayTarget)
	set(&p.MaxDelayTarget, o.MaxDelayTarget)
	set(&p.NumRetries, o.NumRetries)
	set(&p.NumMaxDelayRetries, o.NumMaxDelayRetries)
	set(&p.NumNoDelayRetries, o.NumNoDelayRetries)
	set(&p.NumMinDelayRetries, o.NumMinDelayRetries)
	if o.BackoffFunction != "" {
		p.BackoffFunction = o.BackoffFunction
	}
}

// check holds a complete policy to SNS's bounds.
func (p retryPolicy) check() error {
	bad := func(what string) error {
		return snsInvalid("DeliveryPolicy", "Invalid parameter: DeliveryPolicy: %s", what)
	}
	switch {
	case p.NumRetries < 0 || p.NumRetries > 100:
		return bad("numRetries must be between 0 and 100")
	case p.MinDelayTarget < 1 || p.MinDelayTarget > p.MaxDelayTarget:
		return bad("minDelayTarget must be between 1 and maxDelayTarget")
	case p.MaxDelayTarget > 3600:
		return bad("maxDelayTarget must be at most 3600")
	case p.NumNoDelayRetries < 0 || p.NumMinDelayRetries < 0 || p.NumMaxDelayRetries < 0:
		return bad("retry counts must not be negative")
	case p.NumNoDelayRetries+p.NumMinDelayRetries+p.NumMaxDelayRetries > p.NumRetries:
		return bad("numNoDelayRetries + numMinDelayRetries + numMaxDelayRetries must not exceed numRetries")
	}
	switch p.BackoffFunction {
	case "linear", "arithmetic", "geometric", "exponential":
		return nil
	}
	return bad("backoffFunction must be one of linear, arithmetic, geometric, exponential")
}

// decodeStrict decodes a policy document, refusing unknown members.
func decodeStrict(doc string, v any) error {
	d := json.NewDecoder(bytes.NewReader([]byte(doc)))
	d.DisallowUnknownFields()
	if err := d.Decode(v); err != nil {
		return snsInvalid("DeliveryPolicy", "Invalid parameter: DeliveryPolicy: %v", err)
	}
	return nil
}

// checkSubscriptionPolicy checks a subscription's DeliveryPolicy attribute.
func checkSubscriptionPolicy(doc string) error {
	var sp subscriptionPolicy
	if err := decodeStrict(doc, &sp); err != nil {
		return err
	}
	p := defaultHTTPRetry
	p.apply(sp.HealthyRetryPolicy)
	return p.check()
}

// checkTopicPolicy checks a topic's DeliveryPolicy attribute.
func checkTopicPolicy(doc string) error {
	var tp topicPolicy
	if err := decodeStrict(doc, &tp); err != nil {
		return err
	}
	if tp.HTTP == nil {
		return nil
	}
	p := defaultHTTPRetry
	p.apply(tp.HTTP.DefaultHealthyRetryPolicy)
	return p.check()
}

// effectiveRetry merges SNS's default, the topic's default and the subscription's own
// policy (unless the topic disables overrides). Documents were checked when set; a part that
// no longer decodes is skipped.
func effectiveRetry(topic *sluice.Topic, sub *sluice.Subscription) (retryPolicy, json.RawMessage) {
	p := defaultHTTPRetry
	var throttle json.RawMessage
	var tp topicPolicy
	overrides := true
	if doc := topic.Attributes[attrDeliveryPolicy]; doc != "" && json.Unmarshal([]byte(doc), &tp) == nil && tp.HTTP != nil {
		p.apply(tp.HTTP.DefaultHealthyRetryPolicy)
		throttle = tp.HTTP.DefaultThrottlePolicy
		overrides = !tp.HTTP.DisableSubscriptionOverrides
	}
	var sp subscriptionPolicy
	if doc := sub.Attributes[attrDeliveryPolicy]; overrides && doc != "" && json.Unmarshal([]byte(doc), &sp) == nil {
		p.apply(sp.HealthyRetryPolicy)
		if sp.ThrottlePolicy != nil {
			throttle = sp.ThrottlePolicy
		}
	}
	return p, throttle
}

// effectiveDeliveryPolicy is the EffectiveDeliveryPolicy attribute of an http/s subscription.
func effectiveDeliveryPolicy(topic *sluice.Topic, sub *sluice.Subscription) string {
	p, throttle := effectiveRetry(topic, sub)
	if throttle == nil {
		throttle = json.RawMessage("null")
	}
	b, _ := json.Marshal(struct {
		Healthy    retryPolicy     `json:"healthyRetryPolicy"`
		Sickly     *struct{}       `json:"sicklyRetryPolicy"`
		Throttle   json.RawMessage `json:"throttlePolicy"`
		Guaranteed bool            `json:"guaranteed"`
	}{Healthy: p, Throttle: throttle})
	return string(b)
}

// deliveryRetry is the RetryPolicy of a delivery to sub: the effective delivery policy of
// an http/s subscription; none for mail, which the deliverer then retries by its default.
func deliveryRetry(topic *sluice.Topic, sub *sluice.Subscription) sluice.RetryPolicy {
	if !isHTTP(sub.Protocol) {
		return sluice.RetryPolicy{}
	}
	p, _ := effectiveRetry(topic, sub)
	return sluice.RetryPolicy{NumRetries: p.NumRetries, MinDelay: time.Duration(p.MinDelayTarget) * time.Second,
		MaxDelay: time.Duration(p.MaxDelayTarget) * time.Second, Backoff: p.BackoffFunction,
		NoDelayRetries: p.NumNoDelayRetries, MinDelayRetries: p.NumMinDelayRetries, MaxDelayRetries: p.NumMaxDelayRetries,
		MaxAge: time.Hour}
}

func isHTTP(protocol string) bool {
	return protocol == sluice.ProtocolHTTP || protocol == sluice.ProtocolHTTPS
}
