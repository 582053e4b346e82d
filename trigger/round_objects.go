package trigger

import (
	"context"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"sluice"
	"sluice/engine"
)

// ObjectRound detects new revisions of sources that live outside Sluice, S3 objects and
// container images, by asking for their current revision (a HEAD request, never a
// download) on an interval. Each object or image tag is asked once a round however many
// pipelines watch it. A watching source action whose revision changed starts its pipeline
// pinned to the new revision, one execution per pipeline per round; an unchanged one starts
// nothing.
//
// Call PollOnce or Run, not both at once; PollOnce calls are serialized.
type ObjectRound struct {
	Engine *engine.Engine
	Store  Pipelines
	Log    *slog.Logger
	// Objects reads S3 objects' revisions; nil leaves S3 sources unwatched.
	Objects Objects
	// Images reads the digests image tags point at; nil leaves image sources unwatched.
	Images Images
	Clock  sluice.Clock
	// Interval is the time between rounds (see Polling), the unit of the backoff.
	Interval time.Duration
	// MaxBackoff bounds the wait after repeated failures of one target (default 1h).
	MaxBackoff time.Duration
	// Concurrency bounds the revisions asked for at once; 0 means 4.
	Concurrency int

	mu      sync.Mutex
	backoff backoffs // per target key
	// seen is the revision each watching action's target had at the last round, so a
	// change is noticed once; it is empty after a restart, when the pipelines' latest
	// executions are the reference instead.
	seen map[watch]string
}

// target is one thing watched (an object, an image tag) and the actions watching it.
type target struct {
	key      string
	trigger  sluice.Trigger // how an execution this target starts is recorded
	revision func(ctx context.Context) (sluice.Revision, error)
	watches  []watch
}

// checkTimeout bounds one revision check, so a source that hangs delays a round by that
// much at most.
const checkTimeout = time.Minute

// PollOnce runs one round: it asks every watched target that is not backing off for its
// revision and starts the pipelines whose sources changed. The error is about listing
// pipelines; a target that cannot be read is logged and backs off (see backoffs).
func (c *ObjectRound) PollOnce(ctx context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	targets, err := c.targets(ctx)
	if err != nil {
		return err
	}
	due := c.due(targets)
	revs := c.check(ctx, due)
	r := &round{c: c, latest: map[string]*sluice.Execution{}, pins: map[string]*start{}}
	for i, t := range due {
		if revs[i] != nil {
			if err := r.consider(ctx, t, *revs[i]); err != nil {
				return err
			}
		}
	}
	r.startAll(ctx)
	return nil
}

// due drops the targets that are backing off, and forgets what it knew of targets and
// actions no pipeline has any more.
func (c *ObjectRound) due(targets []*target) []*target {
	if c.seen == nil {
		c.seen = map[watch]string{}
	}
	live, watching := map[string]bool{}, map[watch]bool{}
	var due []*target
	now := c.Clock.Now()
	for _, t := range targets {
		live[t.key] = true
		for _, w := range t.watches {
			watching[w] = true
		}
		if c.backoff.due(t.key, now) {
			due = append(due, t)
		}
	}
	c.backoff.keep(func(k string) bool { return live[k] })
	maps.DeleteFunc(c.seen, func(w watch, _ string) bool { return !watching[w] })
	return due
}

// check asks each target for its revision, a bounded number at once; a failed target's
// entry is nil.
func (c *ObjectRound) check(ctx context.Context, due []*target) []*sluice.Revision {
	out := make([]*sluice.Revision, len(due))
	errs := make([]error, len(due))
	sem := make(chan struct{}, c.concurrency())
	var wg sync.WaitGroup
	for i, t := range due {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			ctx, cancel := context.WithTimeout(ctx, checkTimeout)
			defer cancel()
			rev, err := t.revision(ctx)
			if err != nil {
				errs[i] = err
				return
			}
			out[i] = &rev
		})
	}
	wg.Wait()
	if ctx.Err() != nil {
		return make([]*sluice.Revision, len(due)) // stopping: no source is at fault
	}
	for i, t := range due {
		c.record(t, errs[i])
	}
	return out
}

// record keeps a target's backoff: a success clears it, a failure doubles the wait.
func (c *ObjectRound) record(t *target, err error) {
	if err == nil {
		c.backoff.succeeded(t.key)
		return
	}
	f := c.backoff.failed(t.key, c.Clock.Now(), pollBase(c.Interval), maxBackoff(c.MaxBackoff))
	c.Log.Warn("cannot read a watched source", "source", t.key, "failures", f.count, "retry", f.retry, "err", err)
}

func (c *ObjectRound) concurrency() int {
	if c.Concurrency > 0 {
		return c.Concurrency
	}
	return 4
}

// targets lists what the pipelines' source actions watch, each object or image tag once:
// the pipelines the index names as watching objects or images.
func (c *ObjectRound) targets(ctx context.Context) ([]*target, error) {
	var indexed []sluice.SourceWatch
	for _, kind := range []sluice.WatchKind{sluice.WatchObject, sluice.WatchImage} {
		ws, err := c.Store.WatchingKind(ctx, kind)
		if err != nil {
			return nil, err
		}
		indexed = append(indexed, ws...)
	}
	slices.SortFunc(indexed, func(a, b sluice.SourceWatch) int { return strings.Compare(a.Pipeline, b.Pipeline) })
	decls, err := declarations(ctx, c.Store, indexed)
	if err != nil {
		return nil, err
	}
	byKey := map[string]*target{}
	var out []*target
	for _, d := range decls {
		for _, s := range d.Stages {
			for _, a := range s.Actions {
				key, newTarget := c.targetOf(&a)
				if newTarget == nil {
					continue
				}
				t := byKey[key]
				if t == nil {
					t = newTarget()
					t.key = key
					byKey[key] = t
					out = append(out, t)
				}
				t.watches = append(t.watches, watch{SourceWatch: sluice.SourceWatch{Pipeline: d.Name, Action: a.Name}})
			}
		}
	}
	return out, nil
}

// targetOf returns the key of what an action watches and a maker of its target, or nil
// when ObjectRound does not watch it.
func (c *ObjectRound) targetOf(a *sluice.ActionDeclaration) (string, func() *target) {
	id := a.ActionTypeID
	if id.Category != sluice.CategorySource || id.Owner != sluice.OwnerAWS {
		return "", nil
	}
	switch id.Provider {
	case "S3":
		return c.objectTarget(a.Configuration)
	case "ECR":
		return c.imageTarget(a.Configuration)
	}
	return "", nil
}
