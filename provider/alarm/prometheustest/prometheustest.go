// Package prometheustest runs a real Prometheus for tests: Debian's prometheus package,
// started on a free loopback port with a temporary configuration that scrapes a gauge the
// test sets (served on loopback by this package) every second and evaluates two alerting
// rules on it every second.
package prometheustest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// RequireEnv set to 1 fails, rather than skips, the tests that need Prometheus when its
// binary is missing; CI sets it.
const RequireEnv = "SLUICE_REQUIRE_PROMETHEUS"

// Binary is the server Debian's prometheus package installs.
const Binary = "prometheus"

// The alerts of the rules file, both on the gauge being above 0.
const (
	// Alert fires at the first evaluation that sees the gauge above 0 (for: 0s).
	Alert = "SluiceTestAlert"
	// SlowAlert stays pending while the gauge is above 0 (for: 1h).
	SlowAlert = "SluiceTestSlowAlert"
)

// Gauge is the metric the test sets and the rules watch.
const Gauge = "test_gauge"

// Prometheus is a running Prometheus scraping the test's gauge.
type Prometheus struct {
	URL   string // http://127.0.0.1:PORT
	gauge atomic.Uint64
}

// Start runs Prometheus until the test ends and returns once it has scraped the gauge (0)
// once. It skips the test when the binary is missing, unless RequireEnv is 1.
func Start(t *testing.T) *Prometheus {
	t.Helper()
	bin, err := exec.LookPath(Binary)
	if err != nil {
		if os.Getenv(RequireEnv) == "1" {
			t.Fatalf("%s is not installed (apt-get install prometheus) and %s=1", Binary, RequireEnv)
		}
		t.Skipf("%s is not installed: apt-get install prometheus to run the CloudWatchAlarm rule tests", Binary)
	}
	p := &Prometheus{}
	p.Set(0)
	exporter := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; version=0.0.4")
		fmt.Fprintf(w, "# TYPE %s gauge\n%s %s\n", Gauge, Gauge, strconv.FormatFloat(p.value(), 'g', -1, 64))
	}))
	t.Cleanup(exporter.Close)
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "rules.yml"), []byte(rules), 0o600))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "prometheus.yml"),
		fmt.Appendf(nil, config, filepath.Join(dir, "rules.yml"), exporter.Listener.Addr()), 0o600))
	var errs []error
	for attempt := range 3 { // a port found free may be taken before Prometheus binds it
		addr := freeAddr(t)
		err := run(t, bin, dir, strconv.Itoa(attempt), addr)
		if err == nil {
			p.URL = "http://" + addr
			p.waitScraped(t)
			return p
		}
		errs = append(errs, err)
	}
	require.Fail(t, "prometheus did not start", "%v", errs)
	return nil
}

const config = `global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files:
  - %s
scrape_configs:
  - job_name: sluice-test
    static_configs:
      - targets: ['%s']
`

const rules = `groups:
  - name: sluice-test
    interval: 1s
    rules:
      - alert: ` + Alert + `
        expr: ` + Gauge + ` > 0
        for: 0s
      - alert: ` + SlowAlert + `
        expr: ` + Gauge + ` > 0
        for: 1h
`

// Set sets the gauge; Prometheus sees it at its next scrape.
func (p *Prometheus) Set(v float64) { p.gauge.Store(math.Float64bits(v)) }

func (p *Prometheus) value() float64 { return math.Float64frombits(p.gauge.Load()) }

// run starts Prometheus on addr and waits until it is ready (/-/ready), or fails when it
// exits first.
func run(t *testing.T, bin, dir, attempt, addr string) error {
	t.Helper()
	var out syncBuffer
	cmd := exec.Command(bin, "--config.file="+filepath.Join(dir, "prometheus.yml"),
		"--storage.tsdb.path="+filepath.Join(dir, "data-"+attempt), "--web.listen-address="+addr, "--log.level=warn")
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		return err
	}
	exited := make(chan struct{})
	go func() {
		_ = cmd.Wait()
		close(exited)
	}()
	stop := func() {
		_ = cmd.Process.Kill()
		<-exited
	}
	deadline := time.Now().Add(time.Minute)
	for {
		select {
		case <-exited:
			return fmt.Errorf("prometheus exited: %s", out.String())
		default:
		}
		resp, err := http.Get("http://" + addr + "/-/ready")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				t.Cleanup(func() {
					stop()
					if t.Failed() {
						t.Logf("prometheus output:\n%s", out.String())
					}
				})
				return nil
			}
		}
		if time.Now().After(deadline) {
			stop()
			return fmt.Errorf("prometheus was not ready within a minute: %s", out.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// waitScraped waits until Prometheus holds a sample of the gauge.
func (p *Prometheus) waitScraped(t *testing.T) {
	t.Helper()
	p.poll(t, "the first scrape of "+Gauge, func() bool {
		var a struct {
			Data struct {
				Result []json.RawMessage `json:"result"`
			} `json:"data"`
		}
		return p.get(t, "/api/v1/query?query="+Gauge, &a) && len(a.Data.Result) > 0
	})
}

// WaitAlert waits until Prometheus lists the alert name in state ("pending", "firing").
func (p *Prometheus) WaitAlert(t *testing.T, name, state string) {
	t.Helper()
	p.poll(t, name+" "+state, func() bool {
		var a struct {
			Data struct {
				Alerts []struct {
					Labels map[string]string `json:"labels"`
					State  string            `json:"state"`
				} `json:"alerts"`
			} `json:"data"`
		}
		if !p.get(t, "/api/v1/alerts", &a) {
			return false
		}
		for _, al := range a.Data.Alerts {
			if al.Labels["alertname"] == name && al.State == state {
				return true
			}
		}
		return false
	})
}

// poll calls done until it is true; Prometheus has no way to tell when it changes.
func (p *Prometheus) poll(t *testing.T, what string, done func() bool) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !done() {
		require.True(t, time.Now().Before(deadline), "Prometheus did not show %s within a minute", what)
		time.Sleep(50 * time.Millisecond)
	}
}

func (p *Prometheus) get(t *testing.T, path string, v any) bool {
	t.Helper()
	resp, err := http.Get(p.URL + path)
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	return resp.StatusCode == http.StatusOK && json.NewDecoder(resp.Body).Decode(v) == nil
}

// freeAddr returns a loopback address nothing listens on.
func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer l.Close()
	return l.Addr().String()
}

// syncBuffer collects a process's output, written from its copying goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
