package node

import (
	"context"
	"crypto/subtle"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"sluice"
	"sluice/api"
	"sluice/api/query"
	"sluice/api/sigv4"
	"sluice/artifact/s3serve"
	"sluice/githost"
	"sluice/hookserve"
	"sluice/jobcreds"
	"sluice/service"
	"sluice/trigger"
)

// apiServer is the AWS JSON API over the node's engine, store, queue and logs.
func (n *Node) apiServer(ids sluice.IDs) *api.Server {
	core := &service.Service{Engine: n.Engine, Store: n.DB, Repos: n.Repos, IDs: ids, Queue: n.Queue, ActionTypes: n.Engine.ActionTypes,
		Authz:          &service.Authorizer{Store: n.DB, Account: n.Config.Account, Region: n.Config.Region, Clock: SystemClock{}},
		RootKeyRotated: n.rootKeyRotated, Guard: n.Guard()}
	verifier := &sigv4.Verifier{Lookup: sigv4.KeyStoreLookup(n.DB), Clock: time.Now, Gate: n.gate, SpoolDir: n.spool}
	n.Query = &query.Server{Service: core, Verifier: verifier, Log: n.Log, IDs: ids, BodyTimeout: n.Config.BodyTimeout}
	return &api.Server{Service: core, Log: n.Log, IDs: ids, ArtifactLocation: n.artifactLocation,
		Verifier:    verifier,
		BodyTimeout: n.Config.BodyTimeout,
		Issuer:      jobcreds.WithKey(n.jobKey),
		CloneURL:    func(name string) string { return githost.CloneURL(n.URL(), name) },
		Logs:        n.Logs, HasLog: n.hasLog, // the runner keeps a log of every job it runs
		LogURL:     func(pipeline, id string) string { return api.LogURL(n.URL(), pipeline, id) },
		WebhookURL: func(token string) string { return hookserve.V1URL(n.URL(), token) }}
}

// routes maps every HTTP surface of the node; it only reads parts build made before.
func (n *Node) routes(reg *prometheus.Registry) http.Handler {
	mux := http.NewServeMux()
	console := n.Console.Handler()
	// One endpoint serves both protocols: a JSON call names its operation in X-Amz-Target,
	// an IAM or STS call is a form with an Action (SigV4's scope says which service).
	mux.Handle("POST /{$}", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if query.IsQuery(r) {
			n.Query.ServeHTTP(w, r)
			return
		}
		n.API.ServeHTTP(w, r)
	}))
	mux.Handle("GET /{$}", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !query.IsQuery(r) {
			console.ServeHTTP(w, r) // the console's home page
			return
		}
		n.Query.ServeHTTP(w, r)
	}))
	n.notificationRoutes(mux) // CodeStar Notifications: rest-json, a path per operation
	mux.Handle(api.LogPath, browserLogs(n.API.LogHandler()))
	mux.Handle("GET "+api.EventsPath, n.API.EventsHandler())
	mux.Handle(artifactPrefix+"/", &s3serve.Handler{Store: n.Artifacts, Jobs: n.DB, Issuer: n.API.Issuer,
		Locate: n.API.Locate, Prefix: artifactPrefix, Log: n.Log, Gate: n.gate})
	// Git hosts sign deliveries with the connection's webhook secret, not SigV4; the handler
	// reads at most trigger.MaxWebhookBody, spooled until the signature is checked.
	hooks := hookserve.Limits{Gate: n.gate, SpoolDir: n.spool, BodyTimeout: n.Config.BodyTimeout}
	mux.Handle(hookserve.DeliveriesPath, n.auditDeliveries(&hookserve.Deliveries{Trigger: &trigger.Deliveries{Connections: n.conns, Store: n.DB, Clock: SystemClock{}, Log: n.Log}, Limits: hooks}))
	// V1 webhooks (PutWebhook) authenticate with their own settings, not SigV4.
	mux.Handle(hookserve.V1Path, n.auditV1(&hookserve.V1{Trigger: &trigger.V1Webhooks{Engine: n.Engine, Store: n.DB, Clock: SystemClock{}, Log: n.Log}, Limits: hooks}))
	n.deliveryRoutes(mux)
	n.snsRoutes(mux)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintln(w, "ok") })
	mux.Handle("GET /metrics", n.drained(promhttp.HandlerFor(reg, promhttp.HandlerOpts{})))
	mux.Handle(githost.PathPrefix, n.gitGate(http.StripPrefix(githost.PathPrefix, n.Repos.Handler(n.gitAuth, n.push.Pushed))))
	// Every path the surfaces above leave is the console's: a page, or its 404 page.
	mux.Handle("/", console)
	return mux
}

// scrapeDrain bounds the drain before a scrape; past it the scrape serves what is counted.
const scrapeDrain = 5 * time.Second

// drained serves h once the metrics' consumer has read the outbox to its end. The drain
// does not end with the request: a scraper giving up mid-batch would fail the batch's
// lookups, and its records would be counted without their provider.
func (n *Node) drained(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), scrapeDrain)
		defer cancel()
		// Events are counted by the leader alone; the other replicas serve their own gauges.
		if n.Leader() {
			if err := n.metrics.Drain(ctx); err != nil {
				n.Log.Error("metrics: read the outbox", "err", err) // serve what is counted
			}
		}
		h.ServeHTTP(w, r)
	})
}

// artifactPrefix is where job workers reach their artifacts with an S3 client (path style,
// endpoint <server URL>/s3) and the job's artifact credentials.
const artifactPrefix = "/s3"

// gitAuth accepts HTTP basic auth with an access key id as user and its secret as password,
// then asks the core whether the key's principal may fetch (codecommit:GitPull) or push
// (codecommit:GitPush).
func (n *Node) gitAuth(r *http.Request, q githost.Request) error {
	id, secret, ok := r.BasicAuth()
	if !ok {
		return githost.ErrUnauthenticated
	}
	k, err := n.DB.GetAccessKey(r.Context(), id)
	if err != nil || (k.Status != "" && k.Status != sluice.KeyActive) || subtle.ConstantTimeCompare([]byte(k.Secret), []byte(secret)) != 1 {
		return githost.ErrUnauthenticated
	}
	c := sluice.Caller{Principal: k.Principal, AccessKeyID: k.ID, SourceIP: remoteIP(r.RemoteAddr), UserAgent: r.UserAgent()}
	return n.API.Service.GitAccess(r.Context(), c, q.Repo, q.Push())
}

// remoteIP is the address part of a request's remote address.
func remoteIP(remote string) string {
	if host, _, err := net.SplitHostPort(remote); err == nil {
		return host
	}
	return remote
}
