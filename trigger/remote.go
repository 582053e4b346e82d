package trigger

import (
	"context"

	"sluice"
	"sluice/gitremote"
)

// Repo is a repository reached through a connection.
type Repo struct {
	Conn *sluice.Connection
	ID   string // the source action's FullRepositoryId
}

// URL is the repository's clone URL.
func (r Repo) URL() string { return r.Conn.RepositoryURL(r.ID) }

// Diff names the changes whose files a trigger filter tests: From..To, or, with MergeBase,
// from the merge base of From and To (a pull request's changes against its target).
type Diff struct {
	From, To  string
	MergeBase bool
}

// Remote reads the repositories connections reach. Implementations are safe for
// concurrent use; errors are the caller's to log.
type Remote interface {
	// Head is where branch points on the server, by ls-remote: nothing is cloned or fetched.
	// A branch the server lacks is ENotFound/Branch.
	Head(ctx context.Context, r Repo, branch string) (string, error)
	// Commit describes a commit, fetching the repository's mirror when it lacks it.
	Commit(ctx context.Context, r Repo, sha string) (sluice.GitCommit, error)
	// ChangedFiles brings the mirror up to date, then lists the paths d changes.
	ChangedFiles(ctx context.Context, r Repo, d Diff) ([]string, error)
}

// MirrorRemote is the Remote of the server: cached mirrors (package gitremote), reached with
// each connection's credentials.
type MirrorRemote struct{ Mirrors *gitremote.Mirrors }

var _ Remote = MirrorRemote{}

// Head asks the server by ls-remote.
func (m MirrorRemote) Head(ctx context.Context, r Repo, branch string) (string, error) {
	return m.Mirrors.Head(ctx, r.URL(), gitremote.ConnectionAuth(r.Conn), branch)
}

// Commit reads the commit out of the mirror.
func (m MirrorRemote) Commit(ctx context.Context, r Repo, sha string) (sluice.GitCommit, error) {
	c, err := m.Mirrors.Commit(ctx, r.URL(), gitremote.ConnectionAuth(r.Conn), sha)
	if err != nil {
		return sluice.GitCommit{}, err
	}
	return sluice.GitCommit{ID: c.ID, Message: c.Message, AuthorName: c.AuthorName, AuthorEmail: c.AuthorEmail,
		Timestamp: c.CommitterDate, URL: r.Conn.CommitURL(r.ID, c.ID)}, nil
}

// beforeMerge is the merge base of head with the target as it was before the merge commit
// that brought head into target.
func (m MirrorRemote) beforeMerge(ctx context.Context, url, head, target string) (string, error) {
	merge, err := m.Mirrors.MergedBy(ctx, url, head, target)
	if err != nil || merge == "" {
		return head, err
	}
	return m.Mirrors.MergeBase(ctx, url, merge+"^1", head)
}

// ChangedFiles fetches, then diffs in the mirror.
func (m MirrorRemote) ChangedFiles(ctx context.Context, r Repo, d Diff) ([]string, error) {
	url := r.URL()
	if err := m.Mirrors.Fetch(ctx, url, gitremote.ConnectionAuth(r.Conn)); err != nil {
		return nil, err
	}
	from := d.From
	if d.MergeBase {
		base, err := m.Mirrors.MergeBase(ctx, url, d.From, d.To)
		if err != nil {
			return nil, err
		}
		if base == d.To {
			// A merged pull request: the target already contains its head, so the merge
			// base is the head itself. Its changes start where the target stood before the
			// merge commit that brought it in.
			if base, err = m.beforeMerge(ctx, url, d.To, d.From); err != nil {
				return nil, err
			}
		}
		from = base
	}
	return m.Mirrors.ChangedFiles(ctx, url, from, d.To)
}
