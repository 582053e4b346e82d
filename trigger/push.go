// Package trigger turns code changes into executions, each pinned to the commit that
// started it: a push to a hosted repository starts every pipeline whose CodeCommit source
// watches the pushed branch (push.go); a git host's webhook delivery (deliveries.go) or a
// branch found moved by polling (poll.go) starts the pipelines whose connection sources it
// matches (connection.go). Each looks its pipelines up in the index of watched sources
// (index.go). The HTTP endpoints of deliveries and V1 webhooks are package hookserve's.
package trigger

import (
	"context"
	"fmt"
	"log/slog"
	"maps"
	"net/url"
	"slices"
	"strings"

	"sluice"
	"sluice/engine"
)

// Push starts pipelines on pushes to hosted repositories.
//
// A push is acted on at most once per pipeline and never lost, whatever instant a kill -9
// hits: git moves the branch first, then the trigger starts the watching pipelines, each
// with the client token push:<repository id>:<branch>:<n>:<head>, and only then records the
// branch at the new head as its n-th push (sluice.PushHeadStore). A start-up compares every
// branch with its record (CatchUp): a branch that moved since is a push accepted and not
// (wholly) acted on, and acting on it again with the same n and head starts only the
// pipelines the crash left out. A start that fails for a reason that may pass (a busy store,
// a write conflict) leaves the push unrecorded the same way, to be acted on again by the
// next push to the branch or the next start-up, at the branch's head then (pushes not acted
// on count as one, the newest); the head is in the token so that a pipeline started on an
// older head is started again on the newer. Executions, whatever started them, play no
// part: a rollback or an execution whose source has not run yet is no push.
type Push struct {
	Engine *engine.Engine
	Store  PushStore
	Repos  HostedRepos
	Log    *slog.Logger
	// ConsoleURL is the server's base URL, for the links to the executions a push started
	// that Pushed returns; "" gives the paths alone.
	ConsoleURL string
}

// HostedRepos is what Push reads of the repositories Sluice hosts (githost.Host).
type HostedRepos interface {
	// Revision describes a commit as an execution pins it.
	Revision(ctx context.Context, repo, sha string) (sluice.Revision, error)
	// Branches returns the head of every branch of repo, by branch name (ENotFound/Repository).
	Branches(ctx context.Context, repo string) (map[string]string, error)
}

// PushStore is what Push reads and records.
type PushStore interface {
	Pipelines
	sluice.PushHeadStore
	GetRepository(ctx context.Context, name string) (*sluice.Repository, error)
	ListRepositories(ctx context.Context) ([]*sluice.Repository, error)
}

// Pushed acts on the refs one push to repo changed (a githost.PushFunc: the push comes here
// from the git host, and goes on to the engine). Branches count; other refs start nothing,
// nor does a deletion. It returns the lines the pusher sees: each execution it started, with
// its link in the console.
func (p *Push) Pushed(ctx context.Context, repo string, updates []sluice.RefUpdate) []string {
	r, err := p.Store.GetRepository(ctx, repo)
	if err != nil {
		p.Log.Error("find pushed repository", "repo", repo, "err", err)
		return nil
	}
	heads, _, err := p.Store.PushHeads(ctx, repo)
	if err != nil {
		p.Log.Error("read the last push", "repo", repo, "err", err)
		return nil
	}
	var lines []string
	for _, u := range updates {
		branch, ok := strings.CutPrefix(u.Ref, "refs/heads/")
		if !ok {
			continue
		}
		head := u.New
		if strings.Trim(head, "0") == "" {
			head = ""
		}
		started, err := p.act(ctx, r, branch, heads[branch], head)
		if err != nil {
			p.Log.Error("act on push", "repo", repo, "branch", branch, "err", err)
		}
		lines = append(lines, p.report(started)...)
	}
	return lines
}

// started is an execution a push started.
type started struct{ pipeline, execution string }

// report is what the pusher is told of the executions a push started.
func (p *Push) report(ss []started) []string {
	var lines []string
	for _, s := range ss {
		link := strings.TrimSuffix(p.ConsoleURL, "/") + "/pipelines/" + url.PathEscape(s.pipeline) + "/executions/" + url.PathEscape(s.execution)
		lines = append(lines, fmt.Sprintf("Sluice: started pipeline %s, execution %s", s.pipeline, s.execution), "  "+link)
	}
	return lines
}

// act starts the pipelines watching r's branch at head, as the push after last, and then
// records it; a branch still at last's head needs nothing. When a start failed for a reason
// that may pass, the push is not recorded and act returns the error (see Push). It returns
// the executions it started, even then.
func (p *Push) act(ctx context.Context, r *sluice.Repository, branch string, last sluice.PushHead, head string) ([]started, error) {
	if head == last.Head {
		return nil, nil
	}
	next := sluice.PushHead{Head: head, Seq: last.Seq + 1}
	var ss []started
	if head != "" {
		token := fmt.Sprintf("push:%s:%s:%d:%s", r.ID, branch, next.Seq, head)
		var err error
		if ss, err = p.startWatching(ctx, r.Name, branch, head, token); err != nil {
			return ss, err
		}
	}
	return ss, p.Store.SetPushHead(ctx, r.Name, branch, next)
}

// startWatching starts every pipeline watching repo's branch, pinned to sha, once each.
func (p *Push) startWatching(ctx context.Context, repo, branch, sha, token string) ([]started, error) {
	pipelines, err := p.watching(ctx, repo, branch)
	if err != nil || len(pipelines) == 0 {
		return nil, err
	}
	rev, err := p.Repos.Revision(ctx, repo, sha)
	if err != nil {
		return nil, fmt.Errorf("describe pushed commit %s: %w", sha, err)
	}
	// One execution per pipeline, even when several of its sources follow this branch.
	byPipeline := map[string][]watch{}
	var order []string
	for _, w := range pipelines {
		if _, ok := byPipeline[w.Pipeline]; !ok {
			order = append(order, w.Pipeline)
		}
		byPipeline[w.Pipeline] = append(byPipeline[w.Pipeline], w)
	}
	var (
		failed error
		ss     []started
	)
	for _, name := range order {
		id, err := p.start(ctx, byPipeline[name], repo, branch, rev, token)
		if err == nil {
			ss = append(ss, started{pipeline: name, execution: id})
		}
		if err != nil && !refused(err) && failed == nil {
			failed = fmt.Errorf("start pipeline %s: %w", name, err)
		}
	}
	return ss, failed
}

// refused reports whether a start's error is the pipeline's lasting answer to this push,
// which starting again would only repeat: the pipeline was deleted meanwhile (ENotFound), or
// its declaration no longer takes these revisions (EInvalid). Anything else (a busy store, a
// write conflict, ELimit's executions in progress) may pass, and the push is acted on again.
func refused(err error) bool {
	return sluice.IsCode(err, sluice.ENotFound) || sluice.IsCode(err, sluice.EInvalid)
}

// watching lists the source actions of every pipeline that follow repo's branch: those the
// index of watched sources names, not every pipeline.
func (p *Push) watching(ctx context.Context, repo, branch string) ([]watch, error) {
	ws, err := p.Store.Watching(ctx, sluice.Watched{Kind: sluice.WatchRepository, Scope: repo, Name: branch})
	if err != nil {
		return nil, err
	}
	decls, err := declarations(ctx, p.Store, ws)
	if err != nil {
		return nil, err
	}
	var out []watch
	for _, d := range decls {
		out = append(out, sourcesOn(d, repo, branch)...)
	}
	return out, nil
}

func sourcesOn(d *sluice.PipelineDeclaration, repo, branch string) []watch {
	var out []watch
	if len(d.Stages) == 0 {
		return nil
	}
	for _, a := range d.Stages[0].Actions {
		c := a.Configuration
		if a.ActionTypeID.Provider != "CodeCommit" || c["RepositoryName"] != repo || c["BranchName"] != branch {
			continue
		}
		// PollForSourceChanges=false is how CodePipeline users ask for event-based starts; both
		// start at once here, the trigger type tells which the pipeline declared.
		t := sluice.TriggerCloudWatchEvent
		if !strings.EqualFold(c["PollForSourceChanges"], "false") {
			t = sluice.TriggerPollForSourceChanges
		}
		out = append(out, watch{trigger: t, SourceWatch: sluice.SourceWatch{Pipeline: d.Name, Action: a.Name,
			Watched: sluice.Watched{Kind: sluice.WatchRepository, Scope: repo, Name: branch}}})
	}
	return out
}

// start starts one execution of a pipeline with every watching source pinned to the commit.
func (p *Push) start(ctx context.Context, ws []watch, repo, branch string, rev sluice.Revision, token string) (string, error) {
	revs := make(map[string]sluice.Revision, len(ws))
	for _, w := range ws {
		revs[w.Action] = rev
	}
	pipeline := ws[0].Pipeline
	id, err := p.Engine.Start(ctx, engine.StartParams{Pipeline: pipeline, Revisions: revs, ClientToken: token,
		Trigger: sluice.Trigger{Type: ws[0].trigger, Detail: p.Engine.Scope().ARN(sluice.RepositoryARN, repo) + " (refs/heads/" + branch + ")"}})
	if err != nil {
		p.Log.Error("start pipeline on push", "pipeline", pipeline, "repo", repo, "err", err)
		return "", err
	}
	p.Log.Info("push started pipeline", "pipeline", pipeline, "execution", id, "repo", repo, "branch", branch, "commit", rev.RevisionID)
	return id, nil
}

// CatchUp acts on the pushes the server accepted but did not wholly act on before it
// stopped: every branch of every hosted repository whose head is not the one last recorded
// (see Push). Run it at start-up, before pushes are taken. A repository created before heads
// were recorded has its heads taken as acted on, once.
//
// A repository or branch that cannot be caught up (its branches or a commit cannot be read,
// a store read fails, a start fails) is logged and left unrecorded, for the next push to it
// or the next start-up: one bad repository must not keep the server, and every other
// repository's pushes, from starting. Only a failure to list the repositories is returned:
// then nothing at all could be caught up, the store that failed is the one the server is
// about to run on, and a server started anyway would say nothing of the pushes it skipped.
func (p *Push) CatchUp(ctx context.Context) error {
	repos, err := p.Store.ListRepositories(ctx)
	if err != nil {
		return err
	}
	for _, r := range repos {
		if err := ctx.Err(); err != nil {
			return err
		}
		now, err := p.Repos.Branches(ctx, r.Name)
		if sluice.IsCode(err, sluice.ENotFound) {
			continue // its directory is gone: nothing can have been pushed
		}
		if err != nil {
			p.Log.Error("catch up on pushes: read branches", "repo", r.Name, "err", err)
			continue
		}
		p.catchUp(ctx, r, now)
	}
	return nil
}

// catchUp acts on each of r's branches whose head is not the one recorded, logging a branch
// it cannot act on and going on to the next.
func (p *Push) catchUp(ctx context.Context, r *sluice.Repository, now map[string]string) {
	last, known, err := p.Store.PushHeads(ctx, r.Name)
	if err == nil && !known {
		err = p.Store.BaselinePushHeads(ctx, r.Name, now)
	}
	if err != nil || !known {
		if err != nil {
			p.Log.Error("catch up on pushes: read the last pushes", "repo", r.Name, "err", err)
		}
		return
	}
	for branch, h := range last {
		if _, ok := now[branch]; !ok && h.Head != "" {
			now[branch] = "" // deleted while nobody looked
		}
	}
	for _, branch := range slices.Sorted(maps.Keys(now)) {
		if now[branch] != last[branch].Head {
			p.Log.Info("acting on a push the server accepted before it stopped", "repo", r.Name, "branch", branch, "commit", now[branch])
			if _, err := p.act(ctx, r, branch, last[branch], now[branch]); err != nil {
				p.Log.Error("catch up on a push", "repo", r.Name, "branch", branch, "err", err)
			}
		}
	}
}
