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

// Store keeps all durable state. This doc and the docs of the interfaces it embeds (in the
// ports*.go files) are the whole contract of an adapter; store/storetest checks it against
// every adapter, naming the doc each check checks.
//
// Every change of a pipeline goes through Update, which serialises the changes of one
// pipeline (one writer per pipeline); changes of other resources go through the Store's
// Executor methods, each its own transaction, or through InTx, which makes several of them
// one. Every method is safe for concurrent use.
//
// Errors are *Error values with codes ENotFound (Resource names what), EAlreadyExists,
// EConflict, ELimit, EInvalidNonce, EInvalidJobState and EInvalid (Resource "NextToken" for
// a token the store did not issue), as each method says; anything else is internal.
//
// Times come back in UTC, at least to the microsecond; empty maps and slices may come back
// nil. Lists take a Page (see Page).
type Store interface {
	// Update runs fn in one transaction holding pipelineName's lock, so the Updates of one
	// pipeline never interleave. fn's error rolls it back and is returned as is; a panic in
	// fn rolls it back and panics again. fn writes through its Tx only: a write through the
	// Store from inside fn may wait for fn's own transaction forever (SQLite has one writer).
	Update(ctx context.Context, pipelineName string, fn func(Tx) error) error
	// InTx runs fn in one transaction that belongs to no pipeline: every write fn makes
	// through its Executor (a resource, its tags, its outbox rows, its notifications) commits
	// when fn returns nil, and none does when fn returns an error (returned as is) or panics
	// (which goes on). As with Update, fn writes through its Executor only; it reads its own
	// writes.
	InTx(ctx context.Context, fn func(Executor) error) error
	// Executor's methods on the Store each run in a transaction of their own.
	Executor
	Notifier
	Outbox
	AuditLog
	Reader
	WatchIndex
	JobStore
	LeaseStore
	RepositoryLocker
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
	ThirdPartyClientStore
	DeployTargetStore
	ConnectionStore
	WebhookDeliveryStore
	WebhookStore
	PushHeadStore
	SecretStore
	ParameterStore
	IdentityStore
	AuditWriter
	SessionStore
	DeliveryStore
	NotificationRuleStore
	ChatChannelStore
	EventRuleStore
	TopicStore
	// Notify publishes a wake-up on topic (see Notifier): from the Store at once, from a
	// transaction when it commits, never when it rolls back.
	Notify(ctx context.Context, topic string) error
	// AddEvents appends events to the outbox (see Outbox) under their own PipelineName,
	// after every event committed before; a transaction that adds events notifies
	// TopicOutbox when it commits.
	AddEvents(ctx context.Context, events ...Event) error
}

// Tx is one pipeline's transaction. It is not safe for concurrent use. It writes only its
// own pipeline: every row is stored under the transaction's pipeline name, and creating or
// saving a pipeline of another name is EInvalid. Its Executor methods join the
// transaction: a pipeline and its tags, or a resource and the plan that uses it, commit
// together or not at all.
type Tx interface {
	Executor
	// Pipeline returns the pipeline the transaction is about, at its current version
	// (ENotFound/Pipeline when absent, as GetPipeline).
	Pipeline(ctx context.Context) (*Pipeline, error)
	// CreatePipeline stores p as version 1 and tags under p.ARN (EAlreadyExists/Pipeline
	// when the name is taken).
	CreatePipeline(ctx context.Context, p *Pipeline, tags map[string]string) error
	// SavePipeline stores p.Declaration as version p.Declaration.Version (which the caller
	// has set to the current version + 1) and makes it current: ENotFound/Pipeline when the
	// pipeline is absent, EConflict/Pipeline when that version exists.
	SavePipeline(ctx context.Context, p *Pipeline) error
	// DeletePipeline removes the pipeline with its versions, executions, stage runs, action
	// runs, rule runs, jobs, stage state and tags (ENotFound/Pipeline when absent). Its outbox events
	// stay: they record what happened.
	DeletePipeline(ctx context.Context) error
	// Snapshot reads the engine's view of the pipeline. Pipeline is current; Executions are
	// the pipeline's InProgress and Stopping executions plus those of include (any status,
	// this pipeline's only), plus the RollbackTarget of every loaded execution and the
	// executions RollbackTargets names, by Seq; StageRuns, ActionRuns and RuleRuns (every
	// attempt, by StartTime then insertion) and open Jobs (Queued, Dispatched, InProgress)
	// are those of the loaded executions; RollbackTargets is filled for the stages of the
	// current declaration that have a ROLLBACK result (onFailure.result or a condition's);
	// Declarations holds the current version and every version a loaded execution runs;
	// Stages holds every stage row of the pipeline; Now is zero.
	Snapshot(ctx context.Context, include ...string) (*Snapshot, error)
	// Apply writes plan: executions, stage runs, action runs, rule runs, jobs, stages, then events (to
	// the outbox). A Change with Insert inserts its row (EConflict when the key exists);
	// otherwise it updates every mutable column of the row whose key matches and whose
	// status is From, and no such row is EConflict with Resource PipelineExecution, Stage,
	// Action, Rule or Job. Keys: execution ID; stage run (ExecutionID, StageName); action run
	// ID; rule run ID; job ID. An inserted execution with Seq 0 gets the pipeline's next sequence number (the
	// largest so far + 1), written back into the row; any other Seq is stored as given.
	// Stages are upserted whole (nil deletes the row). The caller returns Apply's error from
	// fn, so a conflict leaves nothing of the plan behind. When it commits, the transaction
	// notifies TopicOutbox for events, TopicJobs for a job inserted or moved to Queued, and
	// TopicTimers for an action or rule run inserted with a Deadline.
	Apply(ctx context.Context, plan *Plan) error
	// ExecutionByClientToken returns the id of this pipeline's execution started with
	// token, or "" (always "" for token "").
	ExecutionByClientToken(ctx context.Context, token string) (string, error)
	// ExecutionByApprovalToken returns the execution whose action run holds the approval
	// token, open or answered, or "".
	ExecutionByApprovalToken(ctx context.Context, token string) (string, error)
	ExecutionPruner
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
	// Env is the whole base environment of the action's code, KEY=VALUE: PATH, HOME, LANG,
	// TMPDIR, the CODEPIPELINE_* and input-artifact variables and the operator's additions,
	// never the worker's own environment.
	Env []string
	Log io.Writer
	// Workspace is the job's directory, holding WorkDir, InputDirs and ScratchDir; Sandbox
	// runs the action's code in it. A provider that runs code fails the job without a Sandbox.
	Workspace string
	Sandbox   Sandbox
	// Shell, when set, is a shell already started in Sandbox for Workspace: a provider that
	// runs one shell script may Start it instead of starting a shell (and must leave it
	// alone otherwise; the runner closes it after the job).
	Shell ReadyShell
	// Secrets resolves the secrets the job refers to (nil where none can be: the provider
	// then fails a job that refers to one). Values it returns are masked in Log.
	Secrets SecretResolver
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
