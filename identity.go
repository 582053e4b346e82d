package sluice

import "time"

// User is an IAM user: a principal with its own access keys and policies. Names are unique
// in the account without regard to case; the stored case is the one shown.
type User struct {
	Name    string
	Path    string // "/" or "/a/b/"
	ID      string // "AIDA" + 17 characters, new for every user ever created
	ARN     string // arn:aws:iam::<account>:user<path><name>
	Created time.Time
}

// Group is an IAM group: its policies apply to every member.
type Group struct {
	Name    string
	Path    string
	ID      string // "AGPA…"
	ARN     string
	Created time.Time
}

// ManagedPolicy is a customer managed policy: a document with versions, attachable to users
// and groups. Document is the default version's.
type ManagedPolicy struct {
	Name           string
	Path           string
	ID             string // "ANPA…"
	ARN            string // arn:aws:iam::<account>:policy<path><name>
	Description    string
	DefaultVersion string // "v1", "v2" …
	Document       string
	Created        time.Time
	Updated        time.Time
}

// PolicyVersion is one version of a managed policy's document.
type PolicyVersion struct {
	PolicyARN string
	VersionID string
	Document  string
	Default   bool
	Created   time.Time
}

// InlinePolicy is a policy embedded in one user or group, named within it.
type InlinePolicy struct {
	Name     string
	Document string
}

// PolicyOwner is what holds an inline policy or an attachment: a user or a group.
type PolicyOwner struct {
	Kind OwnerKind
	Name string
}

// OwnerKind says whether a PolicyOwner is a user or a group.
type OwnerKind string

// The kinds of PolicyOwner.
const (
	OwnerUser  OwnerKind = "user"
	OwnerGroup OwnerKind = "group"
)

// KeyStatus is an access key's status. Only Active keys sign requests.
type KeyStatus string

// Access keys' statuses. KeyRetired is a root key a newer one replaced: it never signs
// again, is listed nowhere, and a server configured with it refuses to start.
const (
	KeyActive   KeyStatus = "Active"
	KeyInactive KeyStatus = "Inactive"
	KeyRetired  KeyStatus = "Retired"
)

// IAM's quotas, enforced as fixed (AWS's defaults).
const (
	MaxAccessKeysPerUser = 2
	MaxGroupsPerUser     = 10
	MaxAttachedPolicies  = 10 // per user and per group
	MaxUserInlineSize    = 2048
	MaxGroupInlineSize   = 5120
	MaxManagedPolicySize = 6144
	MaxUsers             = 5000
	MaxGroups            = 300
	MaxCustomerPolicies  = 1500
	MaxPolicyVersions    = 5
	RootUserName         = "" // the UserName of the root's access keys
)
