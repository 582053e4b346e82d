package sluice

import "time"

// Event is a state change, written to the outbox in the transaction that made it. Its fields
// are those of CodePipeline's EventBridge events (package eventbus renders the envelope and
// its detail); Sluice's own events use the same record with their own Source.
type Event struct {
	// ID is the event's stable id; "" for the engine's events, whose id eventbus derives
	// from the outbox record, so that every redelivery of one record carries one id.
	ID           string `json:",omitempty"`
	Source       string `json:",omitempty"` // "" means SourcePipeline
	DetailType   string // "CodePipeline Pipeline Execution State Change", ...
	State        string // STARTED, SUCCEEDED, FAILED, ...
	PipelineName string
	ExecutionID  string
	Stage        string
	Action       string
	ActionRunID  string
	Version      int
	Time         time.Time
	// Attempt is the execution's attempt (1, +1 per retry); StartTime its start.
	Attempt   int       `json:",omitempty"`
	StartTime time.Time `json:",omitzero"`
	// Trigger is the execution's trigger, on pipeline STARTED.
	Trigger *Trigger `json:",omitempty"`
	// StopComment is StopPipelineExecution's reason, on pipeline STOPPING.
	StopComment string `json:",omitempty"`
	// The action's type and region, its input artifacts (STARTED), output artifacts
	// (SUCCEEDED) and result (SUCCEEDED, FAILED), on action events.
	ActionType      *ActionTypeID `json:",omitempty"`
	ActionRegion    string        `json:",omitempty"`
	InputArtifacts  []ArtifactRef `json:",omitempty"`
	OutputArtifacts []ArtifactRef `json:",omitempty"`
	Result          *EventResult  `json:",omitempty"`
	// Approval is what an approval's notice says, on DetailApprovalNeeded.
	Approval *ApprovalNotice `json:",omitempty"`
	// Rule is the ARN of the rule whose schedule fired, on DetailScheduled: only that rule's
	// targets receive it.
	Rule string `json:",omitempty"`
	// Detail holds the detail fields of Sluice's own events (webhook deliveries).
	Detail map[string]string `json:",omitempty"`
	// Resources and RawDetail are a custom event's (EventBridge PutEvents): the ARNs it names
	// and its detail, the JSON object given.
	Resources []string `json:",omitempty"`
	RawDetail string   `json:",omitempty"`
}

// EventResult is an action's outcome as its events carry it (detail "execution-result").
type EventResult struct {
	ExternalURL string `json:",omitempty"`
	Summary     string `json:",omitempty"`
	ExternalID  string `json:",omitempty"`
	ErrorCode   string `json:",omitempty"` // a FailureDetails type, on FAILED
}

// ApprovalNotice is an approval action waiting for an answer: what its notification says.
type ApprovalNotice struct {
	NotificationARN string `json:",omitempty"` // the topic to publish to ("" sends nothing)
	Token           string
	CustomData      string    `json:",omitempty"`
	ExternalLink    string    `json:",omitempty"`
	Expires         time.Time // start + the action's timeout
}

// Event sources.
const (
	SourcePipeline = "aws.codepipeline"
	SourceSchedule = "aws.events" // a scheduled rule's event
	SourceSluice   = "sluice"     // Sluice's own events
)

// Detail types: CodePipeline's three, EventBridge's scheduled event, and Sluice's own.
const (
	DetailExecution       = "CodePipeline Pipeline Execution State Change"
	DetailStage           = "CodePipeline Stage Execution State Change"
	DetailAction          = "CodePipeline Action Execution State Change"
	DetailScheduled       = "Scheduled Event"
	DetailApprovalNeeded  = "Sluice Manual Approval Needed"
	DetailWebhookDelivery = "Sluice Webhook Delivery"
)

// EventSource is the event's source: Source, or SourcePipeline when unset.
func (e *Event) EventSource() string {
	if e.Source == "" {
		return SourcePipeline
	}
	return e.Source
}
