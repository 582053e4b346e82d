package runner_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"sluice"
	"sluice/provider/commands"
	"sluice/runner"
	"sluice/sandbox"
)

// BenchmarkCommandsTrue measures one Commands action running `true` with one small input,
// as the per-action benchmark runs it, next to the bare spawn of `sh -c true`; its Bwrap
// variant runs it in the bubblewrap sandbox, next to BenchmarkSpawnBwrapTrue.
func BenchmarkCommandsTrue(b *testing.B) {
	bb := setup(b)
	benchCommandsTrue(b, bb)
}

func BenchmarkCommandsTrueBwrap(b *testing.B) {
	bb := setup(b)
	bb.runner.Sandbox = bwrapFor(b, bb.workRoot)
	benchCommandsTrue(b, bb)
}

// The Ready variants keep a shell started ahead (Runner.ReadyShells), as servers do.
func BenchmarkCommandsTrueReady(b *testing.B) {
	bb := setup(b)
	bb.runner.ReadyShells = true
	b.Cleanup(bb.runner.Close)
	benchCommandsTrue(b, bb)
}

func BenchmarkCommandsTrueBwrapReady(b *testing.B) {
	bb := setup(b)
	bb.runner.Sandbox = bwrapFor(b, bb.workRoot)
	bb.runner.ReadyShells = true
	b.Cleanup(bb.runner.Close)
	benchCommandsTrue(b, bb)
}

func benchCommandsTrue(b *testing.B, bb *bundle) {
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

// bwrapFor returns the bubblewrap sandbox for a work root under the test's temporary
// directory, which it makes passable for the sandbox's user (skipping without bwrap).
func bwrapFor(b *testing.B, workRoot string) sluice.Sandbox {
	if _, err := exec.LookPath("bwrap"); err != nil {
		b.Skip("bubblewrap is not installed")
	}
	for d := filepath.Dir(workRoot); d != "/"; d = filepath.Dir(d) {
		if fi, err := os.Stat(d); err == nil && fi.Mode().Perm()&0o001 == 0 {
			if err := os.Chmod(d, fi.Mode().Perm()|0o011); err != nil {
				b.Fatal(err)
			}
		}
	}
	sb, err := sandbox.New(sandbox.ModeBwrap, []string{workRoot})
	if err != nil {
		b.Fatal(err)
	}
	return sb
}

// The spawn benchmarks report, beside the wall time, the CPU time the processes used
// (cpu-ns/op: user and system time of the child and what it waited for): the rest of the
// wall time is waiting (for a CPU, for the kernel).
func BenchmarkSpawnShTrue(b *testing.B) {
	benchSpawn(b, func() *exec.Cmd { return exec.Command("sh", "-c", "true") })
}

// BenchmarkSpawnBwrapTrue is `sh -c true` in the sandbox alone: no workspace, no log.
func BenchmarkSpawnBwrapTrue(b *testing.B) {
	sb := bwrapFor(b, filepath.Join(b.TempDir(), "work"))
	benchSpawn(b, func() *exec.Cmd {
		return sb.Command(context.Background(), sluice.SandboxCommand{Dir: "/", Args: []string{"/bin/sh", "-c", "true"}})
	})
}

func benchSpawn(b *testing.B, mk func() *exec.Cmd) {
	var cpu time.Duration
	for b.Loop() {
		cmd := mk()
		if err := cmd.Run(); err != nil {
			b.Fatal(err)
		}
		cpu += cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	}
	b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
}
