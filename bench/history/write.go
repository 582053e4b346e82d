package main

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"sluice"
	"sluice/bench/internal/pgdb"
	"sluice/sealbox"
	"sluice/store/postgres"
	"sluice/store/sqlite"
)

// stages are the pipeline's stages, one action each: a source, a build and a deploy.
var stages = []struct{ stage, action, provider string }{
	{"Source", "Source", "CodeCommit"},
	{"Build", "Compile", "Commands"},
	{"Deploy", "Ship", "Commands"},
}

// batch is how many executions one transaction writes.
const batch = 2000

// epoch is when the first written execution starts; they start a minute apart.
var epoch = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)

// writer writes history into a store through the port every backend implements.
type writer struct {
	store sluice.Store
}

// store is where the server keeps its state: SQLite in the data directory, or the
// PostgreSQL database pg.
type store struct {
	data string
	pg   *pgdb.Database
}

// openWriter opens the server's store as the server does: PostgreSQL, or SQLite in
// data/sluice.db, its secrets sealed with the key the server made beside its data directory.
func (s store) openWriter() (*writer, error) {
	keys, err := sealbox.ReadFile(s.data + ".encryption-key")
	if err != nil {
		return nil, err
	}
	box, err := sealbox.New(keys...)
	if err != nil {
		return nil, err
	}
	var db sluice.Store
	if s.pg != nil {
		db, err = postgres.Open(context.Background(), s.pg.URL, postgres.WithSealer(box))
	} else {
		db, err = sqlite.Open(filepath.Join(s.data, "sluice.db"), sqlite.WithSealer(box))
	}
	if err != nil {
		return nil, err
	}
	return &writer{db}, nil
}

func (w *writer) close() error { return w.store.Close() }

// write adds executions from to to-1 to the history, batch executions a transaction,
// through Update and Apply: the engine's write path, with the rows the engine writes when an
// execution ends (the execution, its stage runs and action runs; one in ten fails in its
// build). The pipeline's first execution (the one CreatePipeline started) keeps Seq 1.
func (w *writer) write(from, to int) error {
	ctx := context.Background()
	for lo := from; lo < to; lo += batch {
		hi := min(lo+batch, to)
		err := w.store.Update(ctx, pipeline, func(tx sluice.Tx) error {
			snap, err := tx.Snapshot(ctx)
			if err != nil {
				return err
			}
			plan := &sluice.Plan{Stages: map[string]*sluice.StageState{}}
			for i := lo; i < hi; i++ {
				addExecution(plan, i, snap.Pipeline.Declaration.Version)
			}
			return tx.Apply(ctx, plan)
		})
		if err != nil {
			return fmt.Errorf("write executions %d to %d: %w", lo, hi, err)
		}
	}
	return nil
}

// executionID is the id of the i-th written execution.
func executionID(i int) string { return fmt.Sprintf("00000000-0000-4000-8000-%012x", i) }

// addExecution adds execution i, ended, to plan.
func addExecution(plan *sluice.Plan, i, version int) {
	id := executionID(i)
	start := epoch.Add(time.Duration(i) * time.Minute)
	failed := i%10 == 7
	status := sluice.ExecutionSucceeded
	if failed {
		status = sluice.ExecutionFailed
	}
	e := &sluice.Execution{ID: id, PipelineName: pipeline, PipelineVersion: version, Status: status,
		Mode: sluice.ModeSuperseded, Attempt: 1, Seq: int64(i) + 2,
		Trigger:   sluice.Trigger{Type: "CloudWatchEvent", Detail: "arn:aws:codecommit:us-east-1:000000000000:" + pipeline},
		Revisions: map[string]sluice.Revision{"Source": {RevisionID: fmt.Sprintf("%040x", uint64(i)*2654435761), Summary: fmt.Sprintf("Change number %d", i)}},
		StartTime: start, LastUpdateTime: start.Add(30 * time.Second)}
	plan.Executions = append(plan.Executions, sluice.Change[sluice.Execution, sluice.ExecutionStatus]{Row: e, Insert: true})
	t := start
	for n, s := range stages {
		st, sst := sluice.ActionSucceeded, sluice.StageSucceeded
		if failed && s.stage == "Build" {
			st, sst = sluice.ActionFailed, sluice.StageFailed
		}
		r := &sluice.ActionRun{ID: fmt.Sprintf("%s-%d", id, n), ExecutionID: id, StageName: s.stage, ActionName: s.action,
			StageAttempt: 1, PipelineVersion: version, Status: st, StartTime: t, LastUpdateTime: t.Add(5 * time.Second), Summary: "done"}
		plan.ActionRuns = append(plan.ActionRuns, sluice.Change[sluice.ActionRun, sluice.ActionStatus]{Row: r, Insert: true})
		plan.StageRuns = append(plan.StageRuns, sluice.Change[sluice.StageRun, sluice.StageStatus]{Row: &sluice.StageRun{
			ExecutionID: id, StageName: s.stage, Status: sst, Attempt: 1, BaseAttempt: 1, StartTime: t, LastUpdateTime: t.Add(5 * time.Second)}, Insert: true})
		plan.Stages[s.stage] = &sluice.StageState{Transition: sluice.TransitionState{Enabled: true}, LatestExecutionID: id}
		if sst == sluice.StageFailed {
			break // the failed build stops the execution
		}
		t = t.Add(10 * time.Second)
	}
}
