package sluice

import (
	"context"
	"time"
)

// DeployTarget is one target of a deploy action execution (an instance, a host), as
// ListDeployActionExecutionTargets returns it: the record a host-deploying provider writes
// while it deploys. Status is the provider's word (Pending, InProgress, Succeeded, Failed,
// Skipped, Unknown on AWS); the model types it as a free string.
type DeployTarget struct {
	ActionRunID string
	TargetID    string
	TargetType  string
	Status      string
	StartTime   time.Time // zero when not started
	EndTime     time.Time // zero while running
	Events      []DeployTargetEvent
}

// DeployTargetEvent is one lifecycle event of a deploy target (DeployTargetEvent).
type DeployTargetEvent struct {
	Name         string    `json:"name"`
	Status       string    `json:"status"`
	StartTime    time.Time `json:"startTime"`
	EndTime      time.Time `json:"endTime"`
	SSMCommandID string    `json:"ssmCommandId,omitempty"`
	Message      string    `json:"message,omitempty"`
}

// DeployTargetFilter narrows ListDeployTargets to one action run's targets, and to those
// whose Status is one of Statuses when it is not empty.
type DeployTargetFilter struct {
	Page
	ActionRunID string
	Statuses    []string
}

// DeployTargetStore keeps the targets of deploy action executions.
type DeployTargetStore interface {
	// PutDeployTarget records t, replacing the record of the same action run and target id
	// (ENotFound/ActionExecution when the action run does not exist). Its events are
	// stored as given.
	PutDeployTarget(ctx context.Context, t *DeployTarget) error
	// ListDeployTargets returns one page of an action run's targets, by target id; an
	// action run without targets, or an unknown one, has none.
	ListDeployTargets(ctx context.Context, f DeployTargetFilter) ([]*DeployTarget, string, error)
	// ActionRunPipeline names the pipeline of an action run (ENotFound/ActionExecution).
	ActionRunPipeline(ctx context.Context, actionRunID string) (string, error)
}
