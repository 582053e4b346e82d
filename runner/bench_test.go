package runner_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"sluice"
)

// BenchmarkRun measures the runner's own cost per job: workspace, one small input
// unpacked, a provider that writes one file, one output zipped and stored, cleanup.
func BenchmarkRun(b *testing.B) {
	bb := setup(b)
	bb.putZip(b, "pipe/Source/k", map[string]string{"main.go": "package main", "README": "hi"})
	bb.provider.run = func(ctx context.Context, rc *sluice.RunContext) (*sluice.Outcome, error) {
		if err := os.WriteFile(filepath.Join(rc.WorkDir, "app"), []byte("binary"), 0o755); err != nil {
			return nil, err
		}
		return &sluice.Outcome{Success: true, Artifacts: map[string]sluice.ArtifactSource{"Out": {Dir: rc.WorkDir}}}, nil
	}
	i := 0
	for b.Loop() {
		job := newJob()
		job.ID = fmt.Sprintf("job-%d", i)
		job.Data.InputArtifacts = []sluice.ArtifactRef{{Name: "Source", Key: "pipe/Source/k"}}
		job.Data.OutputArtifacts = []sluice.OutputArtifactRef{{ArtifactRef: sluice.ArtifactRef{Name: "Out", Key: job.ID}}}
		if res := bb.runner.Run(b.Context(), job); !res.Success {
			b.Fatal(res.Summary)
		}
		i++
	}
}
