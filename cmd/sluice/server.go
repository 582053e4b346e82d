package main

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"sluice"
	"sluice/api"
	"sluice/api/sigv4"
	"sluice/artifact/diskstore"
	"sluice/artifact/s3serve"
	"sluice/artifact/s3store"
	"sluice/config"
	"sluice/engine"
	"sluice/githost"
	"sluice/gitremote"
	"sluice/jobcreds"
	"sluice/jobqueue"
	"sluice/metrics"
	"sluice/outbox"
	"sluice/provider/catalog"
	"sluice/provider/codecommit"
	"sluice/provider/connection"
	"sluice/provider/lambda"
	"sluice/runner"
	"sluice/service"
	"sluice/store/sqlite"
	"sluice/trigger"
)

// Main is a running server: the one place concrete adapters are chosen. Tests start it on
// port 0 with a temporary data directory.
type Main struct {
	Config config.Server
	Out    io.Writer // where the first-start credentials are printed
	Log    *slog.Logger
	// OnApplied, when set before Run, sees every committed plan (tests wait on it).
	OnApplied func(*sluice.Plan)

	DB        *sqlite.DB
	Engine    *engine.Engine
	Repos     *githost.Host
	Queue     *jobqueue.Queue
	Pool      *jobqueue.Pool
	Invoker   *lambda.Invoker  // runs Invoke/AWS/Lambda actions on registered functions
	Logs      *runner.FileSink // action run logs, DATA-DIR/logs
	AccessKey sluice.AccessKey
	// Poller checks connection sources for new commits every --poll-interval; tests call
	// its PollOnce.
	Poller  *trigger.Poller
	Changes *trigger.Changes // polls S3 and image sources (tests call its PollOnce)

	timers    *engine.Timers
	metrics   *outbox.Consumer
	artifacts sluice.ArtifactStore
	api       *api.Server
	// hasLog says which action types' runs have a log the server keeps: those the runner runs.
	hasLog func(sluice.ActionTypeID) bool
	// artifactLocation maps artifact keys to their S3 bucket and object key (nil on disk).
	artifactLocation func(key string) (bucket, objectKey string)
	push             *trigger.Push
	conns            *trigger.Connections
	listener         net.Listener
	http             *http.Server
	cancel           context.CancelFunc
	wg               sync.WaitGroup
}

// Run opens the data directory, recovers in-flight executions and starts serving.
func (m *Main) Run(ctx context.Context) (err error) {
	if err := m.Config.Validate(); err != nil {
		return err
	}
	if m.Log == nil {
		m.Log = slog.New(slog.NewJSONHandler(os.Stderr, nil))
	}
	if m.Out == nil {
		m.Out = io.Discard
	}
	if m.listener, err = net.Listen("tcp", m.Config.Listen); err != nil {
		return fmt.Errorf("listen on %s: %w", m.Config.Listen, err)
	}
	if err := m.open(ctx); err != nil {
		m.listener.Close()
		if m.DB != nil {
			m.DB.Close()
		}
		return err
	}
	ctx, m.cancel = context.WithCancel(context.WithoutCancel(ctx))
	if err := m.recover(ctx); err != nil {
		m.Close()
		return err
	}
	m.startServices(ctx)
	return nil
}

// URL is the base URL the server answers on.
func (m *Main) URL() string {
	if m.Config.PublicURL != "" {
		return strings.TrimSuffix(m.Config.PublicURL, "/")
	}
	return "http://" + m.listener.Addr().String()
}

func (m *Main) open(ctx context.Context) (err error) {
	dir := m.Config.DataDir
	artifacts, err := m.openArtifacts(ctx)
	if err != nil {
		return err
	}
	if m.DB, err = sqlite.Open(filepath.Join(dir, "sluice.db")); err != nil {
		return fmt.Errorf("open database: %w", err)
	}
	clock, ids := systemClock{}, uuids{}
	if m.AccessKey, err = rootKey(ctx, m.Config, m.DB, m.Out); err != nil {
		return err
	}
	if m.Repos, err = githost.New(filepath.Join(dir, "repos"), githost.WithLogger(m.Log)); err != nil {
		return err
	}
	if m.Logs, err = runner.NewFileSink(filepath.Join(dir, "logs"), 1<<20); err != nil {
		return err
	}
	mirrors, err := gitremote.New(filepath.Join(dir, "mirrors"))
	if err != nil {
		return err
	}
	// Source actions read the server's repositories, mirrors and connection credentials, so
	// they always run here; the rest run here too unless --workers 0 leaves them to `sluice
	// worker` processes.
	objects, images := m.externalSources()
	local := []sluice.Provider{&codecommit.Provider{Repos: repoAdapter{m.Repos}},
		&connection.Provider{Connections: m.DB, Mirrors: mirrors}, objects, images}
	remote := workerProviders(m.Config.Region, m.Config.S3Client(), m.DB)
	providers := append(local, remote...)
	pm, err := runner.ProviderMap(providers...)
	if err != nil {
		return err
	}
	m.Engine = &engine.Engine{Store: m.DB, Clock: clock, IDs: ids, Account: m.Config.Account, Region: m.Config.Region, Log: m.Log}
	m.Engine.Lookup = m.lookupActionType
	m.Changes = m.newChanges(objects, images)
	m.Queue = &jobqueue.Queue{Store: m.DB, Clock: clock, Lease: m.Config.Lease}
	m.Pool = &jobqueue.Pool{Queue: m.Queue, Size: m.Config.Workers, Log: m.Log, Report: m.Engine.ReportJob,
		Worker: "local:" + ids.NewID(), Types: typeIDs(providers),
		Runner: &runner.Runner{Artifacts: artifacts, Providers: pm, WorkRoot: m.Config.WorkDir, Logs: m.Logs, Clock: clock}}
	if m.Config.Workers == 0 {
		m.Pool.Size, m.Pool.Types = 2, typeIDs(local)
	}
	m.Engine.Dispatcher = m.Pool
	m.conns = &trigger.Connections{Engine: m.Engine, Store: m.DB, Remote: trigger.MirrorRemote{Mirrors: mirrors}, Log: m.Log}
	m.Poller = &trigger.Poller{Connections: m.conns, Clock: clock, Interval: m.Config.PollInterval}
	m.artifacts = artifacts
	// The invoker runs Lambda actions here whatever --workers says: it only makes HTTP calls.
	m.Engine.Runnable = runsType(append(typeIDs(providers), lambda.Type))
	m.hasLog = runsType(typeIDs(providers))
	m.timers = engine.NewTimers(m.Engine)
	reg := prometheus.NewRegistry()
	met := metrics.New(reg, m.DB.QueueDepth)
	// Metrics read the outbox, off the job path; a scrape drains it first, so it counts
	// every change committed before it.
	m.metrics = &outbox.Consumer{Name: "metrics", Store: m.DB, Handle: met.Consume(m.DB), Log: m.Log}
	if err := m.metrics.Register(ctx); err != nil {
		return fmt.Errorf("register the metrics' outbox consumer: %w", err)
	}
	m.Engine.Applied = func(p *sluice.Plan) {
		m.applied(p)
		if m.OnApplied != nil {
			m.OnApplied(p)
		}
	}
	m.http = &http.Server{Handler: m.routes(reg, ids), ReadHeaderTimeout: 10 * time.Second}
	m.http.RegisterOnShutdown(m.api.StopWaiting) // Shutdown waits for open responses to end
	m.Invoker = &lambda.Invoker{Queue: m.Queue, Functions: m.DB, Wire: m.api.JobWire(), Report: m.Engine.ReportJob, IDs: ids,
		Worker: lambda.WorkerKind + ":" + ids.NewID(), Window: m.Config.LambdaWindow, Log: m.Log}
	return nil
}

// openArtifacts chooses the artifact store: the data directory's artifacts/ folder, or the
// bucket of --artifact-store s3://bucket/prefix, which must take a small write before the
// server accepts any work.
func (m *Main) openArtifacts(ctx context.Context) (sluice.ArtifactStore, error) {
	if m.Config.ArtifactsOnDisk() {
		store, err := diskstore.New(filepath.Join(m.Config.DataDir, "artifacts"))
		if err != nil {
			return nil, err
		}
		return store, nil
	}
	cfg, err := m.Config.S3Artifacts()
	if err != nil {
		return nil, err
	}
	store, err := s3store.New(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("--artifact-store %s: %w", m.Config.ArtifactStore, err)
	}
	endpoint := cfg.Endpoint
	if endpoint == "" {
		endpoint = "the AWS SDK's default endpoint"
	}
	if err := checkWritable(ctx, store, "sluice-startup-check/"+uuids{}.NewID()); err != nil {
		return nil, fmt.Errorf("artifact store %s: cannot write to bucket %q at %s "+
			"(check --artifact-store, --s3-endpoint, --s3-region and the AWS credentials): %w",
			m.Config.ArtifactStore, cfg.Bucket, endpoint, err)
	}
	m.Log.Info("artifacts in S3", "store", m.Config.ArtifactStore, "endpoint", endpoint, "pathStyle", cfg.PathStyle)
	prefix := strings.Trim(cfg.Prefix, "/")
	m.artifactLocation = func(key string) (string, string) {
		if prefix == "" {
			return cfg.Bucket, key
		}
		return cfg.Bucket, prefix + "/" + key
	}
	return store, nil
}

// checkWritable puts a small object under key and deletes it, within a bound: an
// unreachable server, a missing bucket or refused credentials fail here, not in the first
// action.
func checkWritable(ctx context.Context, store sluice.ArtifactStore, key string) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if _, err := store.Put(ctx, key, strings.NewReader("sluice start-up check\n")); err != nil {
		return err
	}
	return store.Delete(ctx, key)
}

// applied reacts to a committed plan: wake workers for new jobs, wake timers for new
// deadlines, stop local jobs the engine closed (abandoned or timed out).
func (m *Main) applied(p *sluice.Plan) {
	for _, c := range p.Jobs {
		switch {
		case c.Insert && c.Row.Status == sluice.JobQueued: // reserved jobs went to their worker
			m.Queue.Wake()
		case c.From.Open() && !c.Row.Status.Open():
			m.Pool.Cancel(c.Row.ID)
		}
	}
	for _, c := range p.ActionRuns {
		if c.Insert && !c.Row.Deadline.IsZero() {
			m.timers.Schedule(c.Row.Deadline)
		}
		if c.Row.Status != sluice.ActionInProgress {
			m.Logs.Notify(c.Row.ID) // followers of its log stop
		}
	}
}

func (m *Main) routes(reg *prometheus.Registry, ids sluice.IDs) http.Handler {
	issuer := jobcreds.New(m.AccessKey.Secret)
	core := &service.Service{Engine: m.Engine, Store: m.DB, Repos: m.Repos, IDs: ids, Queue: m.Queue, ActionTypes: m.Engine.ActionTypes}
	apiServer := &api.Server{Service: core, Log: m.Log, IDs: ids, ArtifactLocation: m.artifactLocation,
		Verifier: &sigv4.Verifier{Lookup: sigv4.KeyStoreLookup(m.DB), Clock: time.Now},
		Issuer:   issuer,
		CloneURL: func(name string) string { return githost.CloneURL(m.URL(), name) },
		Logs:     m.Logs, HasLog: m.hasLog, // the runner keeps a log of every job it runs
		LogURL:     func(pipeline, id string) string { return api.LogURL(m.URL(), pipeline, id) },
		WebhookURL: func(token string) string { return trigger.V1WebhookURL(m.URL(), token) }}
	m.api = apiServer
	m.push = &trigger.Push{Engine: m.Engine, Store: m.DB, Log: m.Log, Commit: m.describeCommit}
	mux := http.NewServeMux()
	mux.Handle("POST /{$}", apiServer)
	mux.Handle(api.LogPath, apiServer.LogHandler())
	mux.Handle(artifactPrefix+"/", &s3serve.Handler{Store: m.artifacts, Jobs: m.DB, Issuer: issuer,
		Locate: apiServer.Locate, Prefix: artifactPrefix, Log: m.Log})
	// Git hosts sign deliveries with the connection's webhook secret, not SigV4; the handler
	// reads at most trigger.MaxWebhookBody.
	mux.Handle(trigger.WebhookPath, &trigger.Webhooks{Connections: m.conns, Store: m.DB, Clock: systemClock{}, Log: m.Log})
	// V1 webhooks (PutWebhook) authenticate with their own settings, not SigV4.
	mux.Handle(trigger.V1WebhookPath, &trigger.V1Webhooks{Engine: m.Engine, Store: m.DB, Clock: systemClock{}, Log: m.Log})
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintln(w, "ok") })
	mux.Handle("GET /metrics", m.drained(promhttp.HandlerFor(reg, promhttp.HandlerOpts{})))
	mux.Handle(githost.PathPrefix, http.StripPrefix(githost.PathPrefix, m.Repos.Handler(m.gitAuth,
		func(ctx context.Context, repo string, updates []githost.RefUpdate) {
			for _, u := range updates {
				m.push.Pushed(ctx, repo, u.Ref, u.New)
			}
		})))
	return mux
}

// drained serves h once the metrics' consumer has read the outbox to its end.
func (m *Main) drained(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := m.metrics.Drain(r.Context()); err != nil {
			m.Log.Error("metrics: read the outbox", "err", err) // serve what is counted
		}
		h.ServeHTTP(w, r)
	})
}

// artifactPrefix is where job workers reach their artifacts with an S3 client (path style,
// endpoint <server URL>/s3) and the job's artifact credentials.
const artifactPrefix = "/s3"

// lookupActionType finds a built-in action type or an active custom one, for validation.
func (m *Main) lookupActionType(id sluice.ActionTypeID) (*sluice.ActionType, bool) {
	if t, ok := catalog.Lookup(id); ok {
		return &t, true
	}
	if id.Owner != sluice.OwnerCustom {
		return nil, false
	}
	t, err := m.Engine.CustomActionType(context.Background(), id)
	if err != nil {
		if !sluice.IsCode(err, sluice.ENotFound) {
			m.Log.Error("look up custom action type", "type", id.String(), "err", err)
		}
		return nil, false
	}
	return t, true
}

// gitAuth accepts HTTP basic auth with an access key id as user and its secret as password.
func (m *Main) gitAuth(r *http.Request) bool {
	id, secret, ok := r.BasicAuth()
	if !ok {
		return false
	}
	k, err := m.DB.GetAccessKey(r.Context(), id)
	return err == nil && subtle.ConstantTimeCompare([]byte(k.Secret), []byte(secret)) == 1
}

func (m *Main) describeCommit(ctx context.Context, repo, sha string) (string, sluice.Revision, error) {
	c, err := m.Repos.Commit(ctx, repo, sha)
	if err != nil {
		return "", sluice.Revision{}, err
	}
	return c.Message, sluice.Revision{RevisionID: c.ID, ChangeIdentifier: c.ID, Summary: c.Message, Created: c.CommitterDate}, nil
}

// recover fails the jobs an earlier run of this server was running (their processes died
// with it) and re-derives every execution's next step. Invoked Lambda jobs ("lambda:"
// workers) are left alone: their functions report through the API whether or not this
// server restarted, and the rescuer fails them when their window passes.
func (m *Main) recover(ctx context.Context) error {
	rescuer := m.rescuer()
	open, err := m.DB.ExpiredJobs(ctx, time.Now().Add(24*365*time.Hour), 10000)
	if err != nil {
		return err
	}
	for _, j := range open {
		switch {
		case strings.HasPrefix(j.Worker, "local:") && j.Worker != m.Pool.Worker:
			msg := "The Sluice server restarted while this action was running; the action was interrupted."
			if err := rescuer.Interrupted(ctx, j, msg); err != nil {
				return fmt.Errorf("fail interrupted job %s: %w", j.ID, err)
			}
		case strings.HasPrefix(j.Worker, "remote:") && j.Status == sluice.JobInProgress:
			// A remote worker kept running while the server was down, unable to heartbeat:
			// give it a whole lease to reach the server again before the rescuer judges it.
			if err := m.DB.ExtendLease(ctx, j.ID, j.Nonce, time.Now().Add(m.Config.Lease)); err != nil && !sluice.IsCode(err, sluice.EInvalidJobState) {
				return fmt.Errorf("extend the lease of remote job %s: %w", j.ID, err)
			}
		}
	}
	if err := m.Engine.Recover(ctx); err != nil {
		return err
	}
	if n, err := m.DB.InterruptWebhookDeliveries(ctx); err != nil {
		return err
	} else if n > 0 {
		m.Log.Warn("webhook deliveries were cut short by the last stop; their redeliveries will be taken", "count", n)
	}
	return m.push.CatchUp(ctx, func(ctx context.Context, repo, branch string) (string, error) {
		return m.Repos.ResolveRef(ctx, repo, "refs/heads/"+branch)
	})
}

func (m *Main) rescuer() *jobqueue.Rescuer {
	return &jobqueue.Rescuer{Store: m.DB, Clock: systemClock{}, Fail: m.Engine.JobResult, Interval: m.Config.Lease / 3, Log: m.Log,
		Wake: m.Queue.Wake, Explain: map[string]func(*sluice.Job) (string, string){lambda.WorkerKind: lambda.Unanswered}}
}

func (m *Main) startServices(ctx context.Context) {
	m.Pool.Start(ctx)
	if m.Config.PollInterval > 0 {
		m.wg.Go(func() { m.Changes.Run(ctx) })
	}
	m.wg.Go(func() { m.metrics.Run(ctx) })
	m.wg.Add(5)
	go func() { defer m.wg.Done(); m.timers.Run(ctx) }()
	go func() { defer m.wg.Done(); m.Invoker.Run(ctx) }()
	go func() { defer m.wg.Done(); m.rescuer().Run(ctx) }()
	go func() { defer m.wg.Done(); m.Poller.Run(ctx) }() // ends with ctx, which Close cancels
	go func() {
		defer m.wg.Done()
		if err := m.http.Serve(m.listener); err != nil && !errors.Is(err, http.ErrServerClosed) {
			m.Log.Error("serve http", "err", err)
		}
	}()
}

// Close stops serving and waits for every service to end.
func (m *Main) Close() error {
	if m.http != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		_ = m.http.Shutdown(ctx)
		cancel()
	}
	if m.cancel != nil {
		m.cancel()
	}
	if m.Pool != nil && m.Pool.Queue != nil {
		m.Pool.Wait()
	}
	m.wg.Wait()
	if m.Repos != nil {
		m.Repos.Wait()
	}
	if m.DB != nil {
		return m.DB.Close()
	}
	return nil
}

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
