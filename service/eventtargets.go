package service

import (
	"context"
	"encoding/json"
	"net/url"
	"strings"

	"sluice"
)

// targetKind is what a target's Arn names.
type targetKind int

const (
	targetNone     targetKind = iota
	targetTopic               // an SNS topic of this server: Publish
	targetPipeline            // a pipeline of this server: start it
	targetURL                 // an http(s) URL: POST the input
)

// eventTarget is what arn names, and the topic or pipeline name.
func (s *Service) eventTarget(arn string) (targetKind, string) {
	scope := s.Scope()
	if name, ok := scope.ID(sluice.TopicARN, arn); ok && name != "" && !strings.ContainsAny(name, ":/") {
		return targetTopic, name
	}
	if name, ok := scope.ID(sluice.PipelineARN, arn); ok && name != "" && !strings.ContainsAny(name, ":/") {
		return targetPipeline, name
	}
	if u, err := url.Parse(arn); err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" {
		return targetURL, arn
	}
	return targetNone, ""
}

// TargetFailure is one target PutTargets or RemoveTargets did not take.
type TargetFailure struct {
	TargetID, Code, Message string
}

// checkTarget refuses what AWS refuses for the whole PutTargets call.
func (s *Service) checkTarget(t *sluice.EventTarget) error {
	n := 0
	for _, set := range []bool{t.Input != "", t.InputPath != "", t.InputTransformer != nil} {
		if set {
			n++
		}
	}
	if n > 1 {
		return eventErr("Only one of Input, InputPath, or InputTransformer must be provided for target %s.", t.ID)
	}
	if t.Input != "" && !json.Valid([]byte(t.Input)) {
		return eventErr("Input for target %s must be valid JSON text.", t.ID)
	}
	if t.InputPath != "" {
		if _, ok := parseJSONPath(t.InputPath); !ok {
			return eventErr("InputPath for target %s must be a valid JSON path.", t.ID)
		}
	}
	if t.InputTransformer != nil {
		if err := checkTransformer(t.InputTransformer); err != nil {
			return err
		}
	}
	if t.MaxRetries != nil && (*t.MaxRetries < 0 || *t.MaxRetries > 185) {
		return eventErr("RetryPolicy.MaximumRetryAttempts must be between 0 and 185.")
	}
	if t.MaxEventAge != nil && (*t.MaxEventAge < 60 || *t.MaxEventAge > 86400) {
		return eventErr("RetryPolicy.MaximumEventAgeInSeconds must be between 60 and 86400.")
	}
	if kind, _ := s.eventTarget(t.ARN); kind == targetPipeline && t.RoleARN == "" {
		return eventErr("RoleArn is required for target %s.", t.ARN)
	}
	return nil
}

// PutTargets adds targets to a rule or replaces those of the same ID. A target whose Arn
// names nothing Sluice can send to is a failed entry; the others are stored.
func (s *Service) PutTargets(ctx context.Context, c sluice.Caller, rule, bus string, ts []*sluice.EventTarget) ([]TargetFailure, error) {
	if err := s.allow(ctx, c, actPutTargets, s.Scope().ARN(sluice.EventRuleARN, rule)); err != nil {
		return nil, err
	}
	if err := s.CheckEventBus(bus); err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var ok []*sluice.EventTarget
	var failed []TargetFailure
	for _, t := range ts {
		if seen[t.ID] {
			return nil, eventErr("The target id %s appears more than once in the request.", t.ID)
		}
		seen[t.ID] = true
		if err := s.checkTarget(t); err != nil {
			return nil, err
		}
		if kind, _ := s.eventTarget(t.ARN); kind == targetNone {
			failed = append(failed, TargetFailure{TargetID: t.ID, Code: "ValidationException",
				Message: "Sluice sends to SNS topics and pipelines of this server and to http(s) URLs; " + t.ARN + " is none of these."})
			continue
		}
		ok = append(ok, t)
	}
	if _, err := s.Store.GetEventRule(ctx, rule); err != nil {
		return nil, err
	}
	if len(ok) == 0 {
		return failed, nil
	}
	return failed, s.Store.PutEventTargets(ctx, rule, ok)
}

// RemoveTargets removes a rule's targets by ID.
func (s *Service) RemoveTargets(ctx context.Context, c sluice.Caller, rule, bus string, ids []string) error {
	if err := s.allow(ctx, c, actRemoveTargets, s.Scope().ARN(sluice.EventRuleARN, rule)); err != nil {
		return err
	}
	if err := s.CheckEventBus(bus); err != nil {
		return err
	}
	ruleARN := s.Scope().ARN(sluice.EventRuleARN, rule)
	return s.Store.InTx(ctx, func(x sluice.Executor) error {
		if err := x.RemoveEventTargets(ctx, rule, ids); err != nil {
			return err
		}
		for _, id := range ids { // an HTTP target's queued events are not sent
			if _, err := x.CancelDeliveries(ctx, sluice.DeliveryCancel{Target: ruleARN + "/" + id, Reason: "the rule's target was removed"}); err != nil {
				return err
			}
		}
		return nil
	})
}

// ListTargetsByRule returns a page of a rule's targets, by ID.
func (s *Service) ListTargetsByRule(ctx context.Context, c sluice.Caller, rule, bus string, page sluice.Page) ([]*sluice.EventTarget, string, error) {
	if err := s.allow(ctx, c, actListTargetsByRule, s.Scope().ARN(sluice.EventRuleARN, rule)); err != nil {
		return nil, "", err
	}
	if err := s.CheckEventBus(bus); err != nil {
		return nil, "", err
	}
	ts, err := s.Store.EventTargets(ctx, rule)
	if err != nil {
		return nil, "", err
	}
	return offsetPage(ts, page.Token, "targets", rule, page.Limit)
}
