// Package trigger turns code changes into executions: a push to a hosted repository starts
// every pipeline whose CodeCommit source watches the pushed branch, pinned to the commit.
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
	for _, w := range pipelines {
		p.start(ctx, w, repo, branch, newSHA)
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

func (p *Push) start(ctx context.Context, w watcher, repo, branch, sha string) {
	_, rev, err := p.Commit(ctx, repo, sha)
	if err != nil {
		p.Log.Error("describe pushed commit", "repo", repo, "sha", sha, "err", err)
		return
	}
	id, err := p.Engine.Start(ctx, engine.StartParams{Pipeline: w.pipeline,
		Trigger:   sluice.Trigger{Type: w.trigger, Detail: fmt.Sprintf("arn:aws:codecommit:%s:%s:%s (refs/heads/%s)", p.Engine.Region, p.Engine.Account, repo, branch)},
		Revisions: map[string]sluice.Revision{w.action: rev}})
	if err != nil {
		p.Log.Error("start pipeline on push", "pipeline", w.pipeline, "repo", repo, "err", err)
		return
	}
	p.Log.Info("push started pipeline", "pipeline", w.pipeline, "execution", id, "repo", repo, "branch", branch, "commit", sha)
}
