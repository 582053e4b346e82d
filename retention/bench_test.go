package retention_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"sluice"
	"sluice/store/sqlite"
)

// BenchmarkPruneBatch measures how long one batch of retention holds SQLite's writer: a
// transaction that takes the pipeline's Snapshot and prunes 50 or 200 executions (3 stage runs, 6
// action runs, 6 jobs and a rule run each) from a pipeline holding 5,000 more. It reports
// the batch's time (ms/batch) and its ratio to the engine's transaction that starts one
// such execution (x-start), measured in the same run: the longest an engine transaction
// waits behind a batch.
//
//	go test ./retention -run '^$' -bench PruneBatch -benchtime 20x
func BenchmarkPruneBatch(b *testing.B) {
	for _, size := range []int{50, 200} {
		b.Run(fmt.Sprint(size), func(b *testing.B) { benchPruneBatch(b, size) })
	}
}

func benchPruneBatch(b *testing.B, size int) {
	ctx := context.Background()
	db, err := sqlite.Open(filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	h := &benchHistory{ctx: ctx, db: db, now: time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC)}
	h.create(b)
	for range 25 {
		h.insert(b, 200, h.now) // kept: they started at now
	}
	var prune, start time.Duration
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		h.insert(b, size, h.now.Add(-1000*time.Hour)) // past the age
		t0 := time.Now()
		h.insert(b, 1, h.now)
		start += time.Since(t0)
		b.StartTimer()
		t0 = time.Now()
		var pruned *sluice.Pruned
		must(b, db.Update(ctx, "app", func(tx sluice.Tx) error {
			if _, err := tx.Snapshot(ctx); err != nil {
				return err
			}
			pruned, err = tx.PruneExecutions(ctx, sluice.PruneParams{Before: h.now.Add(-time.Hour), Limit: size})
			return err
		}))
		prune += time.Since(t0)
		if len(pruned.Executions) != size {
			b.Fatalf("pruned %d executions, want %d", len(pruned.Executions), size)
		}
	}
	b.ReportMetric(float64(prune.Milliseconds())/float64(b.N), "ms/batch")
	b.ReportMetric(float64(prune)/float64(start), "x-start")
}

type benchHistory struct {
	ctx context.Context
	db  *sqlite.DB
	now time.Time
	n   int
}

var benchType = sluice.ActionTypeID{Category: sluice.CategoryBuild, Owner: sluice.OwnerAWS, Provider: "CodeBuild", Version: "1"}

func (h *benchHistory) create(b *testing.B) {
	p := &sluice.Pipeline{ARN: "arn:aws:codepipeline:us-east-1:000000000000:app", Created: h.now, Updated: h.now,
		Declaration: sluice.PipelineDeclaration{Name: "app", Version: 1, PipelineType: "V2",
			Stages: []sluice.StageDeclaration{{Name: "Source"}, {Name: "Build"}, {Name: "Deploy"}}}}
	must(b, h.db.Update(h.ctx, "app", func(tx sluice.Tx) error { return tx.CreatePipeline(h.ctx, p, nil) }))
}

// insert stores n ended executions that started at start, in one transaction.
func (h *benchHistory) insert(b *testing.B, n int, start time.Time) {
	plan := &sluice.Plan{}
	for range n {
		h.n++
		e := &sluice.Execution{ID: fmt.Sprint("e", h.n), PipelineName: "app", PipelineVersion: 1, Status: sluice.ExecutionSucceeded,
			Mode: sluice.ModeQueued, Attempt: 1, StartTime: start, LastUpdateTime: start}
		plan.Executions = append(plan.Executions, sluice.Change[sluice.Execution, sluice.ExecutionStatus]{Row: e, Insert: true})
		for s, stage := range []string{"Source", "Build", "Deploy"} {
			plan.StageRuns = append(plan.StageRuns, sluice.Change[sluice.StageRun, sluice.StageStatus]{Insert: true,
				Row: &sluice.StageRun{ExecutionID: e.ID, StageName: stage, Status: sluice.StageSucceeded, Attempt: 1, BaseAttempt: 1, StartTime: start, LastUpdateTime: start}})
			for a := range 2 {
				id := fmt.Sprintf("%s-%d-%d", e.ID, s, a)
				r := &sluice.ActionRun{ID: id, ExecutionID: e.ID, StageName: stage, ActionName: fmt.Sprint("a", a), StageAttempt: 1,
					PipelineVersion: 1, Status: sluice.ActionSucceeded, StartTime: start, LastUpdateTime: start,
					OutputArtifacts: []sluice.ArtifactRef{{Name: "out", Key: "app/out/" + id}}}
				plan.ActionRuns = append(plan.ActionRuns, sluice.Change[sluice.ActionRun, sluice.ActionStatus]{Row: r, Insert: true})
				plan.Jobs = append(plan.Jobs, sluice.Change[sluice.Job, sluice.JobStatus]{Insert: true, Row: &sluice.Job{ID: "j" + id,
					ActionRunID: id, ExecutionID: e.ID, PipelineName: "app", StageName: stage, ActionName: r.ActionName, ActionType: benchType,
					Status: sluice.JobSucceeded, CreatedAt: start, UpdatedAt: start, Data: sluice.JobData{ActionTypeID: benchType}}})
			}
		}
		plan.RuleRuns = append(plan.RuleRuns, sluice.Change[sluice.RuleRun, sluice.RuleStatus]{Insert: true, Row: &sluice.RuleRun{
			ID: "rule-" + e.ID, ExecutionID: e.ID, StageName: "Deploy", StageAttempt: 1, Condition: sluice.ConditionOnSuccess,
			RuleName: "Gate", PipelineVersion: 1, Status: sluice.RuleSucceeded, StartTime: start, LastUpdateTime: start}})
	}
	must(b, h.db.Update(h.ctx, "app", func(tx sluice.Tx) error { return tx.Apply(h.ctx, plan) }))
}

func must(b *testing.B, err error) {
	b.Helper()
	if err != nil {
		b.Fatal(err)
	}
}
