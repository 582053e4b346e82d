package runner_test

import (
	"context"
	"fmt"
	"os/exec"
	"testing"

	"sluice"
	"sluice/provider/commands"
	"sluice/runner"
)

// BenchmarkCommandsTrue measures one Commands action running `true` with one small input,
// as the per-action benchmark runs it, next to the bare spawn of `sh -c true`.
func BenchmarkCommandsTrue(b *testing.B) {
	bb := setup(b)
	providers, err := runner.ProviderMap(&commands.Provider{})
	if err != nil {
		b.Fatal(err)
	}
	bb.runner.Providers = providers
	bb.putZip(b, "pipe/Source/k", map[string]string{"README": "hi"})
	i := 0
	for b.Loop() {
		job := newJob()
		job.ID, job.ActionRunID = fmt.Sprintf("job-%d", i), fmt.Sprintf("run-%d", i)
		job.ActionType, job.Data.ActionTypeID = commands.TypeID, commands.TypeID
		job.Data.Commands = []string{"true"}
		job.Data.InputArtifacts = []sluice.ArtifactRef{{Name: "Source", Key: "pipe/Source/k"}}
		job.Deadline = testNow.Add(1e12)
		if res := bb.runner.Run(context.Background(), job); !res.Success {
			b.Fatal(res.Summary)
		}
		i++
	}
}

func BenchmarkSpawnShTrue(b *testing.B) {
	for b.Loop() {
		if err := exec.Command("sh", "-c", "true").Run(); err != nil {
			b.Fatal(err)
		}
	}
}
