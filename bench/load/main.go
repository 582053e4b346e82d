// Command load measures how many executions a server carries at once: it starts a real
// `sluice server` on loopback, creates a hosted repository with one commit and -pipelines
// PARALLEL pipelines, each a CodeCommit source and a stage of three sequential Commands
// actions that run `true`, and keeps -inflight executions of every pipeline in flight (50:
// AWS's per-pipeline quota, which the server enforces too), -rounds executions per slot, so
// that pipelines × inflight executions run at once (1,000 by default). Every execution must
// succeed. It prints the throughput, the time to drain, the starts the server refused (and
// retried), the requests the SDK retried, the server's resident set (peak and at the end),
// its CPU per execution (its own, and its children's: the actions' shells) from /proc, and on
// PostgreSQL the CPU of the server's database connections.
//
//	go run ./bench/load [-bin PATH] [-pipelines 20] [-inflight 50] [-rounds 1] [-workers N]
//	    [-database postgres://postgres@127.0.0.1:5432/test?sslmode=disable]
//
// Without -bin it builds this tree's sluice. With -database the server runs on PostgreSQL, in
// a database bench_load_PID made on that server for the run and dropped at the end. Every
// request goes to 127.0.0.1 only.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"sluice/bench/internal/benchserver"
	"sluice/bench/internal/pgdb"
	"sluice/bench/internal/procmem"
)

func main() {
	var o options
	flag.StringVar(&o.bin, "bin", "", "the sluice binary to measure (default: build this tree's)")
	flag.IntVar(&o.pipelines, "pipelines", 20, "PARALLEL pipelines")
	flag.IntVar(&o.inflight, "inflight", 50, "executions of each pipeline kept in flight")
	flag.IntVar(&o.rounds, "rounds", 1, "executions each in-flight slot runs, one after another")
	flag.IntVar(&o.workers, "workers", 0, "the server's --workers (default: the server's own default)")
	flag.StringVar(&o.database, "database", "", "a PostgreSQL server's URL to run on, in a database made for the run and dropped after (default: SQLite)")
	flag.DurationVar(&o.poll, "poll", 500*time.Millisecond, "how often each pipeline's executions are polled")
	flag.DurationVar(&o.timeout, "timeout", 20*time.Minute, "give up (and list the executions still in flight) after this long")
	flag.Parse()
	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(1)
	}
}

type options struct {
	bin, database               string
	pipelines, inflight, rounds int
	workers                     int
	poll, timeout               time.Duration
}

func run(o options) (err error) {
	dir, err := os.MkdirTemp("", "sluice-load-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if o.bin, err = benchserver.Build(o.bin, dir); err != nil {
		return err
	}
	args := []string{"--poll-interval", "0"}
	if o.workers > 0 {
		args = append(args, "--workers", strconv.Itoa(o.workers))
	}
	var db *pgdb.Database
	if o.database != "" {
		if db, err = pgdb.Create(context.Background(), o.database, "bench_load"); err != nil {
			return err
		}
		defer func() { err = errors.Join(err, db.Drop(context.Background())) }()
		args = append(args, "--database", db.URL)
		fmt.Printf("PostgreSQL database %s\n", db.Name)
	}
	srv, err := benchserver.Start(o.bin, dir, filepath.Join(dir, "data"), args...)
	if err != nil {
		return err
	}
	defer func() {
		if serr := srv.Stop(); serr != nil {
			err = errors.Join(err, serr)
		}
		err = errors.Join(err, logErrors(filepath.Join(dir, "server.log")))
	}()
	l, err := setUp(srv, dir, o)
	if err != nil {
		return err
	}
	fmt.Printf("%d pipelines × %d in flight × %d rounds = %d executions, 3 Commands actions each; server %s\n",
		o.pipelines, o.inflight, o.rounds, o.pipelines*o.inflight*o.rounds, strings.Join(args, " "))
	before, pgBefore := cpuOf(srv.PID), pgCPU(db)
	memBefore := procmem.Sample(srv.PID)
	res, err := l.run(o)
	if err != nil {
		return err
	}
	after, pgAfter := cpuOf(srv.PID), pgCPU(db)
	report(o, res, memBefore, procmem.Sample(srv.PID), after.sub(before), pgAfter.sub(pgBefore), db)
	return nil
}

// report prints the run's figures.
func report(o options, r result, memBefore, mem procmem.Memory, cpu cpuTimes, pg cpuTimes, db *pgdb.Database) {
	n := float64(r.executions)
	loadavg, _ := os.ReadFile("/proc/loadavg")
	fmt.Printf("\nall %d executions succeeded (load average at the end %s)\n", r.executions, strings.Join(strings.Fields(string(loadavg))[:3], " "))
	fmt.Printf("all %d first starts accepted after  %v\n", o.pipelines*o.inflight, r.started.Round(time.Millisecond))
	fmt.Printf("time to drain (first start to last end) %v\n", r.drain.Round(time.Millisecond))
	fmt.Printf("throughput                          %.1f executions/s (%.1f actions/s)\n", n/r.drain.Seconds(), 4*n/r.drain.Seconds())
	fmt.Printf("execution duration p50 / p99 / max   %v / %v / %v (start to end, as the server stamps them)\n",
		r.durations.P(50).Round(time.Millisecond), r.durations.P(99).Round(time.Millisecond), r.durations.P(100).Round(time.Millisecond))
	fmt.Printf("starts refused for the in-flight quota (ConcurrentPipelineExecutionsLimitExceeded), retried: %d\n", r.refused)
	fmt.Printf("requests retried by the SDK (5xx answers, such as 503 while -max-unauthenticated requests are being authenticated): %d\n%s",
		r.requests.retries(), r.requests)
	fmt.Printf("server RSS before the load %s\n", memBefore)
	fmt.Printf("server RSS at the end      %s, peak %.1f MB\n", mem, float64(mem.HWM)/1024)
	fmt.Printf("server CPU per execution   %.1f ms (own), %.1f ms (children: the actions' processes)\n",
		cpu.self.Seconds()*1000/n, cpu.children.Seconds()*1000/n)
	if db != nil {
		fmt.Printf("PostgreSQL CPU per execution %.1f ms (the server's connections to %s; size %s)\n", pg.self.Seconds()*1000/n, db.Name, db.Size(context.Background()))
	}
}
