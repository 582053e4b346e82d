// Package trigger turns code changes into executions, each pinned to the commit that
// started it: a push to a hosted repository starts every pipeline whose CodeCommit source
// watches the pushed branch (push.go); a git host's webhook delivery (webhooks.go) or a
// branch found moved by polling (poll.go) starts the pipelines whose connection sources it
// matches (connection.go).
package trigger

import (
	"context"
	"fmt"
	"log/slog"
	"strings"

	"sluice"
	"sluice/engine"
)

// Push starts pipelines on pushes to hosted repositories.
type Push struct {
	Engine *engine.Engine
	Store  sluice.Reader
	Log    *slog.Logger
	// Commit describes a commit for the execution's pinned revision.
	Commit func(ctx context.Context, repo, sha string) (summary string, revision sluice.Revision, err error)
}

// Pushed handles one ref update of repo; deletions start nothing.
func (p *Push) Pushed(ctx context.Context, repo, ref, newSHA string) {
	branch, ok := strings.CutPrefix(ref, "refs/heads/")
	if !ok || strings.Trim(newSHA, "0") == "" {
		return
	}
	pipelines, err := p.watching(ctx, repo, branch)
	if err != nil {
		p.Log.Error("find pipelines for push", "repo", repo, "branch", branch, "err", err)
		return
	}
	if len(pipelines) == 0 {
		return
	}
	_, rev, err := p.Commit(ctx, repo, newSHA)
	if err != nil {
		p.Log.Error("describe pushed commit", "repo", repo, "sha", newSHA, "err", err)
		return
	}
	// One execution per pipeline, even when several of its sources follow this branch.
	byPipeline := map[string][]watcher{}
	var order []string
	for _, w := range pipelines {
		if _, ok := byPipeline[w.pipeline]; !ok {
			order = append(order, w.pipeline)
		}
		byPipeline[w.pipeline] = append(byPipeline[w.pipeline], w)
	}
	for _, name := range order {
		p.start(ctx, byPipeline[name], repo, branch, rev)
	}
}

type watcher struct {
	pipeline string
	action   string
	trigger  string
}

// watching lists the source actions of every pipeline that follow repo's branch.
func (p *Push) watching(ctx context.Context, repo, branch string) ([]watcher, error) {
	var out []watcher
	page := sluice.Page{Limit: 1000}
	for {
		ps, next, err := p.Store.ListPipelines(ctx, page)
		if err != nil {
			return nil, err
		}
		for _, pl := range ps {
			out = append(out, sourcesOn(&pl.Declaration, repo, branch)...)
		}
		if next == "" {
			return out, nil
		}
		page.Token = next
	}
}

func sourcesOn(d *sluice.PipelineDeclaration, repo, branch string) []watcher {
	var out []watcher
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
		out = append(out, watcher{d.Name, a.Name, t})
	}
	return out
}

// start starts one execution of a pipeline with every watching source pinned to the commit.
func (p *Push) start(ctx context.Context, ws []watcher, repo, branch string, rev sluice.Revision) {
	revs := make(map[string]sluice.Revision, len(ws))
	for _, w := range ws {
		revs[w.action] = rev
	}
	pipeline := ws[0].pipeline
	id, err := p.Engine.Start(ctx, engine.StartParams{Pipeline: pipeline, Revisions: revs,
		Trigger: sluice.Trigger{Type: ws[0].trigger, Detail: fmt.Sprintf("arn:aws:codecommit:%s:%s:%s (refs/heads/%s)", p.Engine.Region, p.Engine.Account, repo, branch)}})
	if err != nil {
		p.Log.Error("start pipeline on push", "pipeline", pipeline, "repo", repo, "err", err)
		return
	}
	p.Log.Info("push started pipeline", "pipeline", pipeline, "execution", id, "repo", repo, "branch", branch, "commit", rev.RevisionID)
}

// CatchUp starts the executions of pushes the server accepted but did not act on (it
// stopped between accepting a push and starting its pipelines): every watched branch whose
// head differs from the revision its pipeline's latest execution ran starts that pipeline,
// as if pushed now. Run it at start-up.
func (p *Push) CatchUp(ctx context.Context, head func(ctx context.Context, repo, branch string) (string, error)) error {
	page := sluice.Page{Limit: 1000}
	for {
		ps, next, err := p.Store.ListPipelines(ctx, page)
		if err != nil {
			return err
		}
		for _, pl := range ps {
			if err := p.catchUp(ctx, &pl.Declaration, head); err != nil {
				return err
			}
		}
		if next == "" {
			return nil
		}
		page.Token = next
	}
}

func (p *Push) catchUp(ctx context.Context, d *sluice.PipelineDeclaration, head func(ctx context.Context, repo, branch string) (string, error)) error {
	if len(d.Stages) == 0 {
		return nil
	}
	for _, a := range d.Stages[0].Actions {
		repo, branch := a.Configuration["RepositoryName"], a.Configuration["BranchName"]
		if a.ActionTypeID.Provider != "CodeCommit" {
			continue
		}
		sha, err := head(ctx, repo, branch)
		if err != nil {
			continue // no such repository or branch (yet): nothing was pushed
		}
		latest, _, err := p.Store.ListExecutions(ctx, d.Name, sluice.ExecutionFilter{Page: sluice.Page{Limit: 1}})
		if err != nil {
			return err
		}
		if len(latest) > 0 && latest[0].Revisions[a.Name].RevisionID == sha {
			continue
		}
		p.Log.Info("starting a push missed while the server was down", "pipeline", d.Name, "repo", repo, "branch", branch, "commit", sha)
		p.Pushed(ctx, repo, "refs/heads/"+branch, sha)
		return nil // Pushed started every source of this pipeline on that branch
	}
	return nil
}
