package service

import (
	"context"
	"strings"
	"time"

	"sluice"
	"sluice/eventpattern"
	"sluice/schedule"
)

// EventBridge's messages.
const (
	msgPatternOrSchedule = "Parameter(s) EventPattern or ScheduleExpression must be specified."
	msgRuleHasTargets    = "Rule can't be deleted since it has targets."
	defaultBus           = "default"
)

// eventErr is a ValidationException of EventBridge.
func eventErr(format string, args ...any) error {
	return sluice.Errorf(sluice.EInvalid, "", format, args...)
}

// CheckEventBus refuses any bus but the default one, which is the only one Sluice has
// (ResourceNotFoundException, as for a bus that does not exist).
func (s *Service) CheckEventBus(bus string) error {
	if bus == "" || bus == defaultBus || bus == s.Scope().ARN(sluice.EventBusARN, defaultBus) {
		return nil
	}
	return sluice.Errorf(sluice.ENotFound, "", "Event bus %s does not exist.", bus)
}

// CompileEventPattern validates a pattern as PutRule and TestEventPattern do
// (InvalidEventPatternException).
func CompileEventPattern(text string) (*eventpattern.Pattern, error) {
	p, err := eventpattern.Compile(text)
	if err != nil {
		return nil, sluice.Errorf(sluice.EInvalid, "EventPattern", "%s", err.Error())
	}
	return p, nil
}

func parseSchedule(expr string) (schedule.Schedule, error) {
	sch, err := schedule.Parse(expr)
	if err != nil {
		return nil, eventErr("%s", err.Error())
	}
	return sch, nil
}

// PutRuleParams creates or updates a rule (PutRule).
type PutRuleParams struct {
	Name, EventPattern, ScheduleExpression, State, Description, RoleARN, EventBus string
	Tags                                                                          []sluice.Tag
}

// PutRule creates the rule or updates the one of that name (keeping its targets and, when
// neither schedule nor state changes, its next fire) and returns its ARN.
func (s *Service) PutRule(ctx context.Context, c sluice.Caller, p PutRuleParams) (string, error) {
	arn := s.Scope().ARN(sluice.EventRuleARN, p.Name)
	if err := s.allow(ctx, c, actPutRule, arn); err != nil {
		return "", err
	}
	if err := s.CheckEventBus(p.EventBus); err != nil {
		return "", err
	}
	if p.EventPattern == "" && p.ScheduleExpression == "" {
		return "", eventErr(msgPatternOrSchedule)
	}
	if p.EventPattern != "" {
		if _, err := CompileEventPattern(p.EventPattern); err != nil {
			return "", err
		}
	}
	if err := CheckTags(p.Tags); err != nil {
		return "", err
	}
	if p.State == "" {
		p.State = sluice.RuleEnabled
	}
	now := s.Now()
	r := &sluice.EventRule{Name: p.Name, ARN: arn, Description: p.Description, EventPattern: p.EventPattern,
		ScheduleExpression: p.ScheduleExpression, State: p.State, RoleARN: p.RoleARN, Created: now, Modified: now}
	return arn, s.Store.InTx(ctx, func(x sluice.Executor) error {
		old, err := x.GetEventRule(ctx, p.Name)
		if err != nil && !sluice.IsCode(err, sluice.ENotFound) {
			return err
		}
		if err := s.scheduleRule(r, old); err != nil {
			return err
		}
		if err := x.PutEventRule(ctx, r); err != nil {
			return err
		}
		if len(p.Tags) == 0 {
			return nil
		}
		return x.TagResource(ctx, arn, tagMap(p.Tags))
	})
}

// scheduleRule sets r's Created from old and its NextFire: kept when old fires on the same
// schedule, else the first fire after now; zero without a schedule or when disabled.
func (s *Service) scheduleRule(r, old *sluice.EventRule) error {
	if old != nil {
		r.Created = old.Created
	}
	if r.ScheduleExpression == "" {
		return nil
	}
	sch, err := parseSchedule(r.ScheduleExpression)
	if err != nil || r.State != sluice.RuleEnabled {
		return err
	}
	if old != nil && old.ScheduleExpression == r.ScheduleExpression && !old.NextFire.IsZero() {
		r.NextFire = old.NextFire
		return nil
	}
	r.NextFire = sch.Next(s.Now())
	return nil
}

// DescribeRule returns a rule (ResourceNotFoundException).
func (s *Service) DescribeRule(ctx context.Context, c sluice.Caller, name, bus string) (*sluice.EventRule, error) {
	if err := s.allow(ctx, c, actDescribeRule, s.Scope().ARN(sluice.EventRuleARN, name)); err != nil {
		return nil, err
	}
	if err := s.CheckEventBus(bus); err != nil {
		return nil, err
	}
	return s.Store.GetEventRule(ctx, name)
}

// ListRules returns a page of rules whose names start with prefix.
func (s *Service) ListRules(ctx context.Context, c sluice.Caller, prefix, bus string, page sluice.Page) ([]*sluice.EventRule, string, error) {
	if err := s.allow(ctx, c, actListRules, anyResource); err != nil {
		return nil, "", err
	}
	if err := s.CheckEventBus(bus); err != nil {
		return nil, "", err
	}
	return s.Store.ListEventRules(ctx, sluice.EventRuleFilter{Page: page, NamePrefix: prefix})
}

// DeleteRule deletes a rule that has no targets; deleting a rule that does not exist
// succeeds, as on AWS.
func (s *Service) DeleteRule(ctx context.Context, c sluice.Caller, name, bus string) error {
	if err := s.allow(ctx, c, actDeleteRule, s.Scope().ARN(sluice.EventRuleARN, name)); err != nil {
		return err
	}
	if err := s.CheckEventBus(bus); err != nil {
		return err
	}
	return s.Store.InTx(ctx, func(x sluice.Executor) error {
		ts, err := x.EventTargets(ctx, name)
		if sluice.IsCode(err, sluice.ENotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		if len(ts) > 0 {
			return eventErr(msgRuleHasTargets)
		}
		return x.DeleteEventRule(ctx, name)
	})
}

// SetRuleState enables or disables a rule (EnableRule, DisableRule). Enabling a scheduled
// rule counts its next fire from now.
func (s *Service) SetRuleState(ctx context.Context, c sluice.Caller, name, bus string, enabled bool) error {
	act, state := actDisableRule, sluice.RuleDisabled
	if enabled {
		act, state = actEnableRule, sluice.RuleEnabled
	}
	if err := s.allow(ctx, c, act, s.Scope().ARN(sluice.EventRuleARN, name)); err != nil {
		return err
	}
	if err := s.CheckEventBus(bus); err != nil {
		return err
	}
	return s.Store.InTx(ctx, func(x sluice.Executor) error {
		r, err := x.GetEventRule(ctx, name)
		if err != nil || r.State == state {
			return err
		}
		r.State, r.Modified, r.NextFire = state, s.Now(), time.Time{}
		if err := s.scheduleRule(r, nil); err != nil {
			return err
		}
		return x.PutEventRule(ctx, r)
	})
}

// eventRuleName is the rule an ARN of this server names ("" when none).
func (s *Service) eventRuleName(arn string) string {
	name, ok := s.Scope().ID(sluice.EventRuleARN, arn)
	if !ok || strings.Contains(name, "/") {
		return ""
	}
	return name
}

// eventRuleTagged checks arn names an existing rule (ResourceNotFoundException).
func (s *Service) eventRuleTagged(ctx context.Context, arn string) error {
	name := s.eventRuleName(arn)
	if name == "" {
		return sluice.Errorf(sluice.ENotFound, "", "Rule %s does not exist on EventBus default.", arn)
	}
	_, err := s.Store.GetEventRule(ctx, name)
	return err
}

// TagRule adds tags to a rule (EventBridge's TagResource).
func (s *Service) TagRule(ctx context.Context, c sluice.Caller, arn string, tags []sluice.Tag) error {
	if err := s.allow(ctx, c, actEventsTagResource, arn); err != nil {
		return err
	}
	if err := CheckTags(tags); err != nil {
		return err
	}
	if err := s.eventRuleTagged(ctx, arn); err != nil {
		return err
	}
	return s.Store.TagResource(ctx, arn, tagMap(tags))
}

// UntagRule removes tags of a rule by key.
func (s *Service) UntagRule(ctx context.Context, c sluice.Caller, arn string, keys []string) error {
	if err := s.allow(ctx, c, actEventsUntagResource, arn); err != nil {
		return err
	}
	if err := s.eventRuleTagged(ctx, arn); err != nil {
		return err
	}
	return s.Store.UntagResource(ctx, arn, keys)
}

// RuleTags returns a rule's tags, by key.
func (s *Service) RuleTags(ctx context.Context, c sluice.Caller, arn string) ([]sluice.Tag, error) {
	if err := s.allow(ctx, c, actEventsListTags, arn); err != nil {
		return nil, err
	}
	if err := s.eventRuleTagged(ctx, arn); err != nil {
		return nil, err
	}
	tags, err := s.Store.ListTags(ctx, arn)
	return TagList(tags), err
}
