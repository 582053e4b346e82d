package node

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/prometheus/client_golang/prometheus"

	"sluice"
	"sluice/actionlog"
	"sluice/engine"
	"sluice/githost"
	"sluice/gitremote"
	"sluice/jobqueue"
	"sluice/metrics"
	"sluice/outbox"
	"sluice/provider/alarm"
	"sluice/provider/codecommit"
	"sluice/provider/connection"
	"sluice/provider/lambda"
	"sluice/runner"
	"sluice/sandbox"
	"sluice/sealbox"
	"sluice/store/postgres"
	"sluice/store/sqlite"
	"sluice/store/sqlstore"
	"sluice/trigger"
)

// openDB opens the Store: PostgreSQL when --database names one, else SQLite in the data
// directory.
func (n *Node) openDB(ctx context.Context, box *sealbox.Box) (*sqlstore.DB, error) {
	d := n.Config.Database
	if !d.Postgres() {
		return sqlite.Open(filepath.Join(n.Config.DataDir, "sluice.db"), sqlite.WithSealer(box))
	}
	return postgres.Open(ctx, d.URL, postgres.WithSealer(box),
		postgres.WithPool(postgres.PoolConfig{MaxConns: d.MaxConns, ConnMaxLifetime: d.ConnMaxLifetime}),
		postgres.WithWaiting(func(err error) { n.Log.Warn("the database is not up yet; trying again", "err", err) }))
}

// build makes every part, each from parts made before it: stores, providers, engine,
// queue and pool, triggers, HTTP surface, invoker and rescuer.
func (n *Node) build(ctx context.Context) (err error) {
	dir := n.Config.DataDir
	if n.ServerID, err = serverID(n.lock.idFile); err != nil {
		return err
	}
	if n.Artifacts, err = n.openArtifacts(ctx); err != nil {
		return err
	}
	box, made, err := encryptionKey(n.Config, n.Options.Out)
	if err != nil {
		return err
	}
	n.jobKey = box.Derive("job credentials")
	if n.DB, err = n.openDB(ctx, box); err != nil {
		return fmt.Errorf("open database: %w", keyMismatch(n.Config, made, err))
	}
	if n.AccessKey, err = rootKey(ctx, n.Config, n.DB, n.Options.Out); err != nil {
		return err
	}
	if n.Repos, err = githost.New(filepath.Join(dir, "repos"), githost.WithLogger(n.Log), githost.WithAudit(n.gitAudit),
		githost.WithLocker(n.DB.LockRepository)); err != nil {
		return err
	}
	if n.Logs, err = actionlog.NewFileSink(filepath.Join(dir, "logs"), 1<<20); err != nil {
		return err
	}
	n.Logs.MakeAhead = true
	mirrors, err := gitremote.New(filepath.Join(dir, "mirrors"))
	if err != nil {
		return err
	}
	clock, ids := SystemClock{}, UUIDs{}
	n.Engine = &engine.Engine{Store: n.DB, Clock: clock, IDs: ids, Account: n.Config.Account, Region: n.Config.Region, Log: n.Log}
	n.Engine.Lookup = n.Engine.LookupActionType
	if err := n.buildWorkers(mirrors); err != nil {
		return err
	}
	n.timers = engine.NewTimers(n.Engine)
	n.conns = &trigger.Connections{Engine: n.Engine, Store: n.DB, Remote: trigger.MirrorRemote{Mirrors: mirrors}, Log: n.Log}
	n.ConnectionRound = &trigger.ConnectionRound{Connections: n.conns, Clock: clock, Interval: n.Config.PollInterval}
	n.push = &trigger.Push{Engine: n.Engine, Store: n.DB, Repos: n.Repos, Log: n.Log, ConsoleURL: n.URL()}
	reg := prometheus.NewRegistry()
	met := metrics.New(reg, n.DB.QueueDepth)
	n.buildRetention(reg)
	// Metrics read the outbox, off the job path; a scrape drains it first, so it counts
	// every change committed before it.
	n.metrics = &outbox.Consumer{Name: "metrics", Store: n.DB, Handle: met.Consume(n.DB, n.Log), Retain: n.Config.EventRetention, Log: n.Log}
	if err := n.metrics.Register(ctx); err != nil {
		return fmt.Errorf("register the metrics' outbox consumer: %w", err)
	}
	n.Engine.Applied = func(p *sluice.Plan) {
		n.applied(p)
		if n.Options.OnApplied != nil {
			n.Options.OnApplied(p)
		}
	}
	if n.gate, n.spool, err = n.preauth(); err != nil {
		return err
	}
	if err := n.buildDelivery(reg); err != nil {
		return err
	}
	n.API = n.apiServer(ids)
	if err := n.buildConsole(ctx); err != nil {
		return err
	}
	if err := n.buildEvents(ctx); err != nil {
		return err
	}
	if err := n.buildForwarding(ctx); err != nil {
		return err
	}
	if n.http, err = n.httpServer(n.routes(reg)); err != nil {
		return err
	}
	n.http.RegisterOnShutdown(n.API.StopWaiting) // Shutdown waits for open responses to end
	n.http.RegisterOnShutdown(n.Console.Live.Close)
	n.Invoker = &lambda.Invoker{Queue: n.Queue, Functions: n.DB, Wire: n.API.JobWire(), Report: n.Engine.ReportJob, IDs: ids,
		Worker: sluice.LambdaWorker(n.ServerID, ids.NewID()).String(), Window: n.Config.LambdaWindow, Log: n.Log}
	if n.Config.PrometheusURL != "" {
		n.Alarms = &alarm.Watcher{Queue: n.Queue, URL: n.Config.PrometheusURL, Report: n.Engine.ReportJob,
			Worker: sluice.LocalWorker(n.ServerID, ids.NewID()).String(), Interval: n.Config.AlarmInterval,
			Minute: n.Config.AlarmMinute, Log: n.Log}
	}
	n.rescuer = &jobqueue.Rescuer{Store: n.DB, Clock: clock, Fail: n.Engine.JobResult, Interval: n.Config.Lease / 3,
		Lease: n.Config.Lease, Log: n.Log, Wake: n.Queue.Wake,
		Explain: map[sluice.WorkerKind]func(*sluice.Job) (string, string){sluice.WorkerLambda: lambda.Unanswered}}
	return nil
}

// buildWorkers makes the providers, the queue and the in-process pool. Source actions read
// the server's repositories, mirrors and connection credentials, so they always run here;
// the rest run here too unless --workers 0 leaves them to `sluice worker` processes.
func (n *Node) buildWorkers(mirrors *gitremote.Mirrors) error {
	objects, images := n.externalSources()
	local := []sluice.Provider{&codecommit.Provider{Repos: repoAdapter{n.Repos}},
		&connection.Provider{Connections: n.DB, Mirrors: mirrors}, objects, images}
	remote := WorkerProviders(n.Config.Region, n.Config.S3Client(), n.DB)
	providers := append(local, remote...)
	// The invoker runs Lambda actions here whatever --workers says: it only makes HTTP calls.
	runnable := append(typeIDs(providers), lambda.Type)
	if n.Options.Providers != nil {
		providers, local = n.Options.Providers, n.Options.Providers
		runnable = typeIDs(providers)
	}
	if n.Config.PrometheusURL != "" {
		// CloudWatchAlarm rules are watched here, on the Prometheus configured; without one
		// they fail at once rather than wait for their timeout.
		runnable = append(runnable, alarm.Type)
	}
	pm, err := runner.ProviderMap(providers...)
	if err != nil {
		return err
	}
	clock := SystemClock{}
	var logs runner.LogSink = n.Logs
	if n.Options.ActionLogs != nil {
		logs = n.Options.ActionLogs
	}
	sb, err := n.isolate()
	if err != nil {
		return err
	}
	n.runner = &runner.Runner{Artifacts: n.Artifacts, Providers: pm, WorkRoot: n.Config.WorkDir, Logs: logs,
		Clock: clock, Secrets: coreSecrets{n}, Sandbox: sb, Env: n.Config.ActionEnv, ReadyShells: sandbox.ReadyShellsPay(sb)}
	var run jobqueue.Runner = n.runner
	if n.Options.WrapRunner != nil {
		run = n.Options.WrapRunner(run)
	}
	n.ObjectRound = n.newObjectRound(objects, images)
	n.Queue = &jobqueue.Queue{Store: n.DB, Clock: clock, Lease: n.Config.Lease}
	n.Pool = &jobqueue.Pool{Queue: n.Queue, Size: n.Config.Workers, Log: n.Log, Report: n.Engine.ReportJob,
		Worker: sluice.LocalWorker(n.ServerID, UUIDs{}.NewID()).String(), Types: typeIDs(providers), Runner: run}
	if n.Config.Workers == 0 {
		n.Pool.Size, n.Pool.Types = 2, typeIDs(local)
	}
	n.Engine.Dispatcher = n.Pool
	n.Engine.Runnable = runsType(runnable)
	n.hasLog = runsType(typeIDs(providers))
	return nil
}

// applied is the after-commit fan-out of this process's own plans: wake timers for new
// deadlines, stop local jobs the engine closed (abandoned or timed out), end the followers
// of finished actions' logs. Workers waiting for queued jobs are woken by the store's
// notifier instead (Queue.Follow), which any writer's commits reach. Timers stay here:
// every action starts with a deadline, and the plan carries it, so only an earlier one wakes
// them, where a topic would cost a query per action.
func (n *Node) applied(p *sluice.Plan) {
	for _, c := range p.Jobs {
		if c.From.Open() && !c.Row.Status.Open() {
			n.Pool.Cancel(c.Row.ID)
		}
	}
	for _, c := range p.ActionRuns {
		if c.Insert && !c.Row.Deadline.IsZero() {
			n.timers.Schedule(c.Row.Deadline)
		}
		if c.Row.Status != sluice.ActionInProgress {
			n.Logs.Notify(c.Row.ID) // followers of its log stop
		}
	}
}

// coreSecrets resolves the secrets of jobs run in this process through the core, which
// builds after the workers do.
type coreSecrets struct{ n *Node }

func (c coreSecrets) ResolveSecrets(ctx context.Context, job *sluice.Job, refs []sluice.SecretRef) ([]string, error) {
	return c.n.API.Service.ResolveSecrets(ctx, job, refs)
}

// typeIDs lists the action types of providers.
func typeIDs(providers []sluice.Provider) []sluice.ActionTypeID {
	var out []sluice.ActionTypeID
	for _, p := range providers {
		for _, t := range p.Types() {
			out = append(out, t.ID)
		}
	}
	return out
}

// runsType reports whether a type is among those the in-process workers run.
func runsType(types []sluice.ActionTypeID) func(sluice.ActionTypeID) bool {
	set := make(map[sluice.ActionTypeID]bool, len(types))
	for _, t := range types {
		set[t] = true
	}
	return func(t sluice.ActionTypeID) bool { return set[t] }
}
