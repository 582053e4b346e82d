// Package lambda runs Invoke/AWS/Lambda actions on HTTP functions registered in Sluice. For
// each job it looks up the function the action's FunctionName names, POSTs it the event a
// Lambda function receives ({"CodePipeline.job": ...}), signed with the function's secret,
// and, once the function accepted it (any 2xx, as Lambda's asynchronous invoke), leaves the
// job to the function: it reports with PutJobSuccessResult or PutJobFailureResult, exactly
// as a Lambda function does. A function that never reports fails the action when the
// 20-minute window of SEMANTICS §9.4 passes (the job's lease; the rescuer words it with
// Unanswered).
package lambda

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"sluice"
	"sluice/jobqueue"
	"sluice/jobwire"
)

// Type is the action type the invoker runs.
var Type = sluice.ActionTypeID{Category: sluice.CategoryInvoke, Owner: sluice.OwnerAWS, Provider: "Lambda", Version: "1"}

// Defaults of the Invoker's settings.
const (
	// DefaultWindow is how long an invoked function has to report (SEMANTICS §9.4).
	DefaultWindow      = 20 * time.Minute
	DefaultTimeout     = 30 * time.Second
	DefaultAttempts    = 3
	DefaultBackoff     = time.Second
	DefaultConcurrency = 16
)

// Functions finds registered functions (a sluice.FunctionStore fits).
type Functions interface {
	GetFunction(ctx context.Context, name string) (*sluice.Function, error)
}

// Invoker takes the Lambda jobs of the queue and invokes their functions. Set the fields,
// then call Run once; zero settings take the defaults above.
type Invoker struct {
	Queue     *jobqueue.Queue
	Functions Functions
	Wire      *jobwire.Maker
	// Report hands a job's failure to the engine (engine.ReportJob).
	Report jobqueue.ReportFunc
	IDs    sluice.IDs // delivery ids
	// Worker owns the claimed jobs: sluice.LambdaWorker(server id, an id unique to the
	// process start).String(), so the rescuer can tell them apart (see Unanswered).
	Worker string
	// Window is how long an invoked function has to report before its action fails.
	Window time.Duration
	// Timeout bounds one POST; Attempts POSTs are made when a function cannot be reached or
	// answers 5xx or 429, waiting Backoff before the second and twice as long each time after.
	Timeout  time.Duration
	Attempts int
	Backoff  time.Duration
	// Concurrency bounds the invocations in flight.
	Concurrency int
	// HTTP makes the POSTs (default: a client with Timeout that follows no redirect).
	HTTP *http.Client
	Log  *slog.Logger
}

// Run invokes the functions of queued Lambda jobs until ctx ends, then waits for the
// invocations in flight.
func (inv *Invoker) Run(ctx context.Context) {
	inv.defaults()
	inv.Queue.Consume(ctx, sluice.ClaimParams{Worker: inv.Worker, Types: []sluice.ActionTypeID{Type}, LeaseFor: inv.dispatchLease()},
		inv.Concurrency, inv.Log, func(j *sluice.Job) { inv.invoke(ctx, j) })
}

func (inv *Invoker) defaults() {
	inv.Window = orDefault(inv.Window, DefaultWindow)
	inv.Timeout = orDefault(inv.Timeout, DefaultTimeout)
	inv.Backoff = orDefault(inv.Backoff, DefaultBackoff)
	if inv.Attempts <= 0 {
		inv.Attempts = DefaultAttempts
	}
	if inv.Concurrency <= 0 {
		inv.Concurrency = DefaultConcurrency
	}
	if inv.HTTP == nil {
		inv.HTTP = &http.Client{Timeout: inv.Timeout,
			// A redirect is an answer like any other non-2xx: following it would turn the
			// POST into a GET.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	}
	if inv.Log == nil {
		inv.Log = slog.Default()
	}
}

func orDefault(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}

// dispatchLease is how long a claimed job stays the invoker's before the function accepted
// it: every attempt and backoff, with room to spare. A server that dies meanwhile leaves
// the job dispatched; the rescuer re-queues it when this lease ends and it is invoked again.
func (inv *Invoker) dispatchLease() time.Duration {
	d := time.Duration(inv.Attempts)*inv.Timeout + 30*time.Second
	for i, b := 1, inv.Backoff; i < inv.Attempts; i, b = i+1, b*2 {
		d += b
	}
	return d
}

// Unanswered words the failure of a job whose function did not report within the window,
// as CodePipeline does (SEMANTICS §9.4). It is the rescuer's explanation for sluice.WorkerLambda.
func Unanswered(j *sluice.Job) (failureType, message string) {
	return sluice.FailureJobFailed, fmt.Sprintf("The AWS Lambda function %s failed to return a result. "+
		"Check the function to verify that it has permission to call the PutJobSuccessResult action "+
		"and that it made a call to PutJobSuccessResult.", j.Data.Configuration["FunctionName"])
}
