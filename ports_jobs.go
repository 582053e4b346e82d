package sluice

import (
	"context"
	"time"
)

// ClaimParams says which queued jobs a worker takes.
type ClaimParams struct {
	Worker   string
	Types    []ActionTypeID // only these exact types; empty = any type not owned by Custom nor registered (ActionTypeStore)
	Limit    int
	Now      time.Time
	LeaseFor time.Duration
	// Acknowledge claims straight to InProgress (in-process workers need no AcknowledgeJob).
	Acknowledge bool
	// Match keeps jobs whose configuration holds every one of these values (PollForJobs'
	// queryParam).
	Match map[string]string
	// Labels, when not nil, keeps jobs whose WorkerLabel configuration is one of them ("":
	// jobs without a label).
	Labels []string
}

// JobStore is the job queue: leases are rows (worker, nonce, lease expiry). Each method is
// one transaction.
type JobStore interface {
	// ClaimJobs atomically moves up to p.Limit (at least one) Queued jobs, oldest first, to
	// Dispatched (InProgress with p.Acknowledge) for p.Worker, each with a fresh random
	// nonce and a lease until p.Now+p.LeaseFor. Concurrent claimers never get the same job.
	ClaimJobs(ctx context.Context, p ClaimParams) ([]*Job, error)
	// AcknowledgeJob moves a Dispatched job to InProgress (InProgress stays) and sets its
	// lease: ENotFound/Job for an unknown job, EInvalidNonce when the nonce is not the
	// job's, EInvalidJobState when its status is neither.
	AcknowledgeJob(ctx context.Context, id, nonce string, leaseUntil time.Time) (*Job, error)
	// ExtendLease sets the lease of a Dispatched or InProgress job, with the errors of
	// AcknowledgeJob.
	ExtendLease(ctx context.Context, id, nonce string, leaseUntil time.Time) error
	// GetJob returns a job by id (ENotFound/Job).
	GetJob(ctx context.Context, id string) (*Job, error)
	// ExpiredJobs returns up to limit Dispatched and InProgress jobs whose lease ended at or
	// before now, the oldest lease first.
	ExpiredJobs(ctx context.Context, now time.Time, limit int) ([]*Job, error)
	// LeasedJobs returns every Dispatched and InProgress job, whatever its lease, the
	// oldest lease first: a starting server sorts them into its own interrupted jobs and
	// those other holders keep (jobqueue.Rescuer.Recover).
	LeasedJobs(ctx context.Context) ([]*Job, error)
	// RequeueJob moves a Dispatched, never acknowledged job back to Queued and clears its
	// worker and nonce, with the errors of AcknowledgeJob; it notifies TopicJobs.
	RequeueJob(ctx context.Context, id, nonce string) error
	// QueueDepth counts Queued jobs.
	QueueDepth(ctx context.Context) (int, error)
}
