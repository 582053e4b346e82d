// Package storetest is the conformance suite of sluice.Store: every adapter (SQLite always,
// PostgreSQL when its database is configured) runs Run and must pass all of it. The suite
// talks only through the port, so it holds no SQL.
//
// The contract it checks, beyond the doc comments of sluice.Store:
//
// Transactions. Update runs fn in one transaction that holds the pipeline's lock, so the
// Updates of one pipeline never interleave. fn's error rolls the transaction back and is
// returned as is; a panic in fn rolls it back and panics again. A Tx writes only its own
// pipeline: rows are stored under the transaction's pipeline name, and creating or saving a
// pipeline of another name is EInvalid.
//
// Pipelines. CreatePipeline stores version 1 (EAlreadyExists/Pipeline when the name is
// taken) and its tags under p.ARN. SavePipeline stores p.Declaration.Version and makes it
// current (ENotFound/Pipeline when absent, EConflict/Pipeline when that version exists).
// DeletePipeline removes the pipeline with its versions, executions, stage runs, action
// runs, jobs, stage state and tags (ENotFound/Pipeline when absent). Tx.Pipeline and
// GetPipeline return ENotFound/Pipeline with "does not have a pipeline with name '<name>'"
// in the message; GetPipeline of a version that does not exist is ENotFound/PipelineVersion.
//
// Snapshot. Pipeline is current; Executions are the pipeline's InProgress and Stopping
// executions plus those of include (any status, this pipeline only), by Seq; StageRuns,
// ActionRuns (every attempt, by StartTime then insertion) and open Jobs (Queued, Dispatched,
// InProgress) are those of the loaded executions; Declarations holds the current version and
// every version a loaded execution runs; Stages holds every stage row of the pipeline; Now
// is zero.
//
// Apply writes executions, stage runs, action runs, jobs, stages, then events. A Change
// with Insert inserts its row (EConflict when the key exists); otherwise it updates every
// mutable column of the row whose key matches and whose status is From, and no such row is
// EConflict with Resource PipelineExecution, Stage, Action or Job. Keys: execution ID;
// stage run (ExecutionID, StageName); action run ID; job ID. An inserted execution with Seq
// 0 gets the pipeline's next sequence number (the largest so far + 1), written back into
// the row; any other Seq is stored as given. Stages are upserted whole (nil deletes the
// row). Events go to the outbox in the same transaction. The caller returns Apply's error
// from fn, so a conflict leaves nothing of the plan behind.
//
// Reading. Times come back in UTC, at least to the microsecond (the suite uses whole
// seconds); empty maps and slices may come back nil. Lists take a Page: Limit <= 0 means
// 100; the returned token is opaque and "" on the last page; a token the store did not issue
// is EInvalid/NextToken. ListPipelines orders by name; ListExecutions and ListActionRuns
// newest first (by StartTime). GetExecution of an unknown id (or another pipeline's) is
// ENotFound/PipelineExecution; GetActionRun of an unknown id (or another pipeline's) is
// ENotFound/ActionExecution. PipelineState keys the latest stage run by stage name and the
// latest action attempt by "stage/action" for the stages and actions of the current
// declaration; Waiting holds the active executions with WaitingAt set, by Seq.
// ActivePipelines names the pipelines with an InProgress or Stopping execution.
// DueActions(now) returns InProgress action runs with a deadline at or before now;
// NextDeadline the earliest deadline of any InProgress action run, even a past one.
//
// Jobs. ClaimJobs atomically moves up to Limit (at least one) Queued jobs, oldest first, to
// Dispatched (InProgress with Acknowledge) for Worker, each with a fresh random nonce and a
// lease until Now+LeaseFor; Types filters on the exact action type, and no Types means any
// type whose owner is not Custom. Concurrent claimers never get the same job.
// AcknowledgeJob moves Dispatched to InProgress (InProgress stays) and sets the lease;
// ExtendLease sets the lease of a Dispatched or InProgress job; RequeueJob moves a
// Dispatched job back to Queued and clears its worker and nonce. Each of the three returns
// ENotFound/Job for an unknown job, EInvalidNonce when the nonce is not the job's, and
// EInvalidJobState when the job's status does not allow the call. ExpiredJobs returns
// Dispatched and InProgress jobs whose lease ended at or before now, the oldest lease first.
// Labels, when not nil, keeps jobs whose configuration's WorkerLabel ("" when absent) is
// one of them; Match keeps jobs whose configuration holds every given value.
// QueueDepth counts Queued jobs.
//
// Action types. CreateActionType is EAlreadyExists/ActionType for an id stored before, even
// deleted; DeleteActionType marks an active type deleted and RestoreActionType a deleted one
// active, each ENotFound/ActionType otherwise; ListActionTypes orders by category, owner,
// provider, version and includes deleted types.
//
// Repositories, tags and keys. CreateRepository is EAlreadyExists/Repository for a taken
// name; Get and Delete of an unknown one are ENotFound/Repository; ListRepositories orders
// by name. TagResource upserts keys; UntagResource ignores missing keys; ListTags of an ARN
// without tags is empty. PutAccessKey replaces a key with the same id; GetAccessKey of an
// unknown id is ENotFound/AccessKey.
//
// Webhook deliveries. AddWebhookDelivery sets an increasing Seq; a DeliveryReceived
// delivery whose DeliveryID the connection has in a delivery that was not refused is
// EAlreadyExists/WebhookDelivery, decided and stored atomically (of concurrent copies exactly
// one is received); other results are stored as given. With keep > 0 it keeps the newest keep
// refused and the newest keep other deliveries of the connection. FinishWebhookDelivery
// writes Result, Reason and Executions of a DeliveryReceived delivery (EConflict otherwise).
// ListWebhookDeliveries pages a connection's deliveries newest first; DeleteConnection drops
// them.
//
// V1 webhooks. PutWebhook inserts, or replaces the definition of the webhook of the same
// name keeping its ARN, Token, Created, LastTriggered and error (written back into its
// argument), adds the tags under the ARN, and refuses a new webhook once Max exist
// (ELimit/Webhooks, nothing stored). Get, WebhookByToken, Delete and SetWebhookOutcome of an
// unknown one are ENotFound/Webhook; Delete drops its tags. SetWebhookOutcome keeps the
// stored LastTriggered when given zero. ListWebhooks orders by name and pages like the
// other lists.
//
// Build projects. CreateProject is EAlreadyExists/Project for a taken name; Get and Delete
// of an unknown one are ENotFound/Project. UpdateProject writes only over the revision
// before p.Revision: EConflict/Project when another update came first, ENotFound/Project
// when the project is gone; it keeps Name, ARN and Created. ListProjects orders by name,
// creation or last modification, ascending or descending, ties by name in the same
// direction, and pages like the other lists (a token of another order is EInvalid/NextToken).
//
// Functions. PutFunction inserts or replaces the function of its name; a replaced one keeps
// its Created, which PutFunction writes back into its argument. Get and Delete of an
// unknown name are ENotFound/Function. ListFunctions orders by name and pages like the
// other lists; secrets come back as stored.
package storetest

import (
	"testing"

	"sluice"
)

// Option gives the suite more of the adapter to check.
type Option func(*suite)

// WithReopen lets the suite close a store and open its data again: reopen closes s and
// returns a store on the same data. Without it, the checks of durability are skipped.
func WithReopen(reopen func(t *testing.T, s sluice.Store) sluice.Store) Option {
	return func(s *suite) { s.reopen = reopen }
}

// suite is what the groups that need more than a fresh store get.
type suite struct {
	open   func(*testing.T) sluice.Store
	reopen func(*testing.T, sluice.Store) sluice.Store
}

// Run runs the suite; open returns a fresh, empty store and closes it when t ends.
func Run(t *testing.T, open func(t *testing.T) sluice.Store, opts ...Option) {
	s := &suite{open: open}
	for _, o := range opts {
		o(s)
	}
	groups := []struct {
		name string
		run  func(*testing.T, func(*testing.T) sluice.Store)
	}{
		{"Update", testUpdate},
		{"Transactions", testTransactions},
		{"Notifier", testNotifier},
		{"Pipelines", testPipelines},
		{"Delete", testDelete},
		{"Apply", testApply},
		{"Conflicts", testConflicts},
		{"Snapshot", testSnapshot},
		{"Executions", testExecutions},
		{"ActionRuns", testActionRuns},
		{"PipelineState", testPipelineState},
		{"Timers", testTimers},
		{"Claims", testClaims},
		{"ClaimFilters", testClaimFilters},
		{"ActionTypes", testActionTypes},
		{"Connections", testConnections},
		{"WebhookDeliveries", testWebhookDeliveries},
		{"Webhooks", testWebhooks},
		{"Leases", testLeases},
		{"Repositories", testRepositories},
		{"Projects", testProjects},
		{"Functions", testFunctions},
		{"TagsAndKeys", testTagsAndKeys},
	}
	for _, g := range groups {
		t.Run(g.name, func(t *testing.T) {
			t.Parallel()
			g.run(t, open)
		})
	}
	t.Run("Outbox", func(t *testing.T) {
		t.Parallel()
		testOutbox(t, s)
	})
}
