package sluice

import "time"

// GitEventKind says what a git host's webhook delivery reported.
type GitEventKind string

const (
	GitEventPush        GitEventKind = "PUSH"
	GitEventPullRequest GitEventKind = "PULL_REQUEST"
	// GitEventPing is the host testing the hook: answered, starts nothing.
	GitEventPing GitEventKind = "PING"
	// GitEventIgnored is a well-formed delivery no trigger reacts to; GitEvent.Reason says why.
	GitEventIgnored GitEventKind = "IGNORED"
)

// PullRequestAction is a pull request event as V2 trigger filters name it
// (GitPullRequestFilter.Events, SEMANTICS §8.2).
type PullRequestAction string

const (
	PullRequestOpen    PullRequestAction = "OPEN"
	PullRequestUpdated PullRequestAction = "UPDATED"
	PullRequestClosed  PullRequestAction = "CLOSED"
)

// GitEvent is one change a git host reported, the same whichever host sent it: what V2
// trigger filters are evaluated against and what a WebhookV2 execution trigger describes.
type GitEvent struct {
	Kind   GitEventKind
	Reason string // why an IGNORED delivery starts nothing
	// DeliveryID is the host's id of the delivery, kept on redelivery: replays are refused by it.
	DeliveryID string
	HookID     string // the hook that sent the delivery, when the host says
	Repository string // full name, "owner/repo"
	CloneURL   string

	// Pushes. Ref is the full ref; Branch or Tag is its short name (main, release/1.2, v1.0).
	Ref     string
	Branch  string
	Tag     string
	Created bool // the push created the ref (Before is all zeros)
	Deleted bool // the push deleted the ref (After is all zeros)
	Before  string
	After   string

	// HeadCommit is the pushed ref's new tip, or a pull request's head commit (as far as the
	// host describes it).
	HeadCommit GitCommit

	// ChangedFiles are the paths added, modified or removed by the pushed commits, each once,
	// in commit order. FilesListed says the delivery carried file lists at all (GitHub and
	// GitLab pushes do; Bitbucket deliveries and pull requests do not, so a caller must ask
	// the host). FilesTruncated says the host cut the commit list, so files may be missing.
	ChangedFiles   []string
	FilesListed    bool
	FilesTruncated bool

	PullRequest *GitPullRequest // set for GitEventPullRequest

	// More holds further ref changes of the same delivery: Bitbucket reports every ref a
	// push touched in one delivery, where GitHub and GitLab send one delivery per ref.
	More []GitEvent
}

// GitCommit describes one commit as a webhook delivery shows it.
type GitCommit struct {
	ID          string
	Message     string
	AuthorName  string
	AuthorEmail string
	Timestamp   time.Time
	URL         string
}

// GitPullRequest is the pull request a GitEventPullRequest is about.
type GitPullRequest struct {
	Number       int
	Action       PullRequestAction
	Merged       bool // a CLOSED pull request that was merged
	SourceBranch string
	TargetBranch string // what PR trigger filters match branches against
	HeadCommitID string
	Title        string
	URL          string
}

// All returns the event followed by the further ref changes of its delivery.
func (e *GitEvent) All() []GitEvent {
	out := make([]GitEvent, 0, 1+len(e.More))
	first := *e
	first.More = nil
	out = append(out, first)
	return append(out, e.More...)
}

// RefUpdate is one ref a push to a hosted repository changed (a full ref name). Old is all
// zeros for a created ref, New for a deleted one.
type RefUpdate struct {
	Ref string
	Old string
	New string
}
