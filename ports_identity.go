package sluice

import "context"

// IdentityStore keeps IAM's users, groups, policies and attachments; access keys stay in
// KeyStore, with their owner and status. Names of users and groups compare without case
// (EAlreadyExists for "Bob" when "bob" exists; Get of "BOB" finds "bob"); policy names and
// ARNs compare exactly. Lists return everything, ordered by name (IAM's quotas keep them
// small), and pages are cut by the core. The store checks existence and uniqueness only:
// quotas and what must be gone before a delete are the core's rules, which it checks in
// the same InTx as the write.
type IdentityStore interface {
	// CreateUser stores u (EAlreadyExists/User when the name is taken).
	CreateUser(ctx context.Context, u *User) error
	// GetUser returns the named user (ENotFound/User).
	GetUser(ctx context.Context, name string) (*User, error)
	// ListUsers returns every user.
	ListUsers(ctx context.Context) ([]*User, error)
	// DeleteUser removes the named user (ENotFound/User) and nothing else.
	DeleteUser(ctx context.Context, name string) error

	// CreateGroup stores g (EAlreadyExists/Group).
	CreateGroup(ctx context.Context, g *Group) error
	// GetGroup returns the named group (ENotFound/Group).
	GetGroup(ctx context.Context, name string) (*Group, error)
	// ListGroups returns every group.
	ListGroups(ctx context.Context) ([]*Group, error)
	// DeleteGroup removes the named group (ENotFound/Group) and nothing else.
	DeleteGroup(ctx context.Context, name string) error
	// AddUserToGroup makes the user a member; adding a member again changes nothing. Both
	// must exist (ENotFound/User, ENotFound/Group).
	AddUserToGroup(ctx context.Context, group, user string) error
	// RemoveUserFromGroup ends a membership (ENotFound/Membership when there is none).
	RemoveUserFromGroup(ctx context.Context, group, user string) error
	// GroupMembers returns a group's users; GroupsOfUser a user's groups.
	GroupMembers(ctx context.Context, group string) ([]*User, error)
	GroupsOfUser(ctx context.Context, user string) ([]*Group, error)

	// PutInlinePolicy stores an inline policy of o, replacing one of the same name. The owner
	// must exist (ENotFound/User or Group).
	PutInlinePolicy(ctx context.Context, o PolicyOwner, p InlinePolicy) error
	// GetInlinePolicy returns one (ENotFound/InlinePolicy).
	GetInlinePolicy(ctx context.Context, o PolicyOwner, name string) (*InlinePolicy, error)
	// InlinePolicies returns every inline policy of o, by name.
	InlinePolicies(ctx context.Context, o PolicyOwner) ([]InlinePolicy, error)
	// DeleteInlinePolicy removes one (ENotFound/InlinePolicy).
	DeleteInlinePolicy(ctx context.Context, o PolicyOwner, name string) error

	// CreatePolicy stores a customer managed policy with p.Document as its default version
	// p.DefaultVersion (EAlreadyExists/Policy when the name is taken).
	CreatePolicy(ctx context.Context, p *ManagedPolicy) error
	// GetPolicy returns the policy with that ARN and its default version's document
	// (ENotFound/Policy).
	GetPolicy(ctx context.Context, arn string) (*ManagedPolicy, error)
	// ListPolicies returns every customer managed policy.
	ListPolicies(ctx context.Context) ([]*ManagedPolicy, error)
	// GetPolicyVersion returns one version (ENotFound/PolicyVersion; ENotFound/Policy when
	// the policy does not exist).
	GetPolicyVersion(ctx context.Context, arn, version string) (*PolicyVersion, error)
	// DeletePolicy removes a policy and its versions (ENotFound/Policy).
	DeletePolicy(ctx context.Context, arn string) error

	// AttachPolicy attaches the managed policy arn (customer or AWS) to o; attaching it again
	// changes nothing. The owner must exist (ENotFound/User or Group); the policy is the
	// core's to check.
	AttachPolicy(ctx context.Context, o PolicyOwner, arn string) error
	// DetachPolicy ends an attachment (ENotFound/Attachment when there is none).
	DetachPolicy(ctx context.Context, o PolicyOwner, arn string) error
	// AttachedPolicies returns the ARNs attached to o, ordered.
	AttachedPolicies(ctx context.Context, o PolicyOwner) ([]string, error)
	// PolicyAttachments counts the users and groups arn is attached to.
	PolicyAttachments(ctx context.Context, arn string) (int, error)

	// UserAccessKeys returns the access keys of a user (RootUserName: the root's), oldest
	// first, KeyRetired ones left out.
	UserAccessKeys(ctx context.Context, user string) ([]*AccessKey, error)
	// SetAccessKeyStatus changes a key's status (ENotFound/AccessKey).
	SetAccessKeyStatus(ctx context.Context, id string, status KeyStatus) error
	// DeleteAccessKey removes a key (ENotFound/AccessKey): it never signs again.
	DeleteAccessKey(ctx context.Context, id string) error
	// RetireRootKeys marks every root key but keep KeyRetired (see KeyRetired).
	RetireRootKeys(ctx context.Context, keep string) error
}
