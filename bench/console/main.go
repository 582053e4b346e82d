// Command console measures the web console's pages over a long history: it starts a real
// `sluice server` on loopback, creates a pipeline of four stages through the API, stops the
// server, writes -executions finished executions of it (with their stage and action runs)
// through the store's own write path, starts the server again on that data directory,
// signs in with the root key as a browser does, and fetches each page -n times, one request
// at a time, printing the median and 95th percentile of the time to the first byte and of
// the whole answer, and the page's size. BENCH_DUMP=DIR saves each page there.
//
//	go run ./bench/console [-bin PATH] [-executions 10000] [-n 200]
//
// Without -bin it builds this tree's sluice. Every request goes to 127.0.0.1 only.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"sluice/bench/internal/benchserver"
)

const (
	pipeline = "app"
)

func main() {
	bin := flag.String("bin", "", "the sluice binary to measure (default: build this tree's)")
	executions := flag.Int("executions", 10000, "executions in the pipeline's history")
	n := flag.Int("n", 200, "requests per page")
	flag.Parse()
	if err := run(*bin, *executions, *n); err != nil {
		fmt.Fprintln(os.Stderr, "console:", err)
		os.Exit(1)
	}
}

func run(bin string, executions, n int) error {
	dir, err := os.MkdirTemp("", "sluice-console-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if bin, err = benchserver.Build(bin, dir); err != nil {
		return err
	}
	data := filepath.Join(dir, "data")
	srv, err := benchserver.Start(bin, dir, data, "--workers", "1", "--poll-interval", "0")
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
	start := time.Now()
	runs, err := writeHistory(filepath.Join(data, "sluice.db"), data+".encryption-key", executions)
	if err != nil {
		return err
	}
	fmt.Printf("wrote %d executions (%d action runs) in %s\n", executions, runs, time.Since(start).Round(time.Millisecond))
	if srv, err = benchserver.Start(bin, dir, data, "--workers", "1", "--poll-interval", "0"); err != nil {
		return err
	}
	defer srv.Stop()
	c, err := signIn(srv.URL)
	if err != nil {
		return err
	}
	fmt.Printf("%-34s %10s %10s %10s %10s %10s\n", "page", "ttfb p50", "ttfb p95", "total p50", "total p95", "size")
	for _, page := range []string{"/", "/pipelines/" + pipeline, "/pipelines/" + pipeline + "/executions"} {
		m, err := measure(c, srv.URL+page, n)
		if err != nil {
			return err
		}
		fmt.Printf("%-34s %10s %10s %10s %10s %8.1f KB\n", "GET "+page, ms(m.ttfb.P(50)), ms(m.ttfb.P(95)), ms(m.total.P(50)), ms(m.total.P(95)), float64(m.size)/1024)
	}
	return nil
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d.Microseconds())/1000) }
