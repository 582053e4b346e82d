package sluice

// ExecutionStatus is the model's PipelineExecutionStatus.
type ExecutionStatus string

const (
	ExecutionInProgress ExecutionStatus = "InProgress"
	ExecutionStopping   ExecutionStatus = "Stopping"
	ExecutionStopped    ExecutionStatus = "Stopped"
	ExecutionSucceeded  ExecutionStatus = "Succeeded"
	ExecutionFailed     ExecutionStatus = "Failed"
	ExecutionSuperseded ExecutionStatus = "Superseded"
	ExecutionCancelled  ExecutionStatus = "Cancelled"
)

// Active reports whether an execution in this status can still change without a retry.
func (s ExecutionStatus) Active() bool {
	return s == ExecutionInProgress || s == ExecutionStopping
}

// StageStatus is the model's StageExecutionStatus.
type StageStatus string

const (
	StageInProgress StageStatus = "InProgress"
	StageSucceeded  StageStatus = "Succeeded"
	StageFailed     StageStatus = "Failed"
	StageStopping   StageStatus = "Stopping"
	StageStopped    StageStatus = "Stopped"
	StageCancelled  StageStatus = "Cancelled"
	StageSkipped    StageStatus = "Skipped"
)

// Holds reports whether a stage run in this status holds its stage's lock.
func (s StageStatus) Holds() bool { return s == StageInProgress || s == StageStopping }

// ActionStatus is the model's ActionExecutionStatus.
type ActionStatus string

const (
	ActionInProgress ActionStatus = "InProgress"
	ActionSucceeded  ActionStatus = "Succeeded"
	ActionFailed     ActionStatus = "Failed"
	ActionAbandoned  ActionStatus = "Abandoned"
)

// JobStatus is the model's JobStatus.
type JobStatus string

const (
	JobQueued     JobStatus = "Queued"
	JobDispatched JobStatus = "Dispatched"
	JobInProgress JobStatus = "InProgress"
	JobSucceeded  JobStatus = "Succeeded"
	JobFailed     JobStatus = "Failed"
	JobTimedOut   JobStatus = "TimedOut"
)

// Open reports whether a job in this status still waits for a result.
func (s JobStatus) Open() bool {
	return s == JobQueued || s == JobDispatched || s == JobInProgress
}

// ExecutionMode is the model's ExecutionMode.
type ExecutionMode string

const (
	ModeSuperseded ExecutionMode = "SUPERSEDED"
	ModeQueued     ExecutionMode = "QUEUED"
	ModeParallel   ExecutionMode = "PARALLEL"
)

// RetryMode is the model's StageRetryMode.
type RetryMode string

const (
	RetryFailedActions RetryMode = "FAILED_ACTIONS"
	RetryAllActions    RetryMode = "ALL_ACTIONS"
)

// Trigger types, as the model's TriggerType enum spells them.
const (
	TriggerCreatePipeline         = "CreatePipeline"
	TriggerStartPipelineExecution = "StartPipelineExecution"
	TriggerPollForSourceChanges   = "PollForSourceChanges"
	TriggerWebhook                = "Webhook"
	TriggerCloudWatchEvent        = "CloudWatchEvent"
	TriggerPutActionRevision      = "PutActionRevision"
	TriggerWebhookV2              = "WebhookV2"
)

// Failure types of a job result, as the model's FailureType enum spells them.
const (
	FailureJobFailed           = "JobFailed"
	FailureConfigurationError  = "ConfigurationError"
	FailurePermissionError     = "PermissionError"
	FailureRevisionOutOfSync   = "RevisionOutOfSync"
	FailureRevisionUnavailable = "RevisionUnavailable"
	FailureSystemUnavailable   = "SystemUnavailable"
)
