// Package retention prunes execution history past --retain: per pipeline, the executions
// older than an age or beyond a count, with their stage, action and rule runs, jobs, logs
// and artifacts, in short batches under the pipeline's lock so the engine keeps running.
package retention

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"sluice"
)

// DefaultBatch is how many executions one transaction prunes at most: a batch of 50 holds
// the writer for tens of milliseconds, 200 for about five times as long (BenchmarkPruneBatch).
const DefaultBatch = 50

// Store is what the pruner needs of sluice.Store: the pipelines, and their transactions.
type Store interface {
	ListPipelines(ctx context.Context, p sluice.Page) ([]*sluice.Pipeline, string, error)
	Update(ctx context.Context, pipelineName string, fn func(sluice.Tx) error) error
}

// Logs removes the log of an action or rule run (actionlog.FileSink does).
type Logs interface {
	Remove(id string) error
}

// Pruner deletes the history past MaxAge and MaxCount of every pipeline, at start and then
// every Interval. It keeps every execution the engine's Snapshot loads: the active ones,
// the targets of active rollbacks and each stage's rollback target; and the store keeps
// the target of every rollback still stored. Files (logs, artifacts) are removed once
// their rows' deletion has committed, so a crash in between leaves files, never rows
// without them.
//
// Several servers may run it at once (each batch holds the pipeline's lock, and removing
// a file twice is no error); with the leases of several replicas it belongs to the
// lease holder.
type Pruner struct {
	Store     Store
	Artifacts sluice.ArtifactStore
	Logs      Logs
	Clock     sluice.Clock
	MaxAge    time.Duration // keep executions younger than this (0: no age limit)
	MaxCount  int           // keep the newest MaxCount executions of each pipeline (0: no count limit)
	Batch     int           // executions per transaction (0: DefaultBatch)
	Interval  time.Duration // between rounds (0: an hour)
	// Pruned, when set, sees each batch's counts (metrics).
	Pruned func(executions, artifacts int)
	Log    *slog.Logger
}

// Round is what one pass over every pipeline pruned.
type Round struct {
	Pipelines  int // pipelines that lost executions
	Executions int
	Logs       int
	Artifacts  int
	Failed     int // files that could not be removed (logged)
}

// Enabled reports whether a limit is set; without one the pruner keeps everything.
func (p *Pruner) Enabled() bool { return p.MaxAge > 0 || p.MaxCount > 0 }

// Run prunes until ctx ends, logging one line per round.
func (p *Pruner) Run(ctx context.Context) {
	if !p.Enabled() {
		return
	}
	every := p.Interval
	if every <= 0 {
		every = time.Hour
	}
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		start := time.Now()
		r, err := p.Prune(ctx)
		if ctx.Err() == nil {
			if err != nil {
				p.Log.Error("retention: prune", "err", err)
			}
			p.Log.Info("retention: round", "executions", r.Executions, "pipelines", r.Pipelines, "logs", r.Logs,
				"artifacts", r.Artifacts, "failed_files", r.Failed, "max_age", p.MaxAge.String(), "max_count", p.MaxCount,
				"duration", time.Since(start))
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// Prune makes one round over every pipeline and returns what it pruned. A pipeline it
// cannot prune is reported in the error and the round goes on with the others.
func (p *Pruner) Prune(ctx context.Context) (Round, error) {
	var (
		r     Round
		pause time.Duration
		errs  []error
	)
	page := sluice.Page{}
	for {
		pipelines, next, err := p.Store.ListPipelines(ctx, page)
		if err != nil {
			return r, errors.Join(append(errs, err)...)
		}
		for _, pl := range pipelines {
			n, err := p.prunePipeline(ctx, pl.Declaration.Name, &r, &pause)
			if n > 0 {
				r.Pipelines++
			}
			if ctx.Err() != nil {
				return r, ctx.Err()
			}
			if err != nil {
				errs = append(errs, fmt.Errorf("pipeline %s: %w", pl.Declaration.Name, err))
			}
		}
		if next == "" {
			return r, errors.Join(errs...)
		}
		page.Token = next
	}
}

// prunePipeline prunes one pipeline a batch at a time. Before each batch it waits as long as
// the last batch that pruned something took (pause, carried from pipeline to pipeline), so
// that pruning holds the writer at most half the time.
func (p *Pruner) prunePipeline(ctx context.Context, name string, r *Round, pause *time.Duration) (int, error) {
	batch := p.Batch
	if batch <= 0 {
		batch = DefaultBatch
	}
	total := 0
	for {
		if *pause > 0 {
			select {
			case <-ctx.Done():
				return total, ctx.Err()
			case <-time.After(*pause):
			}
		}
		start := time.Now()
		pruned, err := p.batch(ctx, name, batch)
		*pause = 0
		if err != nil {
			return total, err
		}
		if len(pruned.Executions) > 0 {
			*pause = time.Since(start)
		}
		total += len(pruned.Executions)
		p.removeFiles(ctx, pruned, r)
		if len(pruned.Executions) < batch {
			return total, nil
		}
	}
}

// batch prunes up to limit executions of name in one transaction of the pipeline, keeping
// those the engine's Snapshot loads.
func (p *Pruner) batch(ctx context.Context, name string, limit int) (*sluice.Pruned, error) {
	params := sluice.PruneParams{KeepNewest: p.MaxCount, Limit: limit}
	if p.MaxAge > 0 {
		params.Before = p.Clock.Now().Add(-p.MaxAge)
	}
	var out *sluice.Pruned
	err := p.Store.Update(ctx, name, func(tx sluice.Tx) error {
		s, err := tx.Snapshot(ctx)
		if err != nil {
			return err
		}
		for _, e := range s.Executions {
			params.Keep = append(params.Keep, e.ID)
		}
		out, err = tx.PruneExecutions(ctx, params)
		return err
	})
	if sluice.ErrorCode(err) == sluice.ENotFound {
		return &sluice.Pruned{}, nil // deleted since it was listed
	}
	return out, err
}

// removeFiles removes the logs and artifacts of a committed batch; a file that cannot be
// removed is logged and left.
func (p *Pruner) removeFiles(ctx context.Context, pruned *sluice.Pruned, r *Round) {
	r.Executions += len(pruned.Executions)
	var failed []error
	for _, id := range pruned.LogIDs {
		if err := p.Logs.Remove(id); err != nil {
			failed = append(failed, err)
			continue
		}
		r.Logs++
	}
	artifacts := 0
	for _, key := range pruned.Artifacts {
		if err := p.Artifacts.Delete(ctx, key); err != nil {
			failed = append(failed, err)
			continue
		}
		artifacts++
	}
	r.Artifacts += artifacts
	r.Failed += len(failed)
	if len(failed) > 0 {
		p.Log.Warn("retention: files of pruned executions left behind", "count", len(failed), "err", errors.Join(failed...))
	}
	if p.Pruned != nil {
		p.Pruned(len(pruned.Executions), artifacts)
	}
}
