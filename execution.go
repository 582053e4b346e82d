package sluice

import "time"

// Pipeline is a stored pipeline: its current declaration and bookkeeping.
type Pipeline struct {
	Declaration PipelineDeclaration // Version is the current version
	ARN         string
	Created     time.Time
	Updated     time.Time
	// Author is the principal that saved this version: CreatePipeline and SavePipeline
	// store it with the version, and only SecretStore.PipelineAuthor reads it back.
	Author string
}

// Trigger says what started an execution (the model's ExecutionTrigger).
type Trigger struct {
	Type   string `json:"triggerType"`
	Detail string `json:"triggerDetail,omitempty"`
}

// Revision is the source revision an execution is pinned to for one source action.
type Revision struct {
	RevisionID       string    `json:"revisionId"`
	ChangeIdentifier string    `json:"revisionChangeIdentifier,omitempty"`
	Summary          string    `json:"revisionSummary,omitempty"`
	URL              string    `json:"revisionUrl,omitempty"`
	Created          time.Time `json:"created,omitzero"`
	// Variables are the source action's output variables known at trigger time
	// (CommitId, BranchName, ...); the source job reports them again when it runs.
	Variables map[string]string `json:"variables,omitempty"`
}

// Execution is one run of a pipeline (the model's PipelineExecution).
type Execution struct {
	ID              string
	PipelineName    string
	PipelineVersion int
	Status          ExecutionStatus
	StatusSummary   string
	Mode            ExecutionMode
	Trigger         Trigger
	StopReason      string
	StopAbandon     bool                // the stop in force abandons running actions
	Attempt         int                 // 1, +1 on every retry
	Variables       map[string]string   // resolved pipeline-level variables
	Revisions       map[string]Revision // source action name -> pinned revision
	ClientToken     string
	// WaitingAt names the stage this execution stands in front of ("" when none). Seq orders
	// executions by arrival at their waiting spot (QUEUED FIFO) and by start otherwise.
	WaitingAt      string
	Seq            int64
	StartTime      time.Time
	LastUpdateTime time.Time
	// Type is STANDARD or ROLLBACK ("" reads as STANDARD); a rollback runs one stage again
	// with RollbackTarget's revisions, variables and artifacts.
	Type           ExecutionType
	RollbackTarget string
	RollbackStage  string
}

// ExecutionType returns e's type, STANDARD when unset.
func (e *Execution) ExecutionType() ExecutionType {
	if e.Type == "" {
		return ExecutionStandard
	}
	return e.Type
}

// StageRun is an execution's run of one stage; a retry reuses it with Attempt+1.
type StageRun struct {
	ExecutionID string
	StageName   string
	Status      StageStatus
	Attempt     int
	// BaseAttempt is the first stage attempt whose action runs count: an ALL_ACTIONS retry
	// moves it to the new attempt so every action runs again.
	BaseAttempt    int
	StartTime      time.Time
	LastUpdateTime time.Time
	// Conditions are the condition evaluations of every attempt, in the order they started.
	Conditions []ConditionRun
	// AutoRetries and ManualRetries count the stage's retries by trigger (the model's
	// RetryStageMetadata); LatestRetryTrigger names the last one's.
	AutoRetries        int
	ManualRetries      int
	LatestRetryTrigger string
}

// ArtifactRef is an artifact and where the artifact store keeps it.
type ArtifactRef struct {
	Name     string `json:"name"`
	Key      string `json:"key"`
	Revision string `json:"revision,omitempty"`
}

// ActionRun is one attempt of one action in one execution (the model's ActionExecutionDetail).
type ActionRun struct {
	ID                    string
	ExecutionID           string
	StageName             string
	ActionName            string
	StageAttempt          int
	PipelineVersion       int
	Status                ActionStatus
	StartTime             time.Time
	LastUpdateTime        time.Time
	UpdatedBy             string
	Summary               string
	ExternalExecutionID   string
	ExternalExecutionURL  string
	PercentComplete       int
	ErrorCode             string
	ErrorMessage          string
	Token                 string    // open approval token
	Deadline              time.Time // the action fails when still InProgress at this time
	ResolvedConfiguration map[string]string
	InputArtifacts        []ArtifactRef
	OutputArtifacts       []ArtifactRef
	OutputVariables       map[string]string
	Revision              *Revision // what a source action produced
}

// ApprovalToken is the token that answers the run when it is an approval still waiting
// (PutApprovalResult); "" otherwise, so that no answered approval shows its token.
func (r *ActionRun) ApprovalToken() string {
	if r.Status != ActionInProgress {
		return ""
	}
	return r.Token
}

// Job is one unit of work for a worker: running one action run once (a continuation makes
// another job for the same action run).
type Job struct {
	ID             string
	ActionRunID    string
	ExecutionID    string
	PipelineName   string
	StageName      string
	ActionName     string
	ActionType     ActionTypeID
	Status         JobStatus
	Nonce          string
	Worker         string
	LeaseExpiresAt time.Time
	Deadline       time.Time
	Data           JobData
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// JobData is everything a worker needs to run a job, fixed when the job is queued.
type JobData struct {
	ActionTypeID      ActionTypeID          `json:"actionTypeId"`
	Configuration     map[string]string     `json:"configuration,omitempty"`
	Commands          []string              `json:"commands,omitempty"`
	OutputVariables   []string              `json:"outputVariables,omitempty"`
	Environment       []EnvironmentVariable `json:"environmentVariables,omitempty"`
	InputArtifacts    []ArtifactRef         `json:"inputArtifacts,omitempty"`
	OutputArtifacts   []OutputArtifactRef   `json:"outputArtifacts,omitempty"`
	Revision          *Revision             `json:"revision,omitempty"`
	ContinuationToken string                `json:"continuationToken,omitempty"`
	PipelineArn       string                `json:"pipelineArn,omitempty"`
	PipelineVersion   int                   `json:"pipelineVersion,omitempty"`
	Namespace         string                `json:"namespace,omitempty"`
	// Condition is set on a job that evaluates a rule (Job.ActionRunID is then the rule
	// run's id and Job.ActionName the rule's name).
	Condition ConditionType `json:"condition,omitempty"`
}

// OutputArtifactRef is an output artifact a job must store, at a key chosen when it was queued.
type OutputArtifactRef struct {
	ArtifactRef
	Files []string `json:"files,omitempty"`
}

// JobResult is what a worker reports for a job.
type JobResult struct {
	JobID             string
	Nonce             string // "" when the caller is the server itself
	Success           bool
	Summary           string
	ErrorType         string // a Failure* constant when !Success
	ErrorMessage      string
	ExternalID        string
	ExternalURL       string
	PercentComplete   int
	ContinuationToken string
	OutputVariables   map[string]string
	Revision          *Revision
}

// TransitionState is a stage's inbound transition (the model's TransitionState).
type TransitionState struct {
	Enabled        bool
	DisabledReason string
	LastChangedBy  string
	LastChangedAt  time.Time
}

// Revision types of StartPipelineExecution's sourceRevisions (the model's SourceRevisionType).
const (
	RevisionCommitID        = "COMMIT_ID"
	RevisionImageDigest     = "IMAGE_DIGEST"
	RevisionS3ObjectVersion = "S3_OBJECT_VERSION_ID"
	RevisionS3ObjectKey     = "S3_OBJECT_KEY"
)

// SourceRevisionOverride pins a source action of one execution (the model's
// SourceRevisionOverride).
type SourceRevisionOverride struct {
	ActionName    string `json:"actionName"`
	RevisionType  string `json:"revisionType"`
	RevisionValue string `json:"revisionValue"`
}
