package sqlstore

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"sluice"
	"sluice/store/postgres/pgtest"
)

// BenchmarkActionCycle measures the store's share of one action: the engine's transaction
// that queues it, a worker's claim, and the transaction that records its result; on SQLite
// and on the PostgreSQL at 127.0.0.1:5432 (skipped without it).
func BenchmarkActionCycle(b *testing.B) {
	b.Run("sqlite", func(b *testing.B) {
		db, err := OpenSQLite(filepath.Join(b.TempDir(), "bench.db"))
		if err != nil {
			b.Fatal(err)
		}
		defer db.Close()
		actionCycles(b, db)
	})
	b.Run("postgres", func(b *testing.B) {
		db, err := OpenPostgres(context.Background(), pgtest.Schema(b))
		if err != nil {
			b.Fatal(err)
		}
		defer db.Close()
		actionCycles(b, db)
	})
}

func actionCycles(b *testing.B, db *DB) {
	ctx := context.Background()
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	p := &sluice.Pipeline{Declaration: sluice.PipelineDeclaration{Name: "app", Version: 1,
		Stages: []sluice.StageDeclaration{{Name: "Build", Actions: []sluice.ActionDeclaration{{Name: "Compile"}}}}}}
	must(b, db.Update(ctx, "app", func(tx sluice.Tx) error { return tx.CreatePipeline(ctx, p, nil) }))
	typ := sluice.ActionTypeID{Category: "Build", Owner: "AWS", Provider: "CodeBuild", Version: "1"}
	b.ResetTimer()
	for i := range b.N {
		// Each action belongs to its own execution, so history grows as it does in service
		// while the active set stays small.
		e := &sluice.Execution{ID: fmt.Sprint("e", i), PipelineName: "app", PipelineVersion: 1,
			Status: sluice.ExecutionInProgress, StartTime: now}
		r := &sluice.ActionRun{ID: fmt.Sprint("r", i), ExecutionID: e.ID, StageName: "Build", ActionName: "Compile",
			Status: sluice.ActionInProgress, StartTime: now, Deadline: now.Add(time.Hour)}
		j := &sluice.Job{ID: fmt.Sprint("j", i), ActionRunID: r.ID, ExecutionID: e.ID, ActionType: typ,
			Status: sluice.JobQueued, CreatedAt: now, Data: sluice.JobData{ActionTypeID: typ}}
		must(b, db.Update(ctx, "app", func(tx sluice.Tx) error {
			if _, err := tx.Snapshot(ctx); err != nil {
				return err
			}
			return tx.Apply(ctx, &sluice.Plan{
				Executions: []sluice.Change[sluice.Execution, sluice.ExecutionStatus]{{Row: e, Insert: true}},
				ActionRuns: []sluice.Change[sluice.ActionRun, sluice.ActionStatus]{{Row: r, Insert: true}},
				Jobs:       []sluice.Change[sluice.Job, sluice.JobStatus]{{Row: j, Insert: true}},
			})
		}))
		jobs, err := db.ClaimJobs(ctx, sluice.ClaimParams{Worker: "w", Limit: 1, Now: now, LeaseFor: time.Minute, Acknowledge: true})
		if err != nil || len(jobs) != 1 {
			b.Fatal(err, len(jobs))
		}
		must(b, db.Update(ctx, "app", func(tx sluice.Tx) error {
			if _, err := tx.Snapshot(ctx); err != nil {
				return err
			}
			done, doneJob, doneExec := *r, *jobs[0], *e
			done.Status, doneJob.Status, doneExec.Status = sluice.ActionSucceeded, sluice.JobSucceeded, sluice.ExecutionSucceeded
			return tx.Apply(ctx, &sluice.Plan{
				Executions: []sluice.Change[sluice.Execution, sluice.ExecutionStatus]{{Row: &doneExec, From: sluice.ExecutionInProgress}},
				ActionRuns: []sluice.Change[sluice.ActionRun, sluice.ActionStatus]{{Row: &done, From: sluice.ActionInProgress}},
				Jobs:       []sluice.Change[sluice.Job, sluice.JobStatus]{{Row: &doneJob, From: sluice.JobInProgress}},
			})
		}))
	}
}

func must(b *testing.B, err error) {
	b.Helper()
	if err != nil {
		b.Fatal(err)
	}
}

// BenchmarkPruneUnderRetention measures one prune of the outbox when every consumer has
// passed 100,000 records and none is older than the retention: what each consumer does once
// a second on a busy server keeping a day of events for the event stream.
func BenchmarkPruneUnderRetention(b *testing.B) {
	ctx := context.Background()
	db, err := OpenSQLite(filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	must(b, db.AddOutboxConsumer(ctx, "c"))
	for range 100 {
		evs := make([]sluice.Event, 1000)
		for j := range evs {
			evs[j] = sluice.Event{State: "SUCCEEDED", PipelineName: "app", ExecutionID: "0123456789abcdef", Stage: "Build", Action: "Compile"}
		}
		must(b, db.AddEvents(ctx, evs...))
	}
	end, err := db.OutboxEnd(ctx)
	must(b, err)
	must(b, db.AckOutbox(ctx, "c", end))
	before := time.Now().Add(-time.Hour)
	b.ResetTimer()
	for range b.N {
		if n, err := db.PruneOutbox(ctx, before, 1000); err != nil || n != 0 {
			b.Fatal(n, err)
		}
	}
}
