package trigger

import (
	"context"
	"sort"
	"sync"
	"time"

	"sluice"
)

// ConnectionRound detects changes of connection sources without webhooks: a fallback for lost
// deliveries, and the only detection for hosts that send none. Every source whose
// DetectChanges is not false and that declares no V2 trigger is watched; one ls-remote per
// (repository URL, branch) serves all the pipelines watching it, and nothing is fetched
// unless a branch moved (then the started execution's source action fetches). Sources with
// a trigger are left to webhooks: their filters need what only a delivery says.
type ConnectionRound struct {
	Connections *Connections
	Clock       sluice.Clock
	// Interval is the time between rounds (see Polling), the unit of the backoff.
	Interval time.Duration
	// Parallel bounds the repositories polled at once (default 4).
	Parallel int
	// MaxBackoff bounds the wait after repeated failures of one repository (default 1h).
	MaxBackoff time.Duration

	backoff backoffs // by repository URL
	mu      sync.Mutex
	// seen is the head each pipeline's source action was last polled at: a branch that did
	// not move since starts nothing, even when the latest execution ran another commit (a
	// rollback started on an older one must not be undone by the next poll).
	seen map[string]string
}

// polled is one repository to poll: its branches, each with the sources following it.
type polled struct {
	repo     Repo
	branches map[string][]watch
	heads    map[string]string // branch -> head, filled by the poll
}

// PollOnce runs one round: the watched branches are read from the stored pipelines, each is
// asked for its head, and every pipeline with a source whose head differs from the revision
// its latest execution ran starts, pinned to the new heads.
func (p *ConnectionRound) PollOnce(ctx context.Context) error {
	repos, err := p.watched(ctx)
	if err != nil {
		return err
	}
	parallel := p.Parallel
	if parallel <= 0 {
		parallel = 4
	}
	sem := make(chan struct{}, parallel)
	var wg sync.WaitGroup
	for _, r := range repos {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			p.pollRepo(ctx, r)
		}()
	}
	wg.Wait()
	return p.startMoved(ctx, repos)
}

// watched groups the polled sources by repository URL and branch.
func (p *ConnectionRound) watched(ctx context.Context) ([]*polled, error) {
	all, err := p.Connections.allWatches(ctx)
	if err != nil {
		return nil, err
	}
	conns := map[string]*sluice.Connection{}
	byURL := map[string]*polled{}
	for _, w := range all {
		if !w.detect || w.git != nil || w.branch == "" || w.Name == "" {
			continue
		}
		conn, ok := conns[w.Scope]
		if !ok {
			conn, err = p.Connections.Store.GetConnection(ctx, w.Scope)
			if err != nil && !sluice.IsCode(err, sluice.ENotFound) {
				return nil, err
			}
			conns[w.Scope] = conn // nil when missing: its source action says so when it runs
		}
		if conn == nil {
			continue
		}
		repo := Repo{Conn: conn, ID: w.Name}
		r, ok := byURL[repo.URL()]
		if !ok {
			r = &polled{repo: repo, branches: map[string][]watch{}, heads: map[string]string{}}
			byURL[repo.URL()] = r
		}
		r.branches[w.branch] = append(r.branches[w.branch], w)
	}
	out := make([]*polled, 0, len(byURL))
	for _, r := range byURL {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].repo.URL() < out[j].repo.URL() })
	return out, nil
}

// headTimeout bounds one ls-remote: a server that accepts and never answers must not hold
// the round (and every other repository's poll) up.
const headTimeout = 2 * time.Minute

// pollRepo asks for the head of each watched branch of one repository, unless the
// repository is backing off after failures.
func (p *ConnectionRound) pollRepo(ctx context.Context, r *polled) {
	url := r.repo.URL()
	if !p.due(url) {
		return
	}
	for branch := range r.branches {
		hctx, cancel := context.WithTimeout(ctx, headTimeout)
		sha, err := p.Connections.Remote.Head(hctx, r.repo, branch)
		cancel()
		switch {
		case sluice.IsCode(err, sluice.ENotFound):
			continue // no such branch (yet): nothing to start
		case err != nil:
			if ctx.Err() == nil {
				p.failed(url, err)
			}
			return
		}
		r.heads[branch] = sha
	}
	p.succeeded(url)
}

// due reports whether a repository may be polled now.
func (p *ConnectionRound) due(url string) bool { return p.backoff.due(url, p.Clock.Now()) }

// failed extends a repository's failure streak and its backoff (see backoffs); only a
// streak's first failure is logged.
func (p *ConnectionRound) failed(url string, err error) {
	f := p.backoff.failed(url, p.Clock.Now(), pollBase(p.Interval), maxBackoff(p.MaxBackoff))
	if f.count == 1 {
		p.Connections.Log.Warn("polling a repository failed; retrying with backoff, logged again when it recovers", "url", url, "err", err)
	}
}

func (p *ConnectionRound) succeeded(url string) {
	if n := p.backoff.succeeded(url); n > 0 {
		p.Connections.Log.Info("polling a repository works again", "url", url, "failures", n)
	}
}

// pollBase is the interval backoffs double: the poll interval, or a minute for rounds run
// without a loop (PollOnce alone).
func pollBase(interval time.Duration) time.Duration {
	if interval <= 0 {
		return time.Minute
	}
	return interval
}

// maxBackoff is the longest a failing source is left alone: limit, or an hour.
func maxBackoff(limit time.Duration) time.Duration {
	if limit <= 0 {
		return time.Hour
	}
	return limit
}

// startMoved starts, once each, the pipelines with a source whose branch moved.
func (p *ConnectionRound) startMoved(ctx context.Context, repos []*polled) error {
	type source struct {
		w    watch
		repo Repo
		sha  string
	}
	byPipeline := map[string][]source{}
	var order []string
	for _, r := range repos {
		for branch, ws := range r.branches {
			sha, ok := r.heads[branch]
			if !ok {
				continue
			}
			for _, w := range ws {
				if _, seen := byPipeline[w.Pipeline]; !seen {
					order = append(order, w.Pipeline)
				}
				byPipeline[w.Pipeline] = append(byPipeline[w.Pipeline], source{w, r.repo, sha})
			}
		}
	}
	sort.Strings(order)
	for _, name := range order {
		revs := map[string]sluice.Revision{}
		var detail string
		for _, s := range byPipeline[name] {
			revs[s.w.Action] = sluice.Revision{RevisionID: s.sha, ChangeIdentifier: s.sha, URL: s.repo.Conn.CommitURL(s.repo.ID, s.sha)}
			if detail == "" {
				detail = s.repo.Conn.ARN
			}
		}
		if err := p.startIfMoved(ctx, name, revs, detail); err != nil {
			return err
		}
	}
	return nil
}

// sawBefore reports whether the previous poll of pipeline's action saw head already.
func (p *ConnectionRound) sawBefore(pipeline, action, head string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	prev, ok := p.seen[pipeline+"\x00"+action]
	return ok && prev == head
}

// saw records the heads polled for pipeline's actions.
func (p *ConnectionRound) saw(pipeline string, revs map[string]sluice.Revision) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.seen == nil {
		p.seen = map[string]string{}
	}
	for action, rev := range revs {
		p.seen[pipeline+"\x00"+action] = rev.RevisionID
	}
}

// startIfMoved starts pipeline pinned to revs when one of them moved since the previous poll
// and differs from what its latest execution ran. A source of an execution still in progress that has not run yet is not
// a change: it takes its branch head when it runs.
func (p *ConnectionRound) startIfMoved(ctx context.Context, pipeline string, revs map[string]sluice.Revision, detail string) error {
	c := p.Connections
	defer c.locks.Lock(pipeline)()
	latest, err := c.latest(ctx, pipeline)
	if err != nil {
		return err
	}
	moved := false
	for action, rev := range revs {
		if p.sawBefore(pipeline, action, rev.RevisionID) {
			continue
		}
		if latest == nil {
			moved = true
			continue
		}
		ran, ok := latest.Revisions[action]
		if !ok && latest.Status.Active() {
			continue
		}
		if ran.RevisionID != rev.RevisionID {
			moved = true
		}
	}
	if moved {
		if started, _ := c.start(ctx, pipeline, revs, sluice.Trigger{Type: sluice.TriggerPollForSourceChanges, Detail: detail}); started == nil {
			return nil // not recorded as seen: the next round tries again
		}
	}
	p.saw(pipeline, revs)
	return nil
}
