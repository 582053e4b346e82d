// Command history measures the API's reads over a long history: it starts a real `sluice
// server` on loopback, creates a pipeline of three stages through the API, stops the server,
// and then, for each checkpoint of -checkpoints, writes finished executions (with their stage
// and action runs) through the store's own write path until the history holds that many,
// starts the server again on that data directory and calls each read -n times, one request
// at a time through aws-sdk-go-v2: GetPipelineState, ListPipelineExecutions (the first page,
// and the page reached by following nextToken -deep times), GetPipelineExecution and
// ListActionExecutions (of the pipeline, and of one execution) of executions picked at random
// across the history. It prints each read's p50 and p99 and the ratio of its p99 to the
// first checkpoint's.
//
//	go run ./bench/history [-bin PATH] [-checkpoints 1000,100000,1000000] [-n 2000] [-deep 1000]
//	    [-database postgres://postgres@127.0.0.1:5432/test?sslmode=disable]
//
// Without -bin it builds this tree's sluice. The data directory lives under a temporary
// directory (TMPDIR) and is removed at the end; check its free space first: a million
// executions take several GB. Every request goes to 127.0.0.1 only. With -database the
// server and the writer use PostgreSQL instead of SQLite: a database bench_history_PID made
// on that server for the run (the URL's own database is only connected to, to make it) and
// dropped at the end.
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
)

const pipeline = "app"

func main() {
	bin := flag.String("bin", "", "the sluice binary to measure (default: build this tree's)")
	points := flag.String("checkpoints", "1000,100000,1000000", "history sizes (executions) to measure at, ascending")
	n := flag.Int("n", 2000, "requests per read and checkpoint")
	deep := flag.Int("deep", 1000, "pages of 100 followed by nextToken to reach the deep page (fewer when the history is shorter)")
	database := flag.String("database", "", "a PostgreSQL server's URL to run on, in a database made for the run and dropped after (default: SQLite)")
	flag.Parse()
	var checkpoints []int
	for _, s := range strings.Split(*points, ",") {
		c, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || c < 1 || (len(checkpoints) > 0 && c <= checkpoints[len(checkpoints)-1]) {
			fmt.Fprintf(os.Stderr, "history: -checkpoints %q: give ascending positive counts, such as 1000,100000\n", *points)
			os.Exit(2)
		}
		checkpoints = append(checkpoints, c)
	}
	if err := run(*bin, *database, checkpoints, *n, *deep); err != nil {
		fmt.Fprintln(os.Stderr, "history:", err)
		os.Exit(1)
	}
}

func run(bin, database string, checkpoints []int, n, deep int) (err error) {
	dir, err := os.MkdirTemp("", "sluice-history-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if bin, err = benchserver.Build(bin, dir); err != nil {
		return err
	}
	data := filepath.Join(dir, "data")
	args := []string{"--workers", "1", "--poll-interval", "0"}
	db := store{data: data}
	if database != "" {
		if db.pg, err = pgdb.Create(context.Background(), database, "bench_history"); err != nil {
			return err
		}
		defer func() { err = errors.Join(err, db.pg.Drop(context.Background())) }()
		args = append(args, "--database", db.pg.URL)
		fmt.Printf("PostgreSQL database %s\n", db.pg.Name)
	}
	srv, err := benchserver.Start(bin, dir, data, args...)
	if err != nil {
		return err
	}
	if err := createPipeline(srv.URL); err != nil {
		srv.Stop()
		return err
	}
	if err := srv.Stop(); err != nil {
		return err
	}
	var base []result
	written := 0
	for _, c := range checkpoints {
		start := time.Now()
		w, err := db.openWriter()
		if err != nil {
			return err
		}
		err = w.write(written, c)
		if cerr := w.close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
		took := time.Since(start)
		fmt.Printf("\nwrote executions %d to %d (3 stage and action runs each, 2 when the build fails) in %s (%.0f executions/s); database %s\n",
			written, c, took.Round(time.Millisecond), float64(c-written)/took.Seconds(), db.size())
		written = c
		if srv, err = benchserver.Start(bin, dir, data, args...); err != nil {
			return err
		}
		res, err := measureAll(srv.URL, c, n, deep)
		if serr := srv.Stop(); err == nil {
			err = serr
		}
		if err != nil {
			return err
		}
		if base == nil {
			base = res
		}
		print(c, res, base)
	}
	return nil
}

// print prints a checkpoint's table: each read's p50 and p99, their ratios to the first
// checkpoint's, and the machine's load average while it was measured (the p99 of a shared
// machine is mostly its other tenants).
func print(executions int, res, base []result) {
	load, _ := os.ReadFile("/proc/loadavg")
	fmt.Printf("%d executions (load average %s)\n", executions, strings.Join(strings.Fields(string(load))[:min(3, len(strings.Fields(string(load))))], " "))
	fmt.Printf("%-48s %10s %10s %12s %12s\n", "read", "p50", "p99", "p50 / first", "p99 / first")
	for i, r := range res {
		fmt.Printf("%-48s %10s %10s %11.2fx %11.2fx\n", r.name, ms(r.d.P(50)), ms(r.d.P(99)),
			float64(r.d.P(50))/float64(base[i].d.P(50)), float64(r.d.P(99))/float64(base[i].d.P(99)))
	}
}

// size is the database's size: PostgreSQL's, or the total of SQLite's files in the data
// directory (the database, its WAL).
func (db store) size() string {
	if db.pg != nil {
		return db.pg.Size(context.Background())
	}
	var total int64
	files, _ := filepath.Glob(filepath.Join(db.data, "sluice.db*"))
	for _, f := range files {
		if st, err := os.Stat(f); err == nil {
			total += st.Size()
		}
	}
	return fmt.Sprintf("%.1f MB", float64(total)/1e6)
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d.Microseconds())/1000) }
