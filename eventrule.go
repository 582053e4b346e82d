package sluice

import (
	"context"
	"time"
)

// EventRule is an EventBridge rule on the default bus: an event pattern, a schedule
// expression, or both, and up to five targets that receive what it matches.
type EventRule struct {
	Name               string
	ARN                string
	Description        string
	EventPattern       string // "" when the rule only has a schedule
	ScheduleExpression string // "" when the rule only has a pattern
	State              string // RuleEnabled or RuleDisabled
	RoleARN            string
	Created            time.Time
	Modified           time.Time
	// NextFire is when a scheduled rule fires next (zero: never, no schedule or disabled).
	// The schedule runner moves it forward in the transaction that adds the fire's event.
	NextFire time.Time
}

// Rule states (the model's RuleState).
const (
	RuleEnabled  = "ENABLED"
	RuleDisabled = "DISABLED"
)

// EventTarget is where a rule sends what it matches: an SNS topic, a pipeline or an HTTP(S)
// endpoint, with at most one of Input, InputPath and InputTransformer shaping the event.
type EventTarget struct {
	ID               string
	ARN              string
	RoleARN          string            `json:",omitempty"`
	Input            string            `json:",omitempty"`
	InputPath        string            `json:",omitempty"`
	InputTransformer *InputTransformer `json:",omitempty"`
	// MaxRetries and MaxEventAge are the target's RetryPolicy (nil: EventBridge's defaults).
	MaxRetries  *int `json:",omitempty"`
	MaxEventAge *int `json:",omitempty"` // seconds
}

// InputTransformer builds a target's input from parts of the event (§2.4).
type InputTransformer struct {
	PathsMap map[string]string `json:",omitempty"`
	Template string
}

// EventRuleFilter selects a page of rules.
type EventRuleFilter struct {
	Page
	NamePrefix string
}

// MaxEventTargets is how many targets one rule takes.
const MaxEventTargets = 5

// EventRuleStore keeps EventBridge rules and their targets.
type EventRuleStore interface {
	// PutEventRule creates the rule or replaces every field of the one of that name, keeping
	// its targets and Created.
	PutEventRule(ctx context.Context, r *EventRule) error
	// GetEventRule returns the rule (ENotFound/EventRule).
	GetEventRule(ctx context.Context, name string) (*EventRule, error)
	// ListEventRules returns a page of rules by name.
	ListEventRules(ctx context.Context, f EventRuleFilter) ([]*EventRule, string, error)
	// DeleteEventRule removes the rule, its targets and its tags (ENotFound/EventRule).
	DeleteEventRule(ctx context.Context, name string) error
	// PutEventTargets adds the targets or replaces those of the same ID (ENotFound/EventRule;
	// ELimit/EventTarget, storing nothing, when the rule would have more than
	// MaxEventTargets).
	PutEventTargets(ctx context.Context, rule string, ts []*EventTarget) error
	// RemoveEventTargets removes the targets with those IDs; absent IDs are ignored
	// (ENotFound/EventRule).
	RemoveEventTargets(ctx context.Context, rule string, ids []string) error
	// EventTargets returns the rule's targets by ID (ENotFound/EventRule).
	EventTargets(ctx context.Context, rule string) ([]*EventTarget, error)
	// EnabledEventRules returns every enabled rule that has an event pattern, by name.
	EnabledEventRules(ctx context.Context) ([]*EventRule, error)
	// DueEventRules returns up to limit enabled rules whose NextFire is set and at or
	// before now, earliest first.
	DueEventRules(ctx context.Context, now time.Time, limit int) ([]*EventRule, error)
	// NextEventRuleFire is the earliest NextFire of an enabled rule (false: none).
	NextEventRuleFire(ctx context.Context) (time.Time, bool, error)
	// AdvanceEventRule moves the rule's NextFire from from to to, only if it still is from:
	// false when another runner moved it first or the rule changed.
	AdvanceEventRule(ctx context.Context, name string, from, to time.Time) (bool, error)
}

// TopicEventRules wakes the schedule runner when a rule's schedule changes.
const TopicEventRules = "eventrules"
