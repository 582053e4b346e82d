// Command events measures how fast events reach their receivers: it starts a real `sluice
// server` on loopback, points an EventBridge rule at an HTTP receiver in this process, and
// measures
//
//   - latency: the time from a state change to its delivery at the receiver, for events put
//     with PutEvents one at a time (from the call to the delivery) and for executions'
//     pipeline STARTED events (from StartPipelineExecution's answer to the delivery), as p50
//     and p99, beside the round trip of a bare loopback POST to the same receiver measured
//     in the same run;
//
//   - throughput: -burst events put in batches of 10 by 4 clients at once, and the rate at
//     which they reach the receiver (events per second), beside the rate PutEvents took them.
//
//     go run ./bench/events [-bin PATH] [-n 200] [-burst 5000]
//
// Without -bin it builds this tree's sluice. Every request goes to 127.0.0.1 only.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"time"

	"sluice/bench/internal/benchserver"
)

func main() {
	bin := flag.String("bin", "", "the sluice binary to measure (default: build this tree's)")
	n := flag.Int("n", 200, "events measured one at a time for latency")
	burst := flag.Int("burst", 5000, "events put at once for throughput")
	flag.Parse()
	if err := run(*bin, *n, *burst); err != nil {
		fmt.Fprintln(os.Stderr, "events:", err)
		os.Exit(1)
	}
}

func run(bin string, n, burst int) error {
	dir, err := os.MkdirTemp("", "sluice-events-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if bin, err = benchserver.Build(bin, dir); err != nil {
		return err
	}
	rcv, err := newReceiver()
	if err != nil {
		return err
	}
	defer rcv.close()
	// The receiver is in this process: the server may deliver to loopback.
	srv, err := benchserver.Start(bin, dir, filepath.Join(dir, "data"), "--workers", "2", "--poll-interval", "0",
		"--allow-local-destinations", "--sandbox=off")
	if err != nil {
		return err
	}
	defer srv.Stop()
	b := newBench(srv.URL, rcv)
	if err := b.setup(); err != nil {
		return err
	}
	bare, err := b.bareRoundTrips(n)
	if err != nil {
		return err
	}
	put, answered, err := b.putLatency(n)
	if err != nil {
		return err
	}
	started, err := b.startLatency(n / 4)
	if err != nil {
		return err
	}
	fmt.Printf("latency (n=%d)                          p50        p99\n", n)
	row := func(name string, d []time.Duration) {
		fmt.Printf("  %-36s %9s  %9s\n", name, ms(pct(d, 50)), ms(pct(d, 99)))
	}
	row("bare POST to the receiver", bare)
	row("PutEvents answered (its commit)", answered)
	row("PutEvents -> rule -> HTTP target", put)
	row("execution STARTED -> HTTP target", started)
	fmt.Printf("  ratio p50 PutEvents path / bare POST  %.1f\n", float64(pct(put, 50))/float64(pct(bare, 50)))
	ingest, deliver, err := b.throughput(burst)
	if err != nil {
		return err
	}
	fmt.Printf("throughput (%d events, 4 clients, 10 per PutEvents)\n", burst)
	fmt.Printf("  put:       %8.0f events/s\n", ingest)
	fmt.Printf("  delivered: %8.0f events/s (first put to last delivery)\n", deliver)
	fmt.Printf("  ratio delivered / put  %.2f\n", deliver/ingest)
	return nil
}

func pct(d []time.Duration, p int) time.Duration {
	s := append([]time.Duration(nil), d...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	i := (len(s)*p + 99) / 100
	if i > 0 {
		i--
	}
	return s[min(i, len(s)-1)]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d.Microseconds())/1000) }
