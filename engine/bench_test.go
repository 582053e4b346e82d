package engine_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"sluice"
	"sluice/catalog"
	"sluice/engine"
	"sluice/store/sqlite"
)

type benchClock struct{}

func (benchClock) Now() time.Time { return time.Now().UTC() }

type benchIDs struct{ n int }

func (b *benchIDs) NewID() string { b.n++; return fmt.Sprintf("00000000-0000-4000-8000-%012d", b.n) }

// BenchmarkJobResult measures the engine's share of one action: committing a job's result and
// queuing the next action's job, on a 50-action sequential stage, against SQLite on disk.
func BenchmarkJobResult(b *testing.B) {
	db, err := sqlite.Open(filepath.Join(b.TempDir(), "sluice.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	eng := &engine.Engine{Store: db, Clock: benchClock{}, IDs: &benchIDs{}, Account: "000000000000", Region: "us-east-1",
		Lookup: catalog.With(), Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	var next *sluice.Job
	eng.Applied = func(p *sluice.Plan) {
		for _, c := range p.Jobs {
			if c.Insert {
				next = c.Row
			}
		}
	}
	ctx := context.Background()
	if _, err := eng.CreatePipeline(ctx, sequential(50), nil, "bench"); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if next == nil {
			if _, err := eng.Start(ctx, engine.StartParams{Pipeline: "seq"}); err != nil {
				b.Fatal(err)
			}
		}
		job := next
		next = nil
		res := sluice.JobResult{JobID: job.ID, Success: true}
		if err := eng.ReportJob(ctx, job, res); err != nil {
			b.Fatal(err)
		}
	}
}

func sequential(n int) sluice.PipelineDeclaration {
	src := sluice.ActionDeclaration{Name: "Src", ActionTypeID: sluice.ActionTypeID{Category: "Source", Owner: "AWS", Provider: "CodeCommit", Version: "1"},
		Configuration: map[string]string{"RepositoryName": "r", "BranchName": "main"}, OutputArtifacts: []sluice.OutputArtifact{{Name: "Code"}}}
	var acts []sluice.ActionDeclaration
	for i := 1; i <= n; i++ {
		acts = append(acts, sluice.ActionDeclaration{Name: fmt.Sprintf("a%02d", i), RunOrder: i,
			ActionTypeID: sluice.ActionTypeID{Category: "Compute", Owner: "AWS", Provider: "Commands", Version: "1"},
			Commands:     []string{"true"}, InputArtifacts: []sluice.InputArtifact{{Name: "Code"}}})
	}
	return sluice.PipelineDeclaration{Name: "seq", RoleArn: "arn:aws:iam::000000000000:role/p", PipelineType: "V2",
		ArtifactStore: &sluice.ArtifactStoreDecl{Type: "S3", Location: "bucket"},
		Stages:        []sluice.StageDeclaration{{Name: "Source", Actions: []sluice.ActionDeclaration{src}}, {Name: "Run", Actions: acts}}}
}
