// Command memory measures a `sluice server`'s resident memory over a long history: it starts
// a real server, creates a pipeline of three actions (a CodeCommit source and two Commands
// actions running `true`) in PARALLEL mode, and runs -executions executions through the API
// with at most -inflight at once, sampling the server's VmRSS from /proc/PID/status. It
// prints the idle RSS at start, the RSS after each thousand executions, the peak (VmHWM), the
// RSS once idle again, and after a restart on the same data directory; then the database
// file's size and the outbox's share of it.
//
//	go run ./bench/memory [-executions 8000] [-inflight 8] [-compare COMMIT] [-- server flags]
//
// With -compare it builds the commit too and runs the same load against both servers at the
// same time, so that both see the same machine. Every request goes to 127.0.0.1 only.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"time"

	"sluice/bench/internal/benchserver"
	"sluice/bench/internal/procmem"
)

func main() {
	executions := flag.Int("executions", 8000, "executions to run")
	inflight := flag.Int("inflight", 8, "executions in flight at once, per server")
	compare := flag.String("compare", "", "a git commit to measure too, at the same time (e.g. main)")
	flag.Parse()
	if err := run(*executions, *inflight, *compare, flag.Args()); err != nil {
		fmt.Fprintln(os.Stderr, "memory:", err)
		os.Exit(1)
	}
}

func run(executions, inflight int, compare string, args []string) error {
	dir, err := os.MkdirTemp("", "sluice-memory-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	builds := []build{{name: "this-tree"}}
	if builds[0].bin, err = benchserver.Build("", dir); err != nil {
		return err
	}
	if compare != "" {
		b, err := buildCommit(dir, compare)
		if err != nil {
			return err
		}
		builds = append(builds, b)
	}
	reports := make([]*report, len(builds))
	errs := make([]error, len(builds))
	var wg sync.WaitGroup
	for i, b := range builds {
		wg.Add(1)
		go func() {
			defer wg.Done()
			reports[i], errs[i] = measure(b, filepath.Join(dir, b.name), executions, inflight, args)
		}()
	}
	wg.Wait()
	for i, r := range reports {
		if errs[i] != nil {
			return fmt.Errorf("%s: %w", builds[i].name, errs[i])
		}
		r.print()
	}
	return nil
}

type build struct{ name, bin string }

// buildCommit builds a commit's sluice from a temporary git worktree (removed afterwards).
func buildCommit(dir, commit string) (build, error) {
	src := filepath.Join(dir, "src-compare")
	if out, err := exec.Command("git", "worktree", "add", "--detach", src, commit).CombinedOutput(); err != nil {
		return build{}, fmt.Errorf("check out %s: %v: %s", commit, err, out)
	}
	defer exec.Command("git", "worktree", "remove", "--force", src).Run()
	b := build{name: commit, bin: filepath.Join(dir, "sluice-compare")}
	cmd := exec.Command("go", "build", "-o", b.bin, "./cmd/sluice")
	cmd.Dir = src
	if out, err := cmd.CombinedOutput(); err != nil {
		return build{}, fmt.Errorf("build %s: %v: %s", commit, err, out)
	}
	return b, nil
}

// report is one build's figures, in kB.
type report struct {
	name                   string
	args                   []string
	idle                   procmem.Memory
	after                  []procmem.Memory // after each thousand executions
	peak                   int64            // VmHWM, kB
	settled                procmem.Memory   // 30 s after the last execution
	restarted              procmem.Memory   // a new server on the same data directory, idle
	dbBytes, freeBytes     int64
	outboxBytes            int64
	outboxRows, executions int64
	tables                 []table // the largest tables and indexes
	rate                   float64 // executions per second
}

func measure(b build, dir string, executions, inflight int, args []string) (*report, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	data := filepath.Join(dir, "data")
	srv, err := benchserver.Start(b.bin, dir, data, append([]string{"--workers", "2"}, args...)...)
	if err != nil {
		return nil, err
	}
	defer srv.Kill()
	l, err := newLoad(srv.URL, dir, srv.Addr)
	if err != nil {
		return nil, err
	}
	r := &report{name: b.name, args: args}
	time.Sleep(3 * time.Second) // what setting up cost settles
	r.idle = procmem.Sample(srv.PID)
	ctx := context.Background()
	start := time.Now()
	err = l.run(ctx, executions, inflight, func(done int) {
		if done%1000 == 0 {
			r.after = append(r.after, procmem.Sample(srv.PID))
			fmt.Fprintf(os.Stderr, "%s: %d executions, RSS %v, %.1f/s\n", b.name, done, r.after[len(r.after)-1],
				float64(done)/time.Since(start).Seconds())
		}
	})
	if err != nil {
		return nil, err
	}
	r.rate = float64(executions) / time.Since(start).Seconds()
	time.Sleep(30 * time.Second)
	m := procmem.Sample(srv.PID)
	r.settled, r.peak = m, m.HWM
	if err := srv.Stop(); err != nil {
		return nil, err
	}
	srv, err = benchserver.Start(b.bin, dir, data, append([]string{"--workers", "2"}, args...)...)
	if err != nil {
		return nil, err
	}
	time.Sleep(5 * time.Second)
	r.restarted = procmem.Sample(srv.PID)
	if err := srv.Stop(); err != nil {
		return nil, err
	}
	if err := r.database(filepath.Join(data, "sluice.db")); err != nil {
		return nil, err
	}
	return r, nil
}

func (r *report) print() {
	fmt.Printf("\n%s %v: %d executions in the database, the load ran %.1f/s\n", r.name, r.args, r.executions, r.rate)
	fmt.Printf("  idle RSS at start:       %v\n", r.idle)
	for i, m := range r.after {
		fmt.Printf("  RSS after %5d:         %v\n", (i+1)*1000, m)
	}
	fmt.Printf("  peak RSS (VmHWM):        %6.1f MB\n", mb(r.peak))
	fmt.Printf("  RSS 30 s after the load: %v\n", r.settled)
	fmt.Printf("  idle RSS after restart:  %v\n", r.restarted)
	fmt.Printf("  database: %.1f MB (%.1f MB free pages); outbox %d rows, %.1f MB (%.0f %%)\n", float64(r.dbBytes)/1e6, float64(r.freeBytes)/1e6, r.outboxRows,
		float64(r.outboxBytes)/1e6, 100*float64(r.outboxBytes)/float64(max(r.dbBytes, 1)))
	for _, t := range r.tables {
		fmt.Printf("    %-32s %6.1f MB\n", t.name, float64(t.bytes)/1e6)
	}
}

func mb(kb int64) float64 { return float64(kb) / 1024 }
