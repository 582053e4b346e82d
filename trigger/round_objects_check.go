package trigger

import (
	"context"
	"slices"

	"sluice"
	"sluice/engine"
)

// round collects one round's starts, one execution per pipeline.
type round struct {
	c      *ObjectRound
	latest map[string]*sluice.Execution // per pipeline, nil when it has none
	pins   map[string]*start
	order  []string
}

// start is the execution a round starts for one pipeline.
type start struct {
	trigger sluice.Trigger
	revs    map[string]sluice.Revision
	seen    map[watch]string // recorded once the start succeeded
}

// consider pins each watching action whose target's revision is new to it.
func (r *round) consider(ctx context.Context, t *target, rev sluice.Revision) error {
	for _, w := range t.watches {
		changed, err := r.changed(ctx, w, rev.RevisionID)
		if err != nil {
			return err
		}
		if !changed {
			r.c.seen[w] = rev.RevisionID
			continue
		}
		s := r.pins[w.Pipeline]
		if s == nil {
			s = &start{trigger: t.trigger, revs: map[string]sluice.Revision{}, seen: map[watch]string{}}
			r.pins[w.Pipeline] = s
			r.order = append(r.order, w.Pipeline)
		}
		s.revs[w.Action], s.seen[w] = rev, rev.RevisionID
	}
	return nil
}

// changed reports whether rev is new to the action: not what the last round saw, not what
// the pipeline's latest execution ran, and that execution is not still to fetch its
// source (an active execution whose action has no revision yet takes the newest itself).
func (r *round) changed(ctx context.Context, w watch, rev string) (bool, error) {
	if prev, ok := r.c.seen[w]; ok && prev == rev {
		return false, nil
	}
	latest, ok := r.latest[w.Pipeline]
	if !ok {
		execs, _, err := r.c.Store.ListExecutions(ctx, w.Pipeline, sluice.ExecutionFilter{Page: sluice.Page{Limit: 1}})
		if err != nil {
			return false, err
		}
		if len(execs) > 0 {
			latest = execs[0]
		}
		r.latest[w.Pipeline] = latest
	}
	if latest == nil {
		return true, nil
	}
	if ran, ok := latest.Revisions[w.Action]; ok {
		return ran.RevisionID != rev, nil
	}
	return !latest.Status.Active(), nil
}

// startAll starts the collected executions. A start that fails (a deleted pipeline, the
// execution limit) is logged and left unseen, so the next round tries again.
func (r *round) startAll(ctx context.Context) {
	slices.Sort(r.order)
	for _, name := range r.order {
		s := r.pins[name]
		id, err := r.c.Engine.Start(ctx, engine.StartParams{Pipeline: name, Revisions: s.revs, Trigger: s.trigger})
		if err != nil {
			r.c.Log.Error("start pipeline on a source change", "pipeline", name, "trigger", s.trigger.Detail, "err", err)
			continue
		}
		for w, rev := range s.seen {
			r.c.seen[w] = rev
		}
		r.c.Log.Info("source change started pipeline", "pipeline", name, "execution", id, "trigger", s.trigger.Detail)
	}
}
