// Package node assembles the whole in-process system of one Sluice server: store, artifact
// store, engine, job queue and pool, timers, Lambda invoker, rescuer, triggers and pollers,
// the after-commit fan-out and the HTTP routes. `sluice server` and `sluice run` both build
// it with New; they differ only in the Options they pass.
package node

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"sluice/console"
	"sluice/eventroute"
	"strings"
	"sync"
	"syscall"
	"time"

	"sluice"
	"sluice/actionlog"
	"sluice/api"
	"sluice/api/query"
	"sluice/config"
	"sluice/delivery"
	"sluice/engine"
	"sluice/githost"
	"sluice/jobqueue"
	"sluice/outbox"
	"sluice/preauth"
	"sluice/provider/alarm"
	"sluice/provider/lambda"
	"sluice/retention"
	"sluice/runner"
	"sluice/store/sqlite"
	"sluice/trigger"
)

// Options are what an entry point chooses besides the configuration.
type Options struct {
	Out io.Writer    // where the first-start credentials are printed; nil discards them
	Err io.Writer    // where start-up warnings are printed besides the log; nil is os.Stderr
	Log *slog.Logger // nil logs JSON to stderr
	// OnApplied, when set, sees every committed plan (tests wait on it).
	OnApplied func(*sluice.Plan)
	// LeaderLease is how long the lease on what replicas run once lasts without renewal
	// (default 10s): how long a dead leader's work waits for another replica (node/leader.go).
	LeaderLease time.Duration
	// OnLeader, when set, sees each change of whether this replica leads (tests wait on it).
	OnLeader func(bool)

	// Providers, when set, are the action types the in-process workers run and the only
	// ones runnable, instead of the server's (hosted, connection, S3 and image sources, the
	// worker providers, and Lambda invocations). `sluice run` serves sources from a directory.
	Providers []sluice.Provider
	// ActionLogs, when set, receives the action logs instead of DATA-DIR/logs.
	ActionLogs runner.LogSink
	// WrapRunner, when set, wraps the in-process workers' runner.
	WrapRunner func(jobqueue.Runner) jobqueue.Runner
	// NoHTTP serves nothing: no listener, no routes, and URL is empty.
	NoHTTP bool
	// ScheduleClock, when set, is the clock EventBridge rules' schedules fire by (tests move
	// it instead of waiting for a minute to pass).
	ScheduleClock sluice.Clock
}

// Node is a running server. Tests start it on port 0 with a temporary data directory.
type Node struct {
	Config  config.Server
	Options Options
	Log     *slog.Logger

	DB        *sqlite.DB
	Artifacts sluice.ArtifactStore
	Engine    *engine.Engine
	Repos     *githost.Host
	Queue     *jobqueue.Queue
	Pool      *jobqueue.Pool
	Invoker   *lambda.Invoker     // runs Invoke/AWS/Lambda actions on registered functions
	Alarms    *alarm.Watcher      // evaluates CloudWatchAlarm rules on --prometheus-url (nil without it)
	Logs      *actionlog.FileSink // action run logs, DATA-DIR/logs
	API       *api.Server
	Query     *query.Server // IAM and STS, on the API's endpoint
	Console   *console.Console
	AccessKey sluice.AccessKey
	// ConnectionRound checks connection sources for new commits, ObjectRound S3 and image
	// sources, in one loop every --poll-interval; tests call their PollOnce.
	ConnectionRound *trigger.ConnectionRound
	ObjectRound     *trigger.ObjectRound
	// ServerID names this server in its workers' ids; it is kept in the data directory.
	ServerID string
	// Retention prunes history past --retain in the background; tests call its Prune.
	Retention *retention.Pruner

	timers  *engine.Timers
	runner  *runner.Runner // the in-process workers'
	metrics *outbox.Consumer
	live    *outbox.Consumer // feeds the console's live pages
	events  *outbox.Consumer // routes events to rules, notification rules and approval topics
	router  *eventroute.Router
	forward *outbox.Consumer // sends events to the EventBridge bus of --forward-events (nil: none)
	rescuer *jobqueue.Rescuer
	push    *trigger.Push
	conns   *trigger.Connections
	// deliverer sends SNS messages, chat posts and webhook targets; snsSigner signs SNS
	// messages and serves its certificate (node/delivery.go).
	deliverer *delivery.Deliverer
	snsSigner *delivery.Signer
	// jobKey keys the job credentials' issuer; it is derived from the encryption key.
	jobKey []byte
	// hasLog says which action types' runs have a log the server keeps: those the runner runs.
	hasLog func(sluice.ActionTypeID) bool
	// artifactLocation maps artifact keys to their S3 bucket and object key (nil on disk).
	artifactLocation func(key string) (bucket, objectKey string)
	listener         net.Listener
	http             *http.Server
	gate             *preauth.Gate // requests not yet authenticated
	spool            string        // where their bodies wait
	lock             *dirLock      // the data directory's locks, held until Close
	lease            *leader       // what replicas on one database run once (nil: this server alone)
	tempWorkRoot     string        // the work root New made (no --work-dir), removed by Close
	cancel           context.CancelFunc
	closeOnce        sync.Once
	closeErr         error
	wg               sync.WaitGroup
}

// New opens the data directory, builds every part, recovers in-flight executions and
// starts serving. Close stops it.
func New(ctx context.Context, cfg config.Server, opts Options) (_ *Node, err error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if opts.Log == nil {
		opts.Log = slog.New(slog.NewJSONHandler(os.Stderr, nil))
	}
	if opts.Out == nil {
		opts.Out = io.Discard
	}
	if opts.Err == nil {
		opts.Err = os.Stderr
	}
	n := &Node{Config: cfg, Options: opts, Log: opts.Log}
	if n.lock, err = n.lockDataDir(); err != nil {
		return nil, err
	}
	if err := n.listen(); err != nil {
		n.unlock()
		return nil, err
	}
	if err := n.buildLocked(ctx); err != nil {
		n.removeWorkRoot()
		n.closeListener()
		if n.DB != nil {
			n.DB.Close()
		}
		n.unlock()
		return nil, err
	}
	ctx, n.cancel = context.WithCancel(context.WithoutCancel(ctx))
	if err := n.Queue.Follow(ctx, n.DB); err != nil {
		n.closeListener()
		n.Close()
		return nil, err
	}
	if err := n.recover(ctx); err != nil {
		n.closeListener() // never served, so Shutdown does not close it
		n.Close()
		return nil, err
	}
	n.start(ctx)
	return n, nil
}

func (n *Node) listen() (err error) {
	if n.Options.NoHTTP {
		return nil
	}
	if n.listener, err = net.Listen("tcp", n.Config.Listen); err != nil {
		return fmt.Errorf("listen on %s: %w", n.Config.Listen, err)
	}
	return nil
}

func (n *Node) closeListener() {
	if n.listener != nil {
		n.listener.Close()
	}
}

// URL is the base URL the server answers on ("" with NoHTTP).
func (n *Node) URL() string {
	if n.listener == nil {
		return ""
	}
	if n.Config.PublicURL != "" {
		return strings.TrimSuffix(n.Config.PublicURL, "/")
	}
	return n.scheme() + "://" + n.listener.Addr().String()
}

func (n *Node) start(ctx context.Context) {
	n.Pool.Start(ctx)
	n.wg.Go(func() { n.live.Run(ctx) })
	n.wg.Go(func() { n.Invoker.Run(ctx) })
	if n.Alarms != nil {
		n.wg.Go(func() { n.Alarms.Run(ctx) })
	}
	n.startDelivery(ctx)
	polling := &trigger.Polling{Rounds: []trigger.Round{n.ConnectionRound, n.ObjectRound}, Interval: n.Config.PollInterval, Log: n.Log}
	tasks := []func(context.Context){n.metrics.Run, n.events.Run, n.timers.Run, n.rescuer.Run, polling.Run, n.pruneSessions}
	tasks = append(tasks, n.auditTasks()...)
	tasks = append(tasks, n.retentionTasks()...)
	tasks = append(tasks, n.eventBridgeTasks()...)
	n.once(ctx, tasks)
	if n.listener == nil {
		return
	}
	n.wg.Go(func() {
		serve := n.http.Serve
		if n.http.TLSConfig != nil {
			serve = func(l net.Listener) error { return n.http.ServeTLS(l, "", "") }
		}
		if err := serve(n.listener); err != nil && !errors.Is(err, http.ErrServerClosed) {
			n.Log.Error("serve http", "err", err)
		}
	})
}

// Close stops serving and waits for every service to end. Closing again returns the first
// Close's answer.
func (n *Node) Close() error {
	n.closeOnce.Do(func() { n.closeErr = n.close() })
	return n.closeErr
}

func (n *Node) close() error {
	if n.http != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		_ = n.http.Shutdown(ctx)
		cancel()
	}
	if n.cancel != nil {
		n.cancel()
	}
	if n.Pool != nil && n.Pool.Queue != nil {
		n.Pool.Wait()
	}
	if n.runner != nil {
		n.runner.Close()
	}
	n.wg.Wait()
	if n.Logs != nil {
		n.Logs.Wait()
	}
	if n.Repos != nil {
		n.Repos.Wait()
	}
	var err error
	if n.DB != nil {
		err = n.DB.Close()
	}
	n.unlock()
	n.removeWorkRoot()
	return err
}

func (n *Node) removeWorkRoot() {
	if n.tempWorkRoot != "" {
		_ = os.RemoveAll(n.tempWorkRoot)
	}
}

// unlock lets another server open the data directory.
func (n *Node) unlock() {
	if n.lock != nil {
		// Closing a descriptor releases its flock, unless a child forked meanwhile still
		// holds a copy until its exec: forks hold ForkLock for writing, so none is under way.
		syscall.ForkLock.RLock()
		for _, f := range n.lock.files {
			f.Close()
		}
		syscall.ForkLock.RUnlock()
		n.lock = nil
	}
}
