package sluice

import (
	"context"
	"time"
)

// NotificationRule is a CodeStar Notifications rule: which events of one resource (a
// pipeline) are sent, in which detail, to which targets.
type NotificationRule struct {
	ARN          string // arn:aws:codestar-notifications:<region>:<account>:notificationrule/<40 hex>
	Name         string // unique in the account
	Resource     string // the pipeline's ARN
	EventTypeIDs []string
	DetailType   string // NotificationBasic or NotificationFull
	Status       string // NotificationRuleEnabled or NotificationRuleDisabled
	CreatedBy    string // the creator's principal ARN
	Created      time.Time
	Modified     time.Time
	// Targets are the rule's targets, by address, each with the status it has across rules.
	Targets []NotificationTarget
}

// NotificationTarget is where rules send their notices: an SNS topic or a chat channel. A
// target belongs to the account, not to one rule: rules subscribe and unsubscribe it, and
// its status is the outcome of the last notice sent to it by any rule.
type NotificationTarget struct {
	Address string // the topic's or chat channel's ARN
	Type    string // TargetSNS, TargetSlack or TargetTeams
	Status  string // TargetActive, TargetUnreachable, ...
}

// Detail types, statuses and target types of notification rules, as the model spells them.
const (
	NotificationBasic = "BASIC"
	NotificationFull  = "FULL"

	NotificationRuleEnabled  = "ENABLED"
	NotificationRuleDisabled = "DISABLED"

	TargetSNS   = "SNS"
	TargetSlack = "AWSChatbotSlack"
	TargetTeams = "AWSChatbotMicrosoftTeams"

	TargetPending     = "PENDING"
	TargetActive      = "ACTIVE"
	TargetUnreachable = "UNREACHABLE"
	TargetInactive    = "INACTIVE"
	TargetDeactivated = "DEACTIVATED"
)

// NotificationRuleFilter selects rules for ListNotificationRules: each field set must
// match (EventTypeID: one of the rule's; TargetAddress: one of its targets').
type NotificationRuleFilter struct {
	Page
	EventTypeID   string
	CreatedBy     string
	Resource      string
	TargetAddress string
}

// NotificationTargetFilter selects targets for ListTargets: each field set must match.
type NotificationTargetFilter struct {
	Page
	Type    string
	Address string
	Status  string
}

// NotificationRuleStore keeps notification rules and their targets. On the Store each
// method is one transaction; through a transaction's Executor it joins that one.
type NotificationRuleStore interface {
	// CreateNotificationRule stores r with its targets: a target address not yet known is
	// stored with the Type and Status given, a known one keeps its own
	// (EAlreadyExists/NotificationRule when r's ARN or Name is taken).
	CreateNotificationRule(ctx context.Context, r *NotificationRule) error
	// GetNotificationRule returns the rule with its targets by address
	// (ENotFound/NotificationRule).
	GetNotificationRule(ctx context.Context, arn string) (*NotificationRule, error)
	// UpdateNotificationRule replaces the Name, EventTypeIDs, DetailType, Status, Modified
	// and target list of the rule r.ARN, adding unknown targets as CreateNotificationRule
	// does (ENotFound/NotificationRule; EAlreadyExists/NotificationRule when another rule
	// has the Name).
	UpdateNotificationRule(ctx context.Context, r *NotificationRule) error
	// DeleteNotificationRule removes the rule and its tags; its targets stay
	// (ENotFound/NotificationRule).
	DeleteNotificationRule(ctx context.Context, arn string) error
	// ListNotificationRules returns one page of the rules f selects, by ARN, without their
	// targets (EInvalid/NextToken for a token it did not issue).
	ListNotificationRules(ctx context.Context, f NotificationRuleFilter) ([]*NotificationRule, string, error)
	// NotificationRulesFor returns every rule on resource, with their targets, by ARN.
	NotificationRulesFor(ctx context.Context, resource string) ([]*NotificationRule, error)
	// ListNotificationTargets returns one page of the targets f selects, by address.
	ListNotificationTargets(ctx context.Context, f NotificationTargetFilter) ([]*NotificationTarget, string, error)
	// SetNotificationTargetStatus sets a target's status (ENotFound/NotificationTarget).
	SetNotificationTargetStatus(ctx context.Context, address, status string) error
	// DeleteNotificationTarget removes the target: from every rule when force, else only
	// when no rule has it (EConflict/NotificationTarget; ENotFound/NotificationTarget).
	DeleteNotificationTarget(ctx context.Context, address string, force bool) error
}
