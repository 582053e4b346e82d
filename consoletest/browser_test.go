package consoletest_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"testing"

	"github.com/chromedp/chromedp"
)

// browser is the one Chromium of this test process, shared by every test: each test opens
// its own tab in its own browser context (cookies and storage apart), so tests run in
// parallel without seeing each other's sessions.
var browser struct {
	ctx    context.Context // nil when there is no browser
	reason string          // why there is none
}

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	stop, err := startBrowser()
	if err != nil {
		browser.reason = err.Error()
	} else {
		defer stop()
	}
	return m.Run()
}

// startBrowser starts headless Chromium with a user data directory of its own.
func startBrowser() (stop func(), err error) {
	path, err := exec.LookPath("chromium")
	if err != nil {
		return nil, fmt.Errorf("chromium is not installed (apt-get install chromium; .ci/run does)")
	}
	dir, err := os.MkdirTemp("", "sluice-chromium-")
	if err != nil {
		return nil, err
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path),
		chromedp.Flag("headless", "new"), chromedp.NoSandbox, chromedp.DisableGPU, chromedp.UserDataDir(dir),
		chromedp.WindowSize(1280, 900))
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(alloc)
	stop = func() {
		cancel()
		cancelAlloc()
		_ = os.RemoveAll(dir)
	}
	// The first run starts the browser, which lives as long as that context: no deadline.
	if err := chromedp.Do(ctx); err != nil {
		stop()
		return nil, fmt.Errorf("chromium did not start: %w", err)
	}
	browser.ctx = ctx
	return stop, nil
}

// needBrowser skips the test when there is no browser, or fails it when the run requires
// one (SLUICE_REQUIRE_CHROMIUM=1, as .ci/run sets).
func needBrowser(t *testing.T) {
	t.Helper()
	if browser.ctx != nil {
		return
	}
	if os.Getenv("SLUICE_REQUIRE_CHROMIUM") == "1" {
		t.Fatalf("SLUICE_REQUIRE_CHROMIUM=1 but %s", browser.reason)
	}
	t.Skipf("skipped: %s (set SLUICE_REQUIRE_CHROMIUM=1 to fail instead)", browser.reason)
}
