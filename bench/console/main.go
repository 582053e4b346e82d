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
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"time"
)

const (
	keyID    = "AKIABENCHMARK0000001"
	secret   = "benchmark-secret-0000000000000000000000"
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
	if bin == "" {
		bin = filepath.Join(dir, "sluice")
		if out, err := exec.Command("go", "build", "-o", bin, "./cmd/sluice").CombinedOutput(); err != nil {
			return fmt.Errorf("build: %v: %s", err, out)
		}
	}
	data := filepath.Join(dir, "data")
	srv, err := startServer(bin, dir, data)
	if err != nil {
		return err
	}
	if err := createPipeline(srv.url); err != nil {
		srv.stop()
		return err
	}
	if err := srv.stop(); err != nil {
		return err
	}
	start := time.Now()
	runs, err := writeHistory(filepath.Join(data, "sluice.db"), data+".encryption-key", executions)
	if err != nil {
		return err
	}
	fmt.Printf("wrote %d executions (%d action runs) in %s\n", executions, runs, time.Since(start).Round(time.Millisecond))
	if srv, err = startServer(bin, dir, data); err != nil {
		return err
	}
	defer srv.stop()
	c, err := signIn(srv.url)
	if err != nil {
		return err
	}
	fmt.Printf("%-34s %10s %10s %10s %10s %10s\n", "page", "ttfb p50", "ttfb p95", "total p50", "total p95", "size")
	for _, page := range []string{"/", "/pipelines/" + pipeline, "/pipelines/" + pipeline + "/executions"} {
		m, err := measure(c, srv.url+page, n)
		if err != nil {
			return err
		}
		fmt.Printf("%-34s %10s %10s %10s %10s %8.1f KB\n", "GET "+page, ms(m.ttfb.p(50)), ms(m.ttfb.p(95)), ms(m.total.p(50)), ms(m.total.p(95)), float64(m.size)/1024)
	}
	return nil
}

type server struct {
	url  string
	stop func() error
}

// startServer runs `sluice server` on a free loopback port and waits until it answers.
func startServer(bin, dir, data string) (*server, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	addr := l.Addr().String()
	l.Close()
	cmd := exec.Command(bin, "server", "--listen", addr, "--data-dir", data, "--workers", "1", "--poll-interval", "0")
	cmd.Env = append(os.Environ(), "SLUICE_ACCESS_KEY_ID="+keyID, "SLUICE_SECRET_ACCESS_KEY="+secret)
	logf, err := os.OpenFile(filepath.Join(dir, "server.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, err
	}
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	srv := &server{url: "http://" + addr, stop: func() error {
		// A clean stop (SIGTERM), so the store is closed before the benchmark writes to it.
		_ = cmd.Process.Signal(syscall.SIGTERM)
		err := cmd.Wait()
		logf.Close()
		if err != nil {
			return fmt.Errorf("the server stopped with %v; see %s", err, logf.Name())
		}
		return nil
	}}
	for i := 0; i < 400; i++ {
		if resp, err := http.Get(srv.url + "/healthz"); err == nil && resp.StatusCode == 200 {
			resp.Body.Close()
			return srv, nil
		}
		time.Sleep(25 * time.Millisecond)
	}
	_ = cmd.Process.Kill()
	return nil, fmt.Errorf("server did not become healthy; see %s", logf.Name())
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d.Microseconds())/1000) }
