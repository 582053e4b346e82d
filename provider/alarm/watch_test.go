package alarm

import (
	"context"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/provider/alarm/prometheustest"
)

const (
	alert     = prometheustest.Alert
	slowAlert = prometheustest.SlowAlert
)

// TestWatch evaluates rules against a real Prometheus: one whose gauge stays 0 (no alert
// active), one whose gauge is 1 (Alert firing, SlowAlert pending).
func TestWatch(t *testing.T) {
	t.Parallel()
	quiet := prometheustest.Start(t)
	loud := prometheustest.Start(t)
	loud.Set(1)
	loud.WaitAlert(t, alert, "firing")
	loud.WaitAlert(t, slowAlert, "pending")

	t.Run("NotFiringPasses", func(t *testing.T) {
		t.Parallel()
		b := setup(t, quiet.URL)
		b.w.watch(t.Context(), job(map[string]string{"AlarmName": alert, "WaitTime": "0"}))
		res := b.result(t)
		require.True(t, res.Success)
		require.Equal(t, "Alarm SluiceTestAlert is not in ALARM.", res.Summary)
	})

	t.Run("FiringFailsNamingIt", func(t *testing.T) {
		t.Parallel()
		b := setup(t, loud.URL)
		b.w.watch(t.Context(), job(map[string]string{"AlarmName": "OtherAlert, " + alert}))
		res := b.failure(t)
		require.Equal(t, sluice.FailureJobFailed, res.ErrorType)
		require.Equal(t, "Alarm SluiceTestAlert is in state ALARM (the Prometheus alert is firing).", res.ErrorMessage)
	})

	t.Run("PendingIsInsufficientData", func(t *testing.T) {
		t.Parallel()
		b := setup(t, loud.URL)
		b.w.watch(t.Context(), job(map[string]string{"AlarmName": slowAlert}))
		require.True(t, b.result(t).Success, "INSUFFICIENT_DATA is not in the default AlarmStates")

		b.w.watch(t.Context(), job(map[string]string{"AlarmName": slowAlert, "AlarmStates": "ALARM,INSUFFICIENT_DATA"}))
		require.Equal(t, "Alarm SluiceTestSlowAlert is in state INSUFFICIENT_DATA (the Prometheus alert is pending).", b.failure(t).ErrorMessage)
	})

	t.Run("AbsentIsOK", func(t *testing.T) {
		t.Parallel()
		b := setup(t, quiet.URL)
		b.w.watch(t.Context(), job(map[string]string{"AlarmName": alert, "AlarmStates": "OK"}))
		require.Equal(t, "Alarm SluiceTestAlert is in state OK (Prometheus lists no such alert).", b.failure(t).ErrorMessage)
	})

	t.Run("PassesAfterTheWaitKeepingTheLease", func(t *testing.T) {
		t.Parallel()
		b := setup(t, quiet.URL)
		b.w.Minute, b.w.Queue.Lease = time.Second, 30*time.Millisecond
		b.w.watch(t.Context(), job(map[string]string{"AlarmName": alert, "WaitTime": "1"}))
		res := b.result(t)
		require.True(t, res.Success)
		require.Regexp(t, `^Alarm SluiceTestAlert was not in ALARM during the 1-minute wait \(\d+ checks\)\.$`, res.Summary)
		require.NotZero(t, b.store.extensions(), "the lease is kept while the watch waits")
	})

	t.Run("WrongPathFails", func(t *testing.T) {
		t.Parallel()
		b := setup(t, quiet.URL+"/elsewhere")
		b.w.watch(t.Context(), job(map[string]string{"AlarmName": alert}))
		require.Equal(t, "Sluice could not read the alerts of Prometheus at "+quiet.URL+"/elsewhere: it answered HTTP 404 Not Found: 404 page not found. "+
			"Check that it runs and that the server's --prometheus-url points at it.", b.failure(t).ErrorMessage)
	})

	t.Run("ClosedJobEndsTheWatch", func(t *testing.T) {
		t.Parallel()
		b := setup(t, quiet.URL)
		b.w.Queue.Lease = 30 * time.Millisecond
		b.store.extendErr = sluice.Errorf(sluice.EInvalidJobState, "Job", "the job is no longer in progress")
		b.w.watch(t.Context(), job(map[string]string{"AlarmName": alert, "WaitTime": "60"}))
		require.Empty(t, b.reports, "the rule was abandoned: nothing to report")
	})

	t.Run("RunClaimsAndReports", func(t *testing.T) {
		t.Parallel()
		b := setup(t, loud.URL)
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan struct{})
		go func() {
			defer close(done)
			b.w.Run(ctx)
		}()
		j := job(map[string]string{"AlarmName": alert})
		j.Status, j.Nonce = sluice.JobQueued, ""
		b.store.mu.Lock()
		b.store.queued = append(b.store.queued, j)
		b.store.mu.Unlock()
		b.w.Queue.Wake()
		res := <-b.reports
		require.False(t, res.Success)
		require.Equal(t, "nonce-job-1", res.Nonce)
		require.Equal(t, sluice.JobInProgress, j.Status, "claimed acknowledged")
		require.Equal(t, "local:server-1:alarms", j.Worker, "held as the server's in-process jobs are")
		cancel()
		<-done
	})
}

// TestWatchFiringDuringTheWait flips the gauge once the watch has checked twice: the rule
// fails when Prometheus fires, long before WaitTime ends.
func TestWatchFiringDuringTheWait(t *testing.T) {
	t.Parallel()
	p := prometheustest.Start(t)
	target, err := url.Parse(p.URL)
	require.NoError(t, err)
	proxy := httputil.NewSingleHostReverseProxy(target)
	var checks atomic.Int32
	second := make(chan struct{})
	url := answering(t, func(w http.ResponseWriter, r *http.Request) {
		if checks.Add(1) == 2 { // the first check answered and passed: the watch goes on
			close(second)
		}
		proxy.ServeHTTP(w, r)
	})
	b := setup(t, url)
	done := make(chan struct{})
	go func() {
		defer close(done)
		b.w.watch(t.Context(), job(map[string]string{"AlarmName": alert, "WaitTime": "60"}))
	}()
	<-second
	p.Set(1)
	<-done
	require.Equal(t, "Alarm SluiceTestAlert is in state ALARM (the Prometheus alert is firing).", b.failure(t).ErrorMessage)
}

// TestWatchUnanswered covers a Prometheus that cannot be reached or does not answer as
// Prometheus: the rule fails, saying so, never passes unchecked.
func TestWatchUnanswered(t *testing.T) {
	t.Parallel()

	t.Run("Down", func(t *testing.T) {
		t.Parallel()
		addr := closedAddr(t)
		b := setup(t, "http://sluice:hunter2@"+addr)
		b.w.watch(t.Context(), job(map[string]string{"AlarmName": alert}))
		msg := b.failure(t).ErrorMessage
		require.Regexp(t, `^Sluice could not read the alerts of Prometheus at http://sluice:xxxxx@`+addr+`: .*connection refused \(3 attempts\)\. `+
			`Check that it runs and that the server's --prometheus-url points at it\.$`, msg)
		require.NotContains(t, msg, "hunter2", "the URL's password is not shown")
	})

	t.Run("NotPrometheus", func(t *testing.T) {
		t.Parallel()
		b := setup(t, answering(t, func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			_, _ = w.Write([]byte("<html>Grafana</html>"))
		}))
		b.w.watch(t.Context(), job(map[string]string{"AlarmName": alert}))
		require.Contains(t, b.failure(t).ErrorMessage, ": its answer to GET /api/v1/alerts is not Prometheus's alerts list: <html>Grafana</html>. ")
	})

	t.Run("UnavailableIsRetried", func(t *testing.T) {
		t.Parallel()
		var calls atomic.Int32
		b := setup(t, answering(t, func(w http.ResponseWriter, _ *http.Request) {
			if calls.Add(1) == 1 {
				w.WriteHeader(http.StatusServiceUnavailable)
				return
			}
			_, _ = w.Write([]byte(`{"status":"success","data":{"alerts":[]}}`))
		}))
		b.w.watch(t.Context(), job(map[string]string{"AlarmName": alert}))
		require.True(t, b.result(t).Success)
		require.Equal(t, int32(2), calls.Load())
	})

	t.Run("DownDuringTheWaitAndAtItsEnd", func(t *testing.T) {
		t.Parallel()
		b := setup(t, "http://"+closedAddr(t))
		b.w.Minute = 200 * time.Millisecond
		b.w.watch(t.Context(), job(map[string]string{"AlarmName": alert, "WaitTime": "1"}))
		require.Contains(t, b.failure(t).ErrorMessage, "Sluice could not read the alerts of Prometheus")
	})

	t.Run("ShutdownLeavesTheJob", func(t *testing.T) {
		t.Parallel()
		ctx, cancel := context.WithCancel(t.Context())
		b := setup(t, answering(t, func(w http.ResponseWriter, _ *http.Request) {
			cancel()
			w.WriteHeader(http.StatusServiceUnavailable)
		}))
		b.w.watch(ctx, job(map[string]string{"AlarmName": alert}))
		require.Empty(t, b.reports, "the next start fails the interrupted job")
	})
}

func TestWatchConfigurationError(t *testing.T) {
	t.Parallel()
	b := setup(t, "http://"+closedAddr(t))
	b.w.watch(t.Context(), job(map[string]string{"AlarmStates": "ALARM"}))
	res := b.failure(t)
	require.Equal(t, sluice.FailureConfigurationError, res.ErrorType)
	require.Contains(t, res.ErrorMessage, "AlarmName is required")
}

// closedAddr is a loopback address nothing listens on.
func closedAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	require.NoError(t, l.Close())
	return l.Addr().String()
}
