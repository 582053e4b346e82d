package trigger

import (
	"context"
	"fmt"
	"log/slog"
	"strings"

	"sluice"
	"sluice/engine"
	"sluice/keylock"
	"sluice/trigger/filter"
)

// connectionProvider is the source action type connections serve.
const connectionProvider = "CodeStarSourceConnection"

// ConnectionStore is what connection triggers read: pipelines, their latest executions, and
// connections.
type ConnectionStore interface {
	Pipelines
	GetConnection(ctx context.Context, arn string) (*sluice.Connection, error)
	ListConnections(ctx context.Context) ([]*sluice.Connection, error)
}

// Connections starts pipelines whose sources are reached through connections: on a git
// host's webhook delivery (Deliver) and when a ConnectionRound finds a branch moved. It is safe for
// concurrent use.
type Connections struct {
	Engine *engine.Engine
	Store  ConnectionStore
	Remote Remote
	Log    *slog.Logger

	// locks serializes the check-then-start of one pipeline's triggers, so that a webhook
	// and the poller reacting to the same commit at once start it once.
	locks keylock.Locks
}

// Outcome is what came of one event: the executions it started and, for every pipeline on
// the repository that it did not start, why not.
type Outcome struct {
	Started []sluice.StartedExecution
	Reasons []string
}

// watches lists the connection source actions of a pipeline (first stage only: validation
// keeps sources there).
func watches(d *sluice.PipelineDeclaration) []watch {
	if len(d.Stages) == 0 {
		return nil
	}
	var out []watch
	for _, a := range d.Stages[0].Actions {
		if a.ActionTypeID.Provider != connectionProvider || a.ActionTypeID.Owner != sluice.OwnerAWS {
			continue
		}
		c := a.Configuration
		w := watch{SourceWatch: sluice.SourceWatch{Pipeline: d.Name, Action: a.Name,
			Watched: sluice.Watched{Kind: sluice.WatchConnection, Scope: c["ConnectionArn"], Name: c["FullRepositoryId"]}},
			branch: c["BranchName"], detect: !strings.EqualFold(c["DetectChanges"], "false")}
		for i := range d.Triggers {
			t := &d.Triggers[i]
			if t.ProviderType == connectionProvider && t.GitConfiguration.SourceActionName == a.Name {
				w.git = &t.GitConfiguration
			}
		}
		out = append(out, w)
	}
	return out
}

// allWatches lists the connection sources of every pipeline the index names.
func (c *Connections) allWatches(ctx context.Context) ([]watch, error) {
	ws, err := c.Store.WatchingKind(ctx, sluice.WatchConnection)
	if err != nil {
		return nil, err
	}
	return c.watchesOf(ctx, ws)
}

// watchesOf lists the connection sources of the pipelines ws names.
func (c *Connections) watchesOf(ctx context.Context, ws []sluice.SourceWatch) ([]watch, error) {
	decls, err := declarations(ctx, c.Store, ws)
	if err != nil {
		return nil, err
	}
	var out []watch
	for _, d := range decls {
		out = append(out, watches(d)...)
	}
	return out, nil
}

// startsAny reports whether any ref change of ev (a Bitbucket delivery carries several) is a
// push or a pull request: an ignored first change must not hide the others.
func startsAny(ev *sluice.GitEvent) bool {
	for _, e := range ev.All() {
		if e.Kind == sluice.GitEventPush || e.Kind == sluice.GitEventPullRequest {
			return true
		}
	}
	return false
}

// Deliver starts, for each ref change of ev, every pipeline with a source on ev's
// repository through conn that the change matches: under the source's V2 trigger when it
// declares one, else on a push to its BranchName unless DetectChanges is false. Each
// started execution is pinned to the pushed commit (a pull request's head commit).
func (c *Connections) Deliver(ctx context.Context, conn *sluice.Connection, ev *sluice.GitEvent) Outcome {
	var out Outcome
	switch {
	case ev.Kind == sluice.GitEventPing:
		out.Reasons = append(out.Reasons, "a ping starts nothing")
		return out
	case !startsAny(ev):
		out.Reasons = append(out.Reasons, ev.Reason)
		return out
	}
	indexed, err := c.Store.Watching(ctx, sluice.Watched{Kind: sluice.WatchConnection, Scope: conn.ARN, Name: ev.Repository})
	if err != nil {
		c.Log.Error("look up pipelines for webhook", "connection", conn.ARN, "err", err)
		out.Reasons = append(out.Reasons, "the pipelines could not be read; see the server log")
		return out
	}
	all, err := c.watchesOf(ctx, indexed)
	if err != nil {
		c.Log.Error("list pipelines for webhook", "connection", conn.ARN, "err", err)
		out.Reasons = append(out.Reasons, "the pipelines could not be read; see the server log")
		return out
	}
	var mine []watch
	for _, w := range all {
		if w.Scope == conn.ARN && w.Name == ev.Repository {
			mine = append(mine, w)
		}
	}
	if len(mine) == 0 {
		out.Reasons = append(out.Reasons, fmt.Sprintf("no pipeline has a source on repository %s through this connection", ev.Repository))
		return out
	}
	for _, change := range ev.All() {
		c.deliverOne(ctx, Repo{Conn: conn, ID: ev.Repository}, &change, mine, &out)
	}
	return out
}

// deliverOne handles one ref change: match every watching source, then start one execution
// per pipeline with all its matching sources pinned.
func (c *Connections) deliverOne(ctx context.Context, repo Repo, ev *sluice.GitEvent, mine []watch, out *Outcome) {
	files := &changedFiles{c: c, repo: repo, ev: ev}
	matched := map[string][]string{} // pipeline -> matching actions
	var order []string
	for _, w := range mine {
		ok, reason := c.match(ctx, w, files)
		if !ok {
			out.Reasons = append(out.Reasons, fmt.Sprintf("%s/%s: %s", w.Pipeline, w.Action, reason))
			continue
		}
		if _, seen := matched[w.Pipeline]; !seen {
			order = append(order, w.Pipeline)
		}
		matched[w.Pipeline] = append(matched[w.Pipeline], w.Action)
	}
	if len(order) == 0 {
		return
	}
	sha := ev.After
	if ev.Kind == sluice.GitEventPullRequest {
		sha = ev.PullRequest.HeadCommitID
	}
	rev := c.revision(ctx, repo, sha, ev.HeadCommit)
	for _, p := range order {
		started, reason := c.startWebhook(ctx, p, matched[p], repo.Conn.ARN, rev)
		if started != nil {
			out.Started = append(out.Started, *started)
		} else {
			out.Reasons = append(out.Reasons, p+": "+reason)
		}
	}
}

// match decides one source: its trigger's filters, or the default push detection.
func (c *Connections) match(ctx context.Context, w watch, files *changedFiles) (bool, string) {
	if w.git == nil {
		if !w.detect {
			return false, "DetectChanges is false and the pipeline declares no trigger for the action"
		}
		return filter.DefaultMatch(w.branch, filter.InputOf(files.ev))
	}
	in := filter.InputOf(files.ev)
	if filter.NeedsFiles(*w.git) {
		in = files.input(ctx, in)
	}
	return filter.Match(*w.git, in)
}

// changedFiles completes an event's file list from the repository's mirror, once per event,
// when a filePaths filter needs files the delivery did not carry.
type changedFiles struct {
	c    *Connections
	repo Repo
	ev   *sluice.GitEvent
	done bool
	in   filter.Input
}

func (f *changedFiles) input(ctx context.Context, in filter.Input) filter.Input {
	ev := f.ev
	var d Diff
	switch {
	case ev.Kind == sluice.GitEventPush && (ev.Created || ev.Deleted):
		return in // a new branch has no file list (SEMANTICS §8.2); a deletion none to test
	case ev.Kind == sluice.GitEventPush && ev.FilesListed && !ev.FilesTruncated:
		return in
	case ev.Kind == sluice.GitEventPush:
		d = Diff{From: ev.Before, To: ev.After}
	case ev.PullRequest != nil:
		d = Diff{From: "refs/heads/" + ev.PullRequest.TargetBranch, To: ev.PullRequest.HeadCommitID, MergeBase: true}
	default:
		return in
	}
	if !f.done {
		f.done, f.in = true, in
		files, err := f.c.Remote.ChangedFiles(ctx, f.repo, d)
		if err != nil {
			f.c.Log.Warn("list changed files for a trigger's filePaths", "repository", f.repo.ID, "from", d.From, "to", d.To, "err", err)
		} else {
			f.in.Files, f.in.FilesKnown = files, true
		}
	}
	return f.in
}

// revision is what an execution pins for sha: the delivery's description of the commit when
// it has one, else the mirror's, else the bare id (the source action fails clearly if the
// commit does not exist).
func (c *Connections) revision(ctx context.Context, repo Repo, sha string, head sluice.GitCommit) sluice.Revision {
	if head.ID != sha || head.Message == "" {
		got, err := c.Remote.Commit(ctx, repo, sha)
		if err != nil {
			c.Log.Warn("describe triggering commit", "repository", repo.ID, "commit", sha, "err", err)
			got = sluice.GitCommit{ID: sha}
		}
		head = got
	}
	return sluice.Revision{RevisionID: sha, ChangeIdentifier: sha, Summary: head.Message, Created: head.Timestamp,
		URL: repo.Conn.CommitURL(repo.ID, sha)}
}

// startWebhook starts one pipeline with its matching sources pinned. A pipeline the poller
// already started on this commit is not started again: the poll stood in for this delivery.
func (c *Connections) startWebhook(ctx context.Context, pipeline string, actions []string, connARN string, rev sluice.Revision) (*sluice.StartedExecution, string) {
	defer c.locks.Lock(pipeline)()
	latest, err := c.latest(ctx, pipeline)
	if err != nil {
		c.Log.Error("read latest execution", "pipeline", pipeline, "err", err)
		return nil, "its executions could not be read; see the server log"
	}
	if latest != nil && latest.Trigger.Type == sluice.TriggerPollForSourceChanges && ranAll(latest, actions, rev.RevisionID) {
		return nil, fmt.Sprintf("polling already started execution %s on commit %s", latest.ID, rev.RevisionID)
	}
	revs := make(map[string]sluice.Revision, len(actions))
	for _, a := range actions {
		revs[a] = rev
	}
	return c.start(ctx, pipeline, revs, sluice.Trigger{Type: sluice.TriggerWebhookV2, Detail: connARN})
}

// start starts one execution of pipeline with its sources pinned to revs.
func (c *Connections) start(ctx context.Context, pipeline string, revs map[string]sluice.Revision, t sluice.Trigger) (*sluice.StartedExecution, string) {
	id, err := c.Engine.Start(ctx, engine.StartParams{Pipeline: pipeline, Revisions: revs, Trigger: t})
	if err != nil {
		c.Log.Warn("start pipeline on a connection trigger", "pipeline", pipeline, "trigger", t.Type, "err", err)
		if sluice.IsCode(err, sluice.EInternal) {
			return nil, "it could not start; see the server log" // internal detail stays in the log
		}
		return nil, "it could not start: " + err.Error()
	}
	c.Log.Info("connection trigger started pipeline", "pipeline", pipeline, "execution", id, "trigger", t.Type)
	return &sluice.StartedExecution{Pipeline: pipeline, ExecutionID: id}, ""
}

// latest is the pipeline's newest execution, or nil.
func (c *Connections) latest(ctx context.Context, pipeline string) (*sluice.Execution, error) {
	execs, _, err := c.Store.ListExecutions(ctx, pipeline, sluice.ExecutionFilter{Page: sluice.Page{Limit: 1}})
	if err != nil || len(execs) == 0 {
		return nil, err
	}
	return execs[0], nil
}

// ranAll reports whether e ran (or is pinned to) sha for every one of actions.
func ranAll(e *sluice.Execution, actions []string, sha string) bool {
	for _, a := range actions {
		if e.Revisions[a].RevisionID != sha {
			return false
		}
	}
	return true
}
