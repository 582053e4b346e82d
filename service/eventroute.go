package service

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"sync"
	"time"

	"sluice"
	"sluice/engine"
	"sluice/eventbus"
	"sluice/eventpattern"
)

// RouteToRules hands an event to the targets of the rules it concerns: a scheduled event
// to the rule that fired, any other event to every enabled rule whose pattern matches. Each
// target's send is idempotent per event (a topic publish's DedupeKey, a start's client
// token, a delivery's key), so an event routed twice reaches each target once. It returns
// an error only when trying again may help; a target that refuses for good (a deleted topic
// or pipeline) is logged and skipped.
func (s *Service) RouteToRules(ctx context.Context, env *eventbus.Envelope) error {
	value := env.Value()
	rules, err := s.rulesFor(ctx, env, value)
	if err != nil || len(rules) == 0 {
		return err
	}
	event := env.JSON()
	for _, r := range rules {
		targets, err := s.Store.EventTargets(ctx, r.Name)
		if sluice.IsCode(err, sluice.ENotFound) {
			continue // deleted meanwhile
		}
		if err != nil {
			return err
		}
		for _, t := range targets {
			input := eventInput(event, value, r, t, s.Now())
			if err := s.sendToTarget(ctx, env, r, t, input); err != nil {
				return err
			}
		}
	}
	return nil
}

// rulesFor is the rules an event goes to.
func (s *Service) rulesFor(ctx context.Context, env *eventbus.Envelope, value map[string]any) ([]*sluice.EventRule, error) {
	ev := &env.Record.Event
	if ev.DetailType == sluice.DetailScheduled && ev.EventSource() == sluice.SourceSchedule {
		name := s.eventRuleName(ev.Rule)
		r, err := s.Store.GetEventRule(ctx, name)
		if sluice.IsCode(err, sluice.ENotFound) || name == "" {
			return nil, nil
		}
		if err != nil || r.State != sluice.RuleEnabled {
			return nil, err
		}
		return []*sluice.EventRule{r}, nil
	}
	all, err := s.Store.EnabledEventRules(ctx)
	if err != nil || len(all) == 0 {
		return nil, err
	}
	var out []*sluice.EventRule
	for _, r := range all {
		if p := s.patterns.get(r.EventPattern); p != nil && p.Match(value) {
			out = append(out, r)
		}
	}
	return out, nil
}

func (s *Service) sendToTarget(ctx context.Context, env *eventbus.Envelope, r *sluice.EventRule, t *sluice.EventTarget, input string) error {
	key := env.ID + "/" + r.ARN + "/" + t.ID
	kind, name := s.eventTarget(t.ARN)
	var err error
	switch kind {
	case targetTopic:
		_, err = s.Publish(ctx, sluice.ServerCaller(), sluice.PublishInput{TopicARN: t.ARN, Message: input, DedupeKey: key})
	case targetPipeline:
		err = s.startFromRule(ctx, name, r, key)
	case targetURL:
		err = s.Store.EnqueueDeliveries(ctx, webhookDelivery(env, r, t, input, key, s.Now()))
	default:
		return nil
	}
	if code := sluice.ErrorCode(err); code != "" && code != sluice.EInternal {
		slog.WarnContext(ctx, "eventbridge: a target refused an event", "rule", r.ARN, "target", t.ID, "arn", t.ARN,
			"event", env.ID, "err", err)
		return nil
	}
	return err
}

// startFromRule starts a pipeline as EventBridge does: triggered by CloudWatchEvent with
// the rule's ARN as the detail, once per event and target (the client token).
func (s *Service) startFromRule(ctx context.Context, pipeline string, r *sluice.EventRule, key string) error {
	sum := sha256.Sum256([]byte(key))
	_, err := s.Engine.Start(ctx, engine.StartParams{Pipeline: pipeline, ClientToken: "events-" + hex.EncodeToString(sum[:16]),
		Trigger: sluice.Trigger{Type: sluice.TriggerCloudWatchEvent, Detail: r.ARN}})
	return err
}

// webhookDelivery is an http(s) target's delivery: the input, POSTed, retried by the
// target's RetryPolicy (EventBridge's defaults when it has none).
func webhookDelivery(env *eventbus.Envelope, r *sluice.EventRule, t *sluice.EventTarget, input, key string, now time.Time) *sluice.Delivery {
	d := &sluice.Delivery{ID: env.ID, Key: key, Target: r.ARN + "/" + t.ID, Protocol: sluice.ProtocolWebhook, Endpoint: t.ARN,
		Message: input, Created: now, Status: sluice.DeliveryPending}
	if t.MaxRetries != nil || t.MaxEventAge != nil {
		d.Policy = sluice.RetryPolicy{NumRetries: 185, MinDelay: time.Second, MaxDelay: 10 * time.Minute, Backoff: "exponential",
			MaxAge: 24 * time.Hour}
		if t.MaxRetries != nil {
			d.Policy.NumRetries = *t.MaxRetries
		}
		if t.MaxEventAge != nil {
			d.Policy.MaxAge = time.Duration(*t.MaxEventAge) * time.Second
		}
	}
	return d
}

// patternCache keeps compiled patterns by text, so routing compiles each rule's once. It
// holds at most maxCachedPatterns; past that it starts over.
type patternCache struct {
	mu sync.Mutex
	m  map[string]*eventpattern.Pattern
}

const maxCachedPatterns = 10000

// get is text compiled (nil for an invalid pattern: stored patterns were valid when put).
func (c *patternCache) get(text string) *eventpattern.Pattern {
	c.mu.Lock()
	defer c.mu.Unlock()
	if p, ok := c.m[text]; ok {
		return p
	}
	if c.m == nil || len(c.m) >= maxCachedPatterns {
		c.m = map[string]*eventpattern.Pattern{}
	}
	p, err := eventpattern.Compile(text)
	if err != nil {
		p = nil
	}
	c.m[text] = p
	return p
}
