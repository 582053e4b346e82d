package sluice

import "time"

// ConditionType names a stage's condition hooks. The model's ConditionType has only the two a
// user can override; ON_FAILURE is Sluice's name for the third.
type ConditionType string

const (
	ConditionBeforeEntry ConditionType = "BEFORE_ENTRY"
	ConditionOnSuccess   ConditionType = "ON_SUCCESS"
	ConditionOnFailure   ConditionType = "ON_FAILURE"
)

// ConditionStatus is the model's ConditionExecutionStatus.
type ConditionStatus string

const (
	ConditionInProgress ConditionStatus = "InProgress"
	ConditionFailed     ConditionStatus = "Failed"
	ConditionErrored    ConditionStatus = "Errored"
	ConditionSucceeded  ConditionStatus = "Succeeded"
	ConditionCancelled  ConditionStatus = "Cancelled"
	ConditionAbandoned  ConditionStatus = "Abandoned"
	ConditionOverridden ConditionStatus = "Overridden"
)

// RuleStatus is the model's RuleExecutionStatus.
type RuleStatus string

const (
	RuleInProgress RuleStatus = "InProgress"
	RuleAbandoned  RuleStatus = "Abandoned"
	RuleSucceeded  RuleStatus = "Succeeded"
	RuleFailed     RuleStatus = "Failed"
)

// Results a condition engages when it fails (the model's Result enum).
const (
	ResultRollback = "ROLLBACK"
	ResultFail     = "FAIL"
	ResultRetry    = "RETRY"
	ResultSkip     = "SKIP"
)

// ExecutionType is the model's ExecutionType.
type ExecutionType string

const (
	ExecutionStandard ExecutionType = "STANDARD"
	ExecutionRollback ExecutionType = "ROLLBACK"
)

// Rollback triggers (the model's TriggerType) and retry triggers (its RetryTrigger).
const (
	TriggerManualRollback    = "ManualRollback"
	TriggerAutomatedRollback = "AutomatedRollback"
	RetryTriggerAutomated    = "AutomatedStageRetry"
	RetryTriggerManual       = "ManualStageRetry"
)

// ConditionRun is one evaluation of one of a stage's conditions in one stage attempt; the
// stage run keeps them in the order they started.
type ConditionRun struct {
	Type    ConditionType   `json:"type"`
	Attempt int             `json:"attempt"` // the stage attempt it was evaluated in
	Status  ConditionStatus `json:"status"`
	Summary string          `json:"summary,omitempty"`
	// Result is what the condition engages when it fails (FAIL, SKIP, ROLLBACK).
	Result           string    `json:"result,omitempty"`
	LastStatusChange time.Time `json:"lastStatusChange"`
	OverriddenBy     string    `json:"overriddenBy,omitempty"`
}

// RuleRun is one evaluation of one rule of a condition (the model's RuleExecutionDetail).
type RuleRun struct {
	ID                    string
	ExecutionID           string
	StageName             string
	StageAttempt          int
	Condition             ConditionType
	RuleName              string
	RuleType              RuleTypeID
	PipelineVersion       int
	Status                RuleStatus
	StartTime             time.Time
	LastUpdateTime        time.Time
	UpdatedBy             string
	Summary               string
	ExternalExecutionID   string
	ExternalExecutionURL  string
	ErrorCode             string
	ErrorMessage          string
	Deadline              time.Time // the rule fails when still InProgress at this time
	Configuration         map[string]string
	ResolvedConfiguration map[string]string
	RoleARN               string
	Region                string
	InputArtifacts        []ArtifactRef
}

// RuleRunFilter narrows ListRuleRuns; ExecutionID "" means every execution.
type RuleRunFilter struct {
	Page
	ExecutionID string
}

// Condition returns the stage run's latest evaluation of condition type t, or nil.
func (r *StageRun) Condition(t ConditionType) *ConditionRun {
	for i := len(r.Conditions) - 1; i >= 0; i-- {
		if r.Conditions[i].Type == t {
			return &r.Conditions[i]
		}
	}
	return nil
}

// RuleRunKey is the key of a rule run in PipelineState.LatestRuleRuns: "stage/CONDITION_TYPE/rule".
func RuleRunKey(stage string, t ConditionType, rule string) string {
	return stage + "/" + string(t) + "/" + rule
}

// The action types of the jobs that evaluate rules: a Commands rule runs as the Commands
// action does, a LambdaInvoke rule invokes a function as the Lambda action does, and a
// CloudWatchAlarm rule is watched by the server against the Prometheus it is configured with.
var (
	RuleJobCommands = ActionTypeID{Category: CategoryCompute, Owner: OwnerAWS, Provider: "Commands", Version: "1"}
	RuleJobLambda   = ActionTypeID{Category: CategoryInvoke, Owner: OwnerAWS, Provider: "Lambda", Version: "1"}
	RuleJobAlarm    = ActionTypeID{Category: RuleCategory, Owner: OwnerAWS, Provider: "CloudWatchAlarm", Version: "1"}
)
