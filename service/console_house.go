package service

import (
	"context"
	"sort"
	"sync"
	"time"

	"sluice"
)

// The console's reads of "the rest of the house" that no API operation answers, each asked
// as the IAM action AWS's console asks for the same view (CodeCommit's permission-only
// actions), or Sluice's own where AWS has none.
const (
	actListBranches       = "codecommit:ListBranches"
	actGetCommitHistory   = "codecommit:GetCommitHistory"
	actListWorkers        = "sluice:ListWorkers"
	maxConsoleCommits     = 100
	defaultConsoleCommits = 20
)

// RepoBrowser reads what a hosted repository holds. A RepoHost that also implements it
// (githost.Host does) lets BrowseRepository show branches and commits; without it the
// repository's metadata alone is shown. Safe for concurrent use.
type RepoBrowser interface {
	// Branches returns each branch's name and the commit it points at (ENotFound/Repository).
	Branches(ctx context.Context, repo string) (map[string]string, error)
	// Log returns up to limit commits reachable from ref (a full ref, "refs/heads/main"),
	// newest first: RevisionID the commit id, Summary its subject line, Created its
	// committer date, Variables["AuthorName"] its author (ENotFound/Repository,
	// ENotFound/Reference).
	Log(ctx context.Context, repo, ref string, limit int) ([]sluice.Revision, error)
}

// BranchHead is a branch of a hosted repository and the commit it points at.
type BranchHead struct {
	Name   string
	Commit string
}

// RepositoryView is a hosted repository as the console shows it: its metadata, its
// branches by name, and the recent commits of one of them (Branch).
type RepositoryView struct {
	*sluice.Repository
	Branches []BranchHead
	Branch   string
	Commits  []sluice.Revision
}

// BrowseRepository returns a hosted repository with its branches and the last limit (0:
// 20, at most 100) commits of branch ("": the default branch, else the first there is). It
// asks codecommit:GetRepository, ListBranches and GetCommitHistory on the repository: a
// caller without all three gets EAccessDenied, never part of the view.
func (s *Service) BrowseRepository(ctx context.Context, c sluice.Caller, name, branch string, limit int) (*RepositoryView, error) {
	if _, err := s.repos(name); err != nil {
		return nil, err
	}
	for _, action := range []string{actGetRepository, actListBranches, actGetCommitHistory} {
		if err := s.allow(ctx, c, action, s.repositoryARN(name)); err != nil {
			return nil, err
		}
	}
	r, err := s.Store.GetRepository(ctx, name)
	if err != nil {
		return nil, err
	}
	v := &RepositoryView{Repository: r}
	b, ok := s.Repos.(RepoBrowser)
	if !ok {
		return v, nil
	}
	heads, err := b.Branches(ctx, name)
	if err != nil {
		return nil, err
	}
	for n, sha := range heads {
		v.Branches = append(v.Branches, BranchHead{Name: n, Commit: sha})
	}
	sort.Slice(v.Branches, func(i, j int) bool { return v.Branches[i].Name < v.Branches[j].Name })
	v.Branch = pickBranch(heads, v.Branches, branch, r.DefaultBranch)
	if v.Branch == "" {
		return v, nil
	}
	if limit <= 0 {
		limit = defaultConsoleCommits
	}
	v.Commits, err = b.Log(ctx, name, "refs/heads/"+v.Branch, min(limit, maxConsoleCommits))
	return v, err
}

// pickBranch is the branch to show: the one asked for, else the default branch ("main"
// when the repository names none), else the first; "" when there is none.
func pickBranch(heads map[string]string, sorted []BranchHead, want, def string) string {
	if def == "" {
		def = "main"
	}
	for _, n := range []string{want, def} {
		if _, ok := heads[n]; ok && n != "" {
			return n
		}
	}
	if len(sorted) > 0 {
		return sorted[0].Name
	}
	return ""
}

// SeenWorker is a `sluice worker` that polled this server: its name, the labels and types
// it polled for, and when it last did.
type SeenWorker struct {
	Name     string
	Labels   []string
	Types    []sluice.ActionTypeID
	LastSeen time.Time
}

// workerBook remembers the workers that polled this server (PollForWorkerJobs), in memory:
// it is per server, and starts empty when the server starts. Its zero value is ready.
type workerBook struct {
	mu   sync.Mutex
	seen map[string]SeenWorker
}

// saw records a poll of p's worker at now.
func (b *workerBook) saw(p WorkerPollParams, now time.Time) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.seen == nil {
		b.seen = map[string]SeenWorker{}
	}
	b.seen[p.Worker] = SeenWorker{Name: p.Worker, Labels: append([]string(nil), p.Labels...),
		Types: append([]sluice.ActionTypeID(nil), p.Types...), LastSeen: now}
}

// list returns the workers seen, by name.
func (b *workerBook) list() []SeenWorker {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := make([]SeenWorker, 0, len(b.seen))
	for _, w := range b.seen {
		out = append(out, w)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// WorkersView is what the console shows of workers: the remote workers that polled this
// server, the jobs held by any worker (in-process pools included), and how many wait.
type WorkersView struct {
	Seen    []SeenWorker
	Running []*sluice.Job
	Queued  int
}

// Workers returns the workers this server has seen poll and every leased job (sluice:ListWorkers).
func (s *Service) Workers(ctx context.Context, c sluice.Caller) (*WorkersView, error) {
	if err := s.allow(ctx, c, actListWorkers, anyResource); err != nil {
		return nil, err
	}
	running, err := s.Store.LeasedJobs(ctx)
	if err != nil {
		return nil, err
	}
	queued, err := s.Store.QueueDepth(ctx)
	if err != nil {
		return nil, err
	}
	return &WorkersView{Seen: s.workers.list(), Running: running, Queued: queued}, nil
}

// MayUpdateAccessKeys reports whether the caller may activate and deactivate user's access
// keys (iam:UpdateAccessKey): the console offers the control only then.
func (s *Service) MayUpdateAccessKeys(ctx context.Context, c sluice.Caller, user string) bool {
	return s.allow(ctx, c, "iam:UpdateAccessKey", s.keyResource(ctx, c, s.keyOwner(c, user))) == nil
}
