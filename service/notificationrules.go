package service

import (
	"context"
	"crypto/rand"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"slices"
	"strings"

	"sluice"
)

// Quotas of CodeStar Notifications.
const (
	maxRulesPerResource = 10
	maxRulesPerAccount  = 1000
	maxRuleTargets      = 10
)

// ResourceTargetConfiguration marks a target that cannot be used (ConfigurationException).
const ResourceTargetConfiguration = "TargetConfiguration"

func ruleInvalid(format string, args ...any) error {
	return sluice.Errorf(sluice.EInvalid, "", format, args...)
}

// NotificationTargetIn is a target as a request names it.
type NotificationTargetIn struct {
	Type, Address string
}

// CreateNotificationRuleParams creates a notification rule.
type CreateNotificationRuleParams struct {
	Name         string
	Resource     string
	EventTypeIDs []string
	Targets      []NotificationTargetIn
	DetailType   string
	Status       string // "": ENABLED
	Token        string // ClientRequestToken: a retry with the same token and name answers the same rule
	Tags         map[string]string
}

// CreateNotificationRule creates a rule on a pipeline of this server and returns its ARN.
func (s *Service) CreateNotificationRule(ctx context.Context, c sluice.Caller, p CreateNotificationRuleParams) (string, error) {
	now := s.Now()
	r := &sluice.NotificationRule{ARN: s.Scope().ARN(sluice.NotificationRuleARN, ruleID(s.Account(), p.Token)), Name: p.Name,
		Resource: p.Resource, EventTypeIDs: p.EventTypeIDs, DetailType: p.DetailType, Status: p.Status,
		CreatedBy: c.Principal, Created: now, Modified: now}
	if r.Status == "" {
		r.Status = sluice.NotificationRuleEnabled
	}
	if err := s.allow(ctx, c, actCreateNotificationRule, r.ARN); err != nil {
		return "", err
	}
	if err := CheckTags(TagList(p.Tags)); err != nil {
		return "", err
	}
	if err := s.checkRuleFields(ctx, r); err != nil {
		return "", err
	}
	targets, err := s.ruleTargets(ctx, p.Targets)
	if err != nil {
		return "", err
	}
	r.Targets = targets
	err = s.Store.InTx(ctx, func(x sluice.Executor) error {
		if p.Token != "" {
			if old, err := x.GetNotificationRule(ctx, r.ARN); err == nil && old.Name == r.Name {
				return nil // the same request again
			}
		}
		if err := checkRuleQuotas(ctx, x, r.Resource); err != nil {
			return err
		}
		if err := x.CreateNotificationRule(ctx, r); err != nil {
			return err
		}
		return x.TagResource(ctx, r.ARN, p.Tags)
	})
	if err != nil {
		return "", err
	}
	return r.ARN, nil
}

// ruleID is a new rule's id: 40 hex digits, random, or derived from the client request
// token so that a retry names the same rule.
func ruleID(account, token string) string {
	if token == "" {
		b := make([]byte, 20)
		_, _ = rand.Read(b)
		return hex.EncodeToString(b)
	}
	h := sha1.Sum([]byte(account + "/notificationrule/" + token))
	return hex.EncodeToString(h[:])
}

func checkRuleQuotas(ctx context.Context, x sluice.Executor, resource string) error {
	on, err := x.NotificationRulesFor(ctx, resource)
	if err != nil {
		return err
	}
	if len(on) >= maxRulesPerResource {
		return sluice.Errorf(sluice.ELimit, "", "A resource can have at most %d notification rules.", maxRulesPerResource)
	}
	all, _, err := x.ListNotificationRules(ctx, sluice.NotificationRuleFilter{Page: sluice.Page{Limit: maxRulesPerAccount + 1}})
	if err != nil {
		return err
	}
	if len(all) >= maxRulesPerAccount {
		return sluice.Errorf(sluice.ELimit, "", "An account can have at most %d notification rules.", maxRulesPerAccount)
	}
	return nil
}

// checkRuleFields checks what the wire's member checks cannot: the resource is a pipeline of
// this server, the event types are CodePipeline's, the enums are known.
func (s *Service) checkRuleFields(ctx context.Context, r *sluice.NotificationRule) error {
	name, ok := s.Scope().ID(sluice.PipelineARN, r.Resource)
	if !ok || name == "" || strings.ContainsAny(name, ":/") {
		return ruleInvalid("Resource %s is not a pipeline ARN of this server (%s<name>).", r.Resource, s.Scope().ARN(sluice.PipelineARN, ""))
	}
	if _, err := s.Store.GetPipeline(ctx, name, 0); err != nil {
		if sluice.IsCode(err, sluice.ENotFound) {
			return ruleInvalid("Resource %s does not exist.", r.Resource)
		}
		return err
	}
	if len(r.EventTypeIDs) == 0 {
		return ruleInvalid("EventTypeIds must name at least one event type.")
	}
	for _, id := range r.EventTypeIDs {
		if !isEventType(id) {
			return ruleInvalid("Event type %s is not valid for resource type Pipeline of service CodePipeline.", id)
		}
	}
	slices.Sort(r.EventTypeIDs)
	r.EventTypeIDs = slices.Compact(r.EventTypeIDs)
	if r.DetailType != sluice.NotificationBasic && r.DetailType != sluice.NotificationFull {
		return ruleInvalid("DetailType must be BASIC or FULL.")
	}
	if r.Status != sluice.NotificationRuleEnabled && r.Status != sluice.NotificationRuleDisabled {
		return ruleInvalid("Status must be ENABLED or DISABLED.")
	}
	return nil
}

// ruleTargets checks the targets a request names: SNS topics of this server's region and
// account, and chat channels configured here whose kind matches the target type.
func (s *Service) ruleTargets(ctx context.Context, in []NotificationTargetIn) ([]sluice.NotificationTarget, error) {
	if len(in) > maxRuleTargets {
		return nil, sluice.Errorf(sluice.ELimit, "", "A notification rule can have at most %d targets.", maxRuleTargets)
	}
	var out []sluice.NotificationTarget
	for _, t := range in {
		if err := s.checkRuleTarget(ctx, t); err != nil {
			return nil, err
		}
		if !slices.ContainsFunc(out, func(o sluice.NotificationTarget) bool { return o.Address == t.Address }) {
			out = append(out, sluice.NotificationTarget{Address: t.Address, Type: t.Type, Status: sluice.TargetActive})
		}
	}
	return out, nil
}

func (s *Service) checkRuleTarget(ctx context.Context, t NotificationTargetIn) error {
	switch t.Type {
	case sluice.TargetSNS:
		if name, ok := s.Scope().ID(sluice.TopicARN, t.Address); !ok || name == "" || strings.ContainsAny(name, ":/") {
			return ruleInvalid("TargetAddress %s is not an SNS topic ARN of this server's region and account.", t.Address)
		}
		return nil
	case sluice.TargetSlack, sluice.TargetTeams:
		ch, err := s.Store.GetChatChannel(ctx, t.Address)
		if sluice.IsCode(err, sluice.ENotFound) {
			return sluice.Errorf(sluice.EInvalid, ResourceTargetConfiguration, "No chat channel %s is configured in Sluice (sluice chat-channels create).", t.Address)
		}
		if err != nil {
			return err
		}
		if want := chatKind(t.Type); ch.Kind != want {
			return ruleInvalid("Chat channel %s is a %s channel, not %s.", t.Address, ch.Kind, want)
		}
		return nil
	case "":
		return ruleInvalid("TargetType is required.")
	}
	return ruleInvalid("TargetType %s is not supported: use SNS, AWSChatbotSlack or AWSChatbotMicrosoftTeams.", t.Type)
}

func chatKind(targetType string) string {
	if targetType == sluice.TargetTeams {
		return sluice.ProtocolTeams
	}
	return sluice.ProtocolSlack
}

// rule finds a rule after asking whether the caller may do action on it (ENotFound when the
// ARN names no rule).
func (s *Service) rule(ctx context.Context, c sluice.Caller, action, arn string) (*sluice.NotificationRule, error) {
	if err := s.allow(ctx, c, action, arn); err != nil {
		return nil, err
	}
	r, err := s.Store.GetNotificationRule(ctx, arn)
	if sluice.IsCode(err, sluice.ENotFound) {
		return nil, sluice.Errorf(sluice.ENotFound, "", "Notification rule %s does not exist.", arn)
	}
	return r, err
}

// NotificationRuleView is a rule as DescribeNotificationRule shows it.
type NotificationRuleView struct {
	*sluice.NotificationRule
	EventTypes []EventType
	Tags       map[string]string
}

// DescribeNotificationRule returns a rule with its event types and tags.
func (s *Service) DescribeNotificationRule(ctx context.Context, c sluice.Caller, arn string) (*NotificationRuleView, error) {
	r, err := s.rule(ctx, c, actDescribeNotificationRule, arn)
	if err != nil {
		return nil, err
	}
	tags, err := s.Store.ListTags(ctx, arn)
	if err != nil {
		return nil, err
	}
	v := &NotificationRuleView{NotificationRule: r, Tags: tags}
	for _, id := range r.EventTypeIDs {
		if i := slices.IndexFunc(eventTypes, func(e EventType) bool { return e.ID == id }); i >= 0 {
			v.EventTypes = append(v.EventTypes, eventTypes[i])
		}
	}
	return v, nil
}

// UpdateNotificationRuleParams changes a rule: each field set replaces the rule's.
type UpdateNotificationRuleParams struct {
	ARN          string
	Name         *string
	Status       *string
	EventTypeIDs []string // nil: unchanged
	Targets      []NotificationTargetIn
	HasTargets   bool
	DetailType   *string
}

// UpdateNotificationRule changes a rule's name, status, event types, targets or detail type.
func (s *Service) UpdateNotificationRule(ctx context.Context, c sluice.Caller, p UpdateNotificationRuleParams) error {
	return s.changeRule(ctx, c, actUpdateNotificationRule, p.ARN, func(r *sluice.NotificationRule) error {
		if p.Name != nil {
			r.Name = *p.Name
		}
		if p.Status != nil {
			r.Status = *p.Status
		}
		if p.EventTypeIDs != nil {
			r.EventTypeIDs = p.EventTypeIDs
		}
		if p.DetailType != nil {
			r.DetailType = *p.DetailType
		}
		if err := s.checkRuleFields(ctx, r); err != nil {
			return err
		}
		if !p.HasTargets {
			return nil
		}
		targets, err := s.ruleTargets(ctx, p.Targets)
		r.Targets = targets
		return err
	})
}

// changeRule reads a rule, lets change alter it and writes it back, in one transaction.
func (s *Service) changeRule(ctx context.Context, c sluice.Caller, action, arn string, change func(*sluice.NotificationRule) error) error {
	if _, err := s.rule(ctx, c, action, arn); err != nil {
		return err
	}
	return s.Store.InTx(ctx, func(x sluice.Executor) error {
		r, err := x.GetNotificationRule(ctx, arn)
		if err != nil {
			return err
		}
		if err := change(r); err != nil {
			return err
		}
		r.Modified = s.Now()
		return x.UpdateNotificationRule(ctx, r)
	})
}

// DeleteNotificationRule deletes a rule; deleting one that does not exist succeeds, as on AWS.
func (s *Service) DeleteNotificationRule(ctx context.Context, c sluice.Caller, arn string) error {
	if err := s.allow(ctx, c, actDeleteNotificationRule, arn); err != nil {
		return err
	}
	err := s.Store.DeleteNotificationRule(ctx, arn)
	if sluice.IsCode(err, sluice.ENotFound) {
		return nil
	}
	return err
}

// ListNotificationRules returns one page of the rules f selects.
func (s *Service) ListNotificationRules(ctx context.Context, c sluice.Caller, f sluice.NotificationRuleFilter) ([]*sluice.NotificationRule, string, error) {
	if err := s.allow(ctx, c, actListNotificationRules, anyResource); err != nil {
		return nil, "", err
	}
	return s.Store.ListNotificationRules(ctx, f)
}

// SubscribeNotificationTarget adds a target to a rule.
func (s *Service) SubscribeNotificationTarget(ctx context.Context, c sluice.Caller, arn string, t NotificationTargetIn) error {
	return s.changeRule(ctx, c, actSubscribeRule, arn, func(r *sluice.NotificationRule) error {
		if err := s.checkRuleTarget(ctx, t); err != nil {
			return err
		}
		if slices.ContainsFunc(r.Targets, func(o sluice.NotificationTarget) bool { return o.Address == t.Address }) {
			return nil
		}
		if len(r.Targets) >= maxRuleTargets {
			return sluice.Errorf(sluice.ELimit, "", "A notification rule can have at most %d targets.", maxRuleTargets)
		}
		r.Targets = append(r.Targets, sluice.NotificationTarget{Address: t.Address, Type: t.Type, Status: sluice.TargetActive})
		return nil
	})
}

// UnsubscribeNotificationTarget removes a target from a rule (the target itself stays).
func (s *Service) UnsubscribeNotificationTarget(ctx context.Context, c sluice.Caller, arn, address string) error {
	return s.changeRule(ctx, c, actUnsubscribeRule, arn, func(r *sluice.NotificationRule) error {
		r.Targets = slices.DeleteFunc(r.Targets, func(t sluice.NotificationTarget) bool { return t.Address == address })
		return nil
	})
}

// ListNotificationTargets returns one page of the account's targets f selects.
func (s *Service) ListNotificationTargets(ctx context.Context, c sluice.Caller, f sluice.NotificationTargetFilter) ([]*sluice.NotificationTarget, string, error) {
	if err := s.allow(ctx, c, actListTargets, anyResource); err != nil {
		return nil, "", err
	}
	return s.Store.ListNotificationTargets(ctx, f)
}

// DeleteNotificationTarget deletes a target: from every rule when force, else only when no
// rule has it. Deleting an unknown target succeeds, as on AWS.
func (s *Service) DeleteNotificationTarget(ctx context.Context, c sluice.Caller, address string, force bool) error {
	if err := s.allow(ctx, c, actDeleteTarget, anyResource); err != nil {
		return err
	}
	err := s.Store.DeleteNotificationTarget(ctx, address, force)
	if sluice.IsCode(err, sluice.ENotFound) {
		return nil
	}
	var e *sluice.Error
	if errors.As(err, &e) && e.Code == sluice.EConflict {
		return ruleInvalid("%s", e.Message) // DeleteTarget's one exception
	}
	return err
}

// TagNotificationRule adds tags to a rule and returns all of its tags.
func (s *Service) TagNotificationRule(ctx context.Context, c sluice.Caller, arn string, tags map[string]string) (map[string]string, error) {
	if _, err := s.rule(ctx, c, actTagNotificationRule, arn); err != nil {
		return nil, err
	}
	if err := CheckTags(TagList(tags)); err != nil {
		return nil, err
	}
	var out map[string]string
	err := s.Store.InTx(ctx, func(x sluice.Executor) error {
		cur, err := x.ListTags(ctx, arn)
		if err != nil {
			return err
		}
		for k, v := range tags {
			cur[k] = v
		}
		if len(cur) > sluice.MaxTags {
			return sluice.Errorf(sluice.ELimit, "", "A resource can have at most %d tags; this would make %d.", sluice.MaxTags, len(cur))
		}
		out = cur
		return x.TagResource(ctx, arn, tags)
	})
	return out, err
}

// UntagNotificationRule removes tags of a rule by key.
func (s *Service) UntagNotificationRule(ctx context.Context, c sluice.Caller, arn string, keys []string) error {
	if _, err := s.rule(ctx, c, actUntagNotificationRule, arn); err != nil {
		return err
	}
	return s.Store.UntagResource(ctx, arn, keys)
}

// NotificationRuleTags returns a rule's tags.
func (s *Service) NotificationRuleTags(ctx context.Context, c sluice.Caller, arn string) (map[string]string, error) {
	if _, err := s.rule(ctx, c, actListNotificationRuleTags, arn); err != nil {
		return nil, err
	}
	return s.Store.ListTags(ctx, arn)
}
