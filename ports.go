package sluice

import (
	"context"
	"io"
	"time"
)

// Clock tells the time; tests pin it.
type Clock interface{ Now() time.Time }

// IDs makes identifiers (lower-case UUIDv4 strings); tests make them predictable.
type IDs interface{ NewID() string }

// Store keeps all durable state. Every change of a pipeline goes through Update, which
// serialises the changes of one pipeline (one writer per pipeline); changes of other
// resources go through the Store's Executor methods, each its own transaction, or through
// InTx, which makes several of them one. Methods return *Error values with codes ENotFound
// (Resource names what), EAlreadyExists, EConflict and EInvalid (Resource "NextToken" for a
// token the store did not issue); anything else is internal. Every method is safe for
// concurrent use.
type Store interface {
	// Update runs fn in one transaction holding pipelineName's lock; fn's error rolls it back
	// and is returned as is, and a panic in fn rolls it back and panics again. fn writes
	// through its Tx only: a write through the Store from inside fn may wait for fn's own
	// transaction forever (SQLite has one writer).
	Update(ctx context.Context, pipelineName string, fn func(Tx) error) error
	// InTx runs fn in one transaction that belongs to no pipeline: every write fn makes
	// through its Executor (a resource, its tags, its outbox rows, its notifications) commits
	// when fn returns nil, and none does when fn returns an error (returned as is) or panics
	// (which goes on). As with Update, fn writes through its Executor only.
	InTx(ctx context.Context, fn func(Executor) error) error
	// Executor's methods on the Store each run in a transaction of their own.
	Executor
	Notifier
	Outbox
	Reader
	JobStore
	Close() error
}

// Executor writes (and reads) every resource that is not a pipeline's execution state. The
// Store satisfies it, each call a transaction of its own, and so does a transaction (InTx's,
// or Update's Tx), whose calls all commit or roll back together: the shape of River's
// driver executor, which lets a PostgreSQL backend join any write to any transaction.
// Through a transaction, an Executor is not safe for concurrent use.
type Executor interface {
	RepoStore
	ProjectStore
	FunctionStore
	TagStore
	KeyStore
	ActionTypeStore
	ConnectionStore
	WebhookDeliveryStore
	WebhookStore
	// Notify publishes a wake-up on topic (see Notifier): from the Store at once, from a
	// transaction when it commits, never when it rolls back.
	Notify(ctx context.Context, topic string) error
	// AddEvents appends events to the outbox (see Outbox), after every event committed
	// before; a transaction that adds events notifies TopicOutbox when it commits.
	AddEvents(ctx context.Context, events ...Event) error
}

// Tx is one pipeline's transaction. It is not safe for concurrent use. Its Executor methods
// join the transaction: a pipeline and its tags, or a resource and the plan that uses it,
// commit together or not at all.
type Tx interface {
	Executor
	// Pipeline returns the pipeline the transaction is about (ENotFound/Pipeline when absent).
	Pipeline(ctx context.Context) (*Pipeline, error)
	// CreatePipeline stores p as version 1 (EAlreadyExists/Pipeline when the name is taken).
	CreatePipeline(ctx context.Context, p *Pipeline, tags map[string]string) error
	// SavePipeline stores p.Declaration as a new version (p.Declaration.Version, which the
	// caller has set to the current version + 1).
	SavePipeline(ctx context.Context, p *Pipeline) error
	// DeletePipeline removes the pipeline, its versions, executions, jobs and tags.
	DeletePipeline(ctx context.Context) error
	// Snapshot reads the engine's view: active executions and those named by include.
	Snapshot(ctx context.Context, include ...string) (*Snapshot, error)
	// Apply writes a plan; a failed guard returns EConflict and the caller rolls back.
	Apply(ctx context.Context, plan *Plan) error
	// ExecutionByClientToken returns the execution started with token, or "".
	ExecutionByClientToken(ctx context.Context, token string) (string, error)
	// ExecutionByApprovalToken returns the execution whose action run holds the approval
	// token, open or answered, or "".
	ExecutionByApprovalToken(ctx context.Context, token string) (string, error)
}

// Page asks for one page of a list: Token is what the previous page returned.
type Page struct {
	Token string
	Limit int
}

// ExecutionFilter narrows ListExecutions.
type ExecutionFilter struct {
	Page
	SucceededInStage string
}

// ActionRunFilter narrows ListActionRuns; ExecutionID "" means every execution.
type ActionRunFilter struct {
	Page
	ExecutionID string
}

// PipelineState is the raw material of GetPipelineState.
type PipelineState struct {
	Pipeline         *Pipeline
	Stages           map[string]*StageState
	LatestStageRuns  map[string]*StageRun  // by stage name: the run that started last
	LatestActionRuns map[string]*ActionRun // by "stage/action": the attempt that started last
	Waiting          []*Execution          // active executions waiting in front of a stage, by Seq
}

// Reader answers the read-only API calls.
type Reader interface {
	// GetPipeline returns version (0 = current) of the named pipeline (ENotFound with
	// Resource Pipeline or PipelineVersion).
	GetPipeline(ctx context.Context, name string, version int) (*Pipeline, error)
	ListPipelines(ctx context.Context, p Page) ([]*Pipeline, string, error)
	GetExecution(ctx context.Context, pipeline, id string) (*Execution, error)
	// ListExecutions returns executions newest first.
	ListExecutions(ctx context.Context, pipeline string, f ExecutionFilter) ([]*Execution, string, error)
	// ListActionRuns returns action runs newest first.
	ListActionRuns(ctx context.Context, pipeline string, f ActionRunFilter) ([]*ActionRun, string, error)
	// GetActionRun returns one action run of the pipeline (ENotFound/ActionExecution for an
	// unknown id or another pipeline's).
	GetActionRun(ctx context.Context, pipeline, id string) (*ActionRun, error)
	PipelineState(ctx context.Context, pipeline string) (*PipelineState, error)
	// ActivePipelines names every pipeline with an active execution (for restart).
	ActivePipelines(ctx context.Context) ([]string, error)
	// DueActions returns in-progress action runs whose deadline is at or before now, as
	// pipeline name and action run id pairs; NextDeadline the earliest future one.
	DueActions(ctx context.Context, now time.Time) ([]ActionRef, error)
	NextDeadline(ctx context.Context) (time.Time, bool, error)
}

// ActionRef points at one action run.
type ActionRef struct {
	PipelineName string
	ActionRunID  string
}

// ClaimParams says which queued jobs a worker takes.
type ClaimParams struct {
	Worker   string
	Types    []ActionTypeID // only these types; empty = any type not owned by Custom
	Limit    int
	Now      time.Time
	LeaseFor time.Duration
	// Acknowledge claims straight to InProgress (in-process workers need no AcknowledgeJob).
	Acknowledge bool
	// Match keeps jobs whose configuration holds these values (PollForJobs' queryParam).
	Match map[string]string
	// Labels, when not nil, keeps jobs whose WorkerLabel configuration is one of them ("":
	// jobs without a label).
	Labels []string
}

// JobStore is the job queue: leases are rows (worker, nonce, lease expiry).
type JobStore interface {
	// ClaimJobs moves up to p.Limit queued jobs, oldest first, to Dispatched (or InProgress)
	// with a fresh nonce and a lease until p.Now+p.LeaseFor.
	ClaimJobs(ctx context.Context, p ClaimParams) ([]*Job, error)
	// AcknowledgeJob moves a dispatched job to InProgress (EInvalidNonce on a stale nonce,
	// ENotFound/Job when absent) and extends its lease.
	AcknowledgeJob(ctx context.Context, id, nonce string, leaseUntil time.Time) (*Job, error)
	// ExtendLease keeps an open job's lease alive (EInvalidNonce, EInvalidJobState).
	ExtendLease(ctx context.Context, id, nonce string, leaseUntil time.Time) error
	// GetJob returns a job by id (ENotFound/Job).
	GetJob(ctx context.Context, id string) (*Job, error)
	// ExpiredJobs returns open jobs whose lease ended at or before now.
	ExpiredJobs(ctx context.Context, now time.Time, limit int) ([]*Job, error)
	// RequeueJob puts a dispatched, never acknowledged job back in the queue.
	RequeueJob(ctx context.Context, id, nonce string) error
	// QueueDepth counts queued jobs.
	QueueDepth(ctx context.Context) (int, error)
}

// Repository is a git repository hosted by Sluice (the CodeCommit API's RepositoryMetadata).
type Repository struct {
	ID            string
	Name          string
	Description   string
	ARN           string
	DefaultBranch string
	Created       time.Time
	Updated       time.Time
}

// RepoStore keeps the metadata of hosted repositories; their content lives on disk.
type RepoStore interface {
	CreateRepository(ctx context.Context, r *Repository) error // EAlreadyExists/Repository
	GetRepository(ctx context.Context, name string) (*Repository, error)
	ListRepositories(ctx context.Context) ([]*Repository, error)
	DeleteRepository(ctx context.Context, name string) error
}

// ProjectSort orders ListProjects: by name (the default), creation or last modification.
type ProjectSort string

const (
	SortByName         ProjectSort = "NAME"
	SortByCreated      ProjectSort = "CREATED_TIME"
	SortByLastModified ProjectSort = "LAST_MODIFIED_TIME"
)

// ProjectFilter orders and pages ListProjects; projects with equal times are ordered by name,
// in the same direction.
type ProjectFilter struct {
	Page
	SortBy     ProjectSort // "" is SortByName
	Descending bool
}

// ProjectStore keeps CodeBuild build projects. On the Store each method is one
// transaction; through a transaction's Executor it joins that one.
type ProjectStore interface {
	// CreateProject stores p with its Revision (EAlreadyExists/Project when the name is taken).
	CreateProject(ctx context.Context, p *BuildProject) error
	// UpdateProject replaces the project named p.Name with p when its stored revision is
	// p.Revision-1 (EConflict/Project when another update came first, ENotFound/Project
	// when it is gone). Name, ARN and Created never change.
	UpdateProject(ctx context.Context, p *BuildProject) error
	// GetProject returns the named project (ENotFound/Project).
	GetProject(ctx context.Context, name string) (*BuildProject, error)
	// ListProjects returns one page of projects in f's order.
	ListProjects(ctx context.Context, f ProjectFilter) ([]*BuildProject, string, error)
	// DeleteProject removes the named project (ENotFound/Project).
	DeleteProject(ctx context.Context, name string) error
}

// TagStore keeps resource tags by ARN.
type TagStore interface {
	ListTags(ctx context.Context, arn string) (map[string]string, error)
	TagResource(ctx context.Context, arn string, tags map[string]string) error
	UntagResource(ctx context.Context, arn string, keys []string) error
}

// ActionTypeStore keeps custom action types.
type ActionTypeStore interface {
	// CreateActionType stores t (EAlreadyExists/ActionType when its id exists, even deleted).
	CreateActionType(ctx context.Context, t *CustomActionType) error
	// RestoreActionType undeletes a deleted type (ENotFound/ActionType when none is deleted).
	RestoreActionType(ctx context.Context, id ActionTypeID) error
	// DeleteActionType marks a type deleted (ENotFound/ActionType when none is active).
	DeleteActionType(ctx context.Context, id ActionTypeID) error
	// GetActionType returns a type, deleted or not (ENotFound/ActionType).
	GetActionType(ctx context.Context, id ActionTypeID) (*CustomActionType, error)
	// ListActionTypes returns every type, deleted ones included, by id.
	ListActionTypes(ctx context.Context) ([]*CustomActionType, error)
}

// ConnectionStore keeps connections and hosts (CodeStar connections). Lists are by creation.
type ConnectionStore interface {
	CreateConnection(ctx context.Context, c *Connection) error          // EAlreadyExists/Connection
	GetConnection(ctx context.Context, arn string) (*Connection, error) // ENotFound/Connection
	ListConnections(ctx context.Context) ([]*Connection, error)
	// UpdateConnection replaces the connection's status and credentials (ENotFound/Connection).
	UpdateConnection(ctx context.Context, c *Connection) error
	// DeleteConnection removes the connection and its webhook deliveries (ENotFound/Connection).
	DeleteConnection(ctx context.Context, arn string) error
	CreateHost(ctx context.Context, h *Host) error          // EAlreadyExists/Host
	GetHost(ctx context.Context, arn string) (*Host, error) // ENotFound/Host
	ListHosts(ctx context.Context) ([]*Host, error)
	DeleteHost(ctx context.Context, arn string) error // ENotFound/Host
}

// WebhookDeliveryStore keeps each connection's webhook deliveries: the log users read and
// the ids that refuse replays. On the Store every method is one transaction; through a
// transaction's Executor it joins that one.
type WebhookDeliveryStore interface {
	// AddWebhookDelivery stores d and sets d.Seq, then drops the connection's oldest
	// deliveries past the newest keep accepted ones and the newest keep refused ones (keep
	// <= 0 keeps everything). A d whose Result is DeliveryReceived is refused with
	// EAlreadyExists/WebhookDelivery, storing nothing, when the connection already has a
	// delivery with the same DeliveryID, or the same non-empty BodyDigest, that was not
	// refused (duplicates count as refused): checking and storing are one
	// step, so of two concurrent copies of a delivery exactly one is received.
	AddWebhookDelivery(ctx context.Context, d *WebhookDelivery, keep int) error
	// FinishWebhookDelivery writes the Result, Reason and Executions of the received
	// delivery d.Seq: EConflict/WebhookDelivery when no delivery d.Seq is DeliveryReceived
	// (it was finished already, or dropped from the log).
	FinishWebhookDelivery(ctx context.Context, d *WebhookDelivery) error
	// InterruptWebhookDeliveries marks every DeliveryReceived delivery DeliveryInterrupted
	// and releases its id (as a refused one's), at start-up, before any delivery arrives.
	InterruptWebhookDeliveries(ctx context.Context) (int, error)
	// ListWebhookDeliveries returns a connection's deliveries newest first (by Seq).
	ListWebhookDeliveries(ctx context.Context, connectionARN string, p Page) ([]*WebhookDelivery, string, error)
}

// AccessKey is an API credential; Principal is the ARN calls made with it act as.
type AccessKey struct {
	ID        string
	Secret    string
	Principal string
	Created   time.Time
}

// KeyStore keeps API access keys.
type KeyStore interface {
	GetAccessKey(ctx context.Context, id string) (*AccessKey, error) // ENotFound/AccessKey
	PutAccessKey(ctx context.Context, k *AccessKey) error
}

// ArtifactStore keeps artifacts (zip files) by key. Content is streamed, never held whole.
type ArtifactStore interface {
	// Put stores r under key atomically: readers see all of it or nothing.
	Put(ctx context.Context, key string, r io.Reader) (int64, error)
	// Open returns the artifact's content (ENotFound/Artifact when absent).
	Open(ctx context.Context, key string) (io.ReadCloser, error)
	Delete(ctx context.Context, key string) error
}

// Provider runs the jobs of one or more built-in action types.
type Provider interface {
	// Types declares the action types this provider runs (configuration properties and
	// artifact bounds are used by validation and ListActionTypes).
	Types() []ActionType
	// Run runs one job. A returned error is a system failure; a failed action is an
	// Outcome with Success false.
	Run(ctx context.Context, rc *RunContext) (*Outcome, error)
}

// RunContext is a job as a provider sees it: inputs unpacked, a log to write to.
type RunContext struct {
	Job        *Job
	WorkDir    string            // the first input artifact's directory, or an empty directory
	InputDirs  map[string]string // input artifact name -> directory
	ScratchDir string            // a private directory that is removed after the job
	Env        []string          // CODEPIPELINE_* and input-artifact variables, KEY=VALUE
	Log        io.Writer
}

// Outcome is what a provider's Run produced.
type Outcome struct {
	Success           bool
	Summary           string
	ErrorType         string
	ErrorMessage      string
	ExternalID        string
	ContinuationToken string
	OutputVariables   map[string]string
	Revision          *Revision
	// Artifacts maps output artifact names to their content.
	Artifacts map[string]ArtifactSource
}

// ArtifactSource is the content of one output artifact: a ready zip file, or files under Dir
// (all of them, or those matching Files globs, with ** spanning directories).
type ArtifactSource struct {
	ZipFile string
	Dir     string
	Files   []string
}
