// Package alarm evaluates CloudWatchAlarm rules of stage conditions against the alerts of a
// Prometheus server. The Watcher claims the jobs the engine queues for these rules and, for
// each, watches Prometheus's alerts whose alertname is the rule's AlarmName for WaitTime
// minutes: the rule fails as soon as one is in a state of AlarmStates, and succeeds when
// the wait is over with none in such a state (docs/alarms.md, docs/compatibility.md).
//
// Watches run in the server's process and hold their jobs as its in-process workers do
// (sluice.LocalWorker): the lease is heartbeaten while a watch runs, a server that stops
// leaves them to its next start, which fails them as interrupted (jobqueue.Rescuer.Recover),
// and a server that hangs has them failed by the rescuer when their lease runs out. So a
// watch is neither lost nor reported twice.
package alarm

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"sluice"
	"sluice/jobqueue"
)

// Type is the action type of the jobs the watcher evaluates.
var Type = sluice.RuleJobAlarm

// Defaults of the Watcher's settings.
const (
	DefaultInterval    = 15 * time.Second
	DefaultMinute      = time.Minute
	DefaultTimeout     = 10 * time.Second
	DefaultAttempts    = 3
	DefaultBackoff     = time.Second
	DefaultConcurrency = 256
)

// Watcher takes the CloudWatchAlarm rule jobs of the queue and watches Prometheus for them.
// Set the fields, then call Run once; zero settings take the defaults above.
type Watcher struct {
	Queue *jobqueue.Queue
	// URL is the Prometheus server's base URL (http://prometheus:9090, or with the path
	// prefix it is served under); its alerts are read at URL/api/v1/alerts.
	URL string
	// Report hands a rule's result to the engine (engine.ReportJob).
	Report jobqueue.ReportFunc
	// Worker owns the claimed jobs: sluice.LocalWorker(server id, an id unique to the
	// process start).String(), so the server's next start settles what it held.
	Worker string
	// Interval is how often a watch asks Prometheus during WaitTime.
	Interval time.Duration
	// Minute is WaitTime's unit (tests shorten it).
	Minute time.Duration
	// Timeout bounds one request; a check makes Attempts requests while Prometheus cannot be
	// reached or answers 5xx or 429, waiting Backoff before the second and twice as long
	// each time after.
	Timeout  time.Duration
	Attempts int
	Backoff  time.Duration
	// Concurrency bounds the watches in progress (each is a goroutine, mostly asleep).
	Concurrency int
	// HTTP makes the requests (default: a client with Timeout).
	HTTP *http.Client
	Log  *slog.Logger

	shown string // URL without its password, for messages
}

// Run watches the rules of queued jobs until ctx ends, then waits for the watches in
// progress, which end with ctx without reporting.
func (w *Watcher) Run(ctx context.Context) {
	w.defaults()
	w.Queue.Consume(ctx, sluice.ClaimParams{Worker: w.Worker, Types: []sluice.ActionTypeID{Type}, Acknowledge: true},
		w.Concurrency, w.Log, func(j *sluice.Job) { w.watch(ctx, j) })
}

func (w *Watcher) defaults() {
	w.Interval = orDefault(w.Interval, DefaultInterval)
	w.Minute = orDefault(w.Minute, DefaultMinute)
	w.Timeout = orDefault(w.Timeout, DefaultTimeout)
	w.Backoff = orDefault(w.Backoff, DefaultBackoff)
	if w.Attempts <= 0 {
		w.Attempts = DefaultAttempts
	}
	if w.Concurrency <= 0 {
		w.Concurrency = DefaultConcurrency
	}
	if w.HTTP == nil {
		w.HTTP = &http.Client{Timeout: w.Timeout}
	}
	if w.Log == nil {
		w.Log = slog.Default()
	}
	w.shown = w.URL
	if u, err := url.Parse(w.URL); err == nil {
		w.shown = u.Redacted()
	}
}

func orDefault(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}
