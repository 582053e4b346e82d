package sluice

import (
	"context"
	"time"
)

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
	// CreateRepository stores r (EAlreadyExists/Repository when the name is taken).
	CreateRepository(ctx context.Context, r *Repository) error
	// GetRepository returns the named repository (ENotFound/Repository).
	GetRepository(ctx context.Context, name string) (*Repository, error)
	// ListRepositories returns every repository, by name.
	ListRepositories(ctx context.Context) ([]*Repository, error)
	// DeleteRepository removes the named repository (ENotFound/Repository).
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
	// ListProjects returns one page of projects in f's order (a token of another order is
	// EInvalid/NextToken).
	ListProjects(ctx context.Context, f ProjectFilter) ([]*BuildProject, string, error)
	// DeleteProject removes the named project (ENotFound/Project).
	DeleteProject(ctx context.Context, name string) error
}

// TagStore keeps resource tags by ARN.
type TagStore interface {
	// ListTags returns the tags of arn; an ARN without tags has none (not an error).
	ListTags(ctx context.Context, arn string) (map[string]string, error)
	// TagResource adds tags to arn, replacing the values of keys it has.
	TagResource(ctx context.Context, arn string, tags map[string]string) error
	// UntagResource removes keys from arn; keys it does not have are ignored.
	UntagResource(ctx context.Context, arn string, keys []string) error
}

// ActionTypeStore keeps custom action types.
type ActionTypeStore interface {
	// CreateActionType stores t (EAlreadyExists/ActionType when its id exists, even deleted).
	CreateActionType(ctx context.Context, t *CustomActionType) error
	// RestoreActionType undeletes a deleted type (ENotFound/ActionType when none is deleted).
	RestoreActionType(ctx context.Context, id ActionTypeID) error
	// UpdateActionType replaces the definition and Declared of an active type
	// (ENotFound/ActionType when none is active); Deleted and Created stay.
	UpdateActionType(ctx context.Context, t *CustomActionType) error
	// DeleteActionType marks a type deleted (ENotFound/ActionType when none is active).
	DeleteActionType(ctx context.Context, id ActionTypeID) error
	// GetActionType returns a type, deleted or not (ENotFound/ActionType).
	GetActionType(ctx context.Context, id ActionTypeID) (*CustomActionType, error)
	// ListActionTypes returns every type, deleted ones included, by category, owner,
	// provider, then version.
	ListActionTypes(ctx context.Context) ([]*CustomActionType, error)
}

// ConnectionStore keeps connections and hosts (CodeStar connections).
type ConnectionStore interface {
	// CreateConnection stores c (EAlreadyExists/Connection when its ARN is taken).
	CreateConnection(ctx context.Context, c *Connection) error
	// GetConnection returns a connection by ARN (ENotFound/Connection).
	GetConnection(ctx context.Context, arn string) (*Connection, error)
	// ListConnections returns every connection, oldest first.
	ListConnections(ctx context.Context) ([]*Connection, error)
	// UpdateConnection replaces the connection's status and credentials (ENotFound/Connection).
	UpdateConnection(ctx context.Context, c *Connection) error
	// DeleteConnection removes the connection and its webhook deliveries (ENotFound/Connection).
	DeleteConnection(ctx context.Context, arn string) error
	// CreateHost stores h (EAlreadyExists/Host when its ARN is taken).
	CreateHost(ctx context.Context, h *Host) error
	// GetHost returns a host by ARN (ENotFound/Host).
	GetHost(ctx context.Context, arn string) (*Host, error)
	// ListHosts returns every host, oldest first.
	ListHosts(ctx context.Context) ([]*Host, error)
	// DeleteHost removes a host (ENotFound/Host).
	DeleteHost(ctx context.Context, arn string) error
}

// WebhookDeliveryStore keeps each connection's webhook deliveries: the log users read and
// the ids that refuse replays. On the Store every method is one transaction; through a
// transaction's Executor it joins that one.
type WebhookDeliveryStore interface {
	// AddWebhookDelivery stores d and sets d.Seq (increasing), then drops the connection's oldest
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
	// InterruptWebhookDeliveries marks every DeliveryReceived delivery received before
	// before DeliveryInterrupted and releases its id (as a refused one's): a single server at
	// start-up, before any delivery arrives, for all of them; the leader of replicas, which
	// cannot tell a dead replica's deliveries from a live one's, for those older than any
	// delivery takes to handle.
	InterruptWebhookDeliveries(ctx context.Context, before time.Time) (int, error)
	// ListWebhookDeliveries returns a connection's deliveries newest first (by Seq).
	ListWebhookDeliveries(ctx context.Context, connectionARN string, p Page) ([]*WebhookDelivery, string, error)
}

// AccessKey is an API credential; Principal is the ARN calls made with it act as. UserName
// is the IAM user owning it (RootUserName for the root's keys); Status "" is stored as
// KeyActive.
type AccessKey struct {
	ID        string
	Secret    string
	Principal string
	Created   time.Time
	UserName  string
	Status    KeyStatus
}

// KeyStore keeps API access keys. Whoever checks a signature must also check the key's
// Status: an inactive key is kept, and refused.
type KeyStore interface {
	// GetAccessKey returns the key with that id (ENotFound/AccessKey).
	GetAccessKey(ctx context.Context, id string) (*AccessKey, error)
	// PutAccessKey stores k, replacing a key with the same id.
	PutAccessKey(ctx context.Context, k *AccessKey) error
}

// PushHead is where the push trigger last left a branch of a hosted repository: the head it
// acted on ("" once the branch was deleted) and how many pushes of the branch it acted on.
// Seq names the executions the next push starts (their client token), so that acting on a
// push twice, once before a crash and once after, starts each pipeline once.
type PushHead struct {
	Head string
	Seq  int64
}

// PushHeadStore keeps the push trigger's progress on hosted repositories. Deleting a
// repository forgets its heads.
type PushHeadStore interface {
	// PushHeads returns the branches of repo the trigger acted on, by name, and whether
	// they are known: false for a repository created before they were kept, until
	// BaselinePushHeads.
	PushHeads(ctx context.Context, repo string) (map[string]PushHead, bool, error)
	// SetPushHead records that the trigger acted on branch at h.Head, when the stored Seq
	// is h.Seq-1 (none stored, for 1); EConflict/PushHead otherwise.
	SetPushHead(ctx context.Context, repo, branch string, h PushHead) error
	// BaselinePushHeads takes heads (branch -> head) as acted on, with Seq 0 for branches
	// never recorded, and marks repo's heads known.
	BaselinePushHeads(ctx context.Context, repo string, heads map[string]string) error
}
