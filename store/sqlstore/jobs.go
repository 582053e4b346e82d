package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"time"

	"sluice"
)

// A claim is one UPDATE over a sub-select of the oldest queued jobs: the single writer runs
// it atomically, so two claimers never take the same job. Every claimed job gets its own
// random nonce (randomblob runs once per row).
const (
	qClaimSet = `UPDATE jobs SET status = ?1, worker = ?2, nonce = lower(hex(randomblob(16))),
lease_expires_at = ?3, updated_at = ?4
WHERE id IN (SELECT id FROM jobs WHERE status = 'Queued' AND `
	qClaimEnd = ` ORDER BY created_at, rowid LIMIT ?5) RETURNING ` + jobCols + `, rowid`

	// The filters' parameters are numbered from 6 in the order below, for the filters a
	// claim uses only: PostgreSQL refuses a parameter that no clause gives a type.

	// Registered types (custom and partner ones, action_types) are only for the job
	// workers that poll them by name.
	claimAny = `owner <> 'Custom' AND (category, owner, provider, version) NOT IN (
  SELECT category, owner, provider, version FROM action_types)`
	// Types travel as a JSON array of ActionTypeID objects.
	claimTypes = `(category, owner, provider, version) IN (
  SELECT value ->> 'category', value ->> 'owner', value ->> 'provider', value ->> 'version'
  FROM json_each(?%d))`
	// Labels travel as a JSON array of strings, "" standing for no label.
	claimLabels = ` AND coalesce(data ->> '$.configuration.WorkerLabel', '') IN (SELECT value FROM json_each(?%d))`
	// Match travels as a JSON object of configuration key -> value.
	claimMatch = ` AND NOT EXISTS (SELECT 1 FROM json_each(?%d) m
  WHERE json_extract(jobs.data, '$.configuration.' || json_quote(m.key)) IS NOT m.value)`

	qAcknowledgeJob = `UPDATE jobs SET status = 'InProgress', lease_expires_at = ?, updated_at = ?
WHERE id = ? AND nonce = ? AND status IN ('Dispatched', 'InProgress') RETURNING ` + jobCols
	qExtendLease = `UPDATE jobs SET lease_expires_at = ?, updated_at = ?
WHERE id = ? AND nonce = ? AND status IN ('Dispatched', 'InProgress')`
	qRequeueJob = `UPDATE jobs SET status = 'Queued', worker = '', nonce = '', lease_expires_at = 0,
updated_at = ? WHERE id = ? AND nonce = ? AND status = 'Dispatched'`
	qJob         = `SELECT ` + jobCols + ` FROM jobs WHERE id = ?`
	qExpiredJobs = `SELECT ` + jobCols + ` FROM jobs
WHERE status IN ('Dispatched', 'InProgress') AND lease_expires_at <= ?
ORDER BY lease_expires_at, rowid LIMIT ?`
	qLeasedJobs = `SELECT ` + jobCols + ` FROM jobs
WHERE status IN ('Dispatched', 'InProgress') ORDER BY lease_expires_at, rowid`
	qQueueDepth = `SELECT count(*) FROM jobs WHERE status = 'Queued'`
)

// ClaimJobs moves up to p.Limit (at least 1) queued jobs, oldest first, to Dispatched (or
// InProgress when p.Acknowledge) for p.Worker, each with a fresh nonce and a lease until
// p.Now+p.LeaseFor. With no Types it takes any job whose owner is not Custom and whose
// type is not registered: custom and partner action types are only for workers that ask
// for them by name.
func (db *DB) ClaimJobs(ctx context.Context, p sluice.ClaimParams) ([]*sluice.Job, error) {
	status := sluice.JobDispatched
	if p.Acknowledge {
		status = sluice.JobInProgress
	}
	types, err := toJSON(p.Types)
	if err != nil {
		return nil, err
	}
	labels, err := toJSON(p.Labels)
	if err != nil {
		return nil, err
	}
	match, err := toJSON(p.Match)
	if err != nil {
		return nil, err
	}
	args := []any{status, p.Worker, ts(p.Now.Add(p.LeaseFor)), ts(p.Now), max(p.Limit, 1)}
	for _, f := range []struct {
		on  bool
		arg string
	}{{len(p.Types) > 0, types}, {p.Labels != nil, labels}, {len(p.Match) > 0, match}} {
		if f.on {
			args = append(args, f.arg)
		}
	}
	query := claimQuery(len(p.Types) > 0, p.Labels != nil, len(p.Match) > 0)
	rows, err := queryAll(ctx, db.writer(), withRowid(scanJob), query, args...)
	if err != nil {
		return nil, err
	}
	// RETURNING gives no order; hand the jobs out oldest first.
	sort.Slice(rows, func(a, b int) bool {
		if !rows[a].v.CreatedAt.Equal(rows[b].v.CreatedAt) {
			return rows[a].v.CreatedAt.Before(rows[b].v.CreatedAt)
		}
		return rows[a].rowid < rows[b].rowid
	})
	return values(rows), nil
}

// claimQuery is the claim for the filters in use; claimQueries lists every combination so
// that all are prepared at Open.
func claimQuery(types, labels, match bool) string {
	n := 6
	param := func(filter string) string {
		n++
		return fmt.Sprintf(filter, n-1)
	}
	q := qClaimSet + claimAny
	if types {
		q = qClaimSet + param(claimTypes)
	}
	if labels {
		q += param(claimLabels)
	}
	if match {
		q += param(claimMatch)
	}
	return q + qClaimEnd
}

func claimQueries() []string {
	var qs []string
	for i := range 8 {
		qs = append(qs, claimQuery(i&1 != 0, i&2 != 0, i&4 != 0))
	}
	return qs
}

// AcknowledgeJob moves a dispatched job to InProgress and extends its lease; acknowledging
// an InProgress job again with its nonce only extends the lease.
func (db *DB) AcknowledgeJob(ctx context.Context, id, nonce string, leaseUntil time.Time) (*sluice.Job, error) {
	j, err := scanJob(db.writer().queryRow(ctx, qAcknowledgeJob, ts(leaseUntil), ts(db.clock.Now()), id, nonce))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, db.leaseError(ctx, id, nonce)
	}
	return j, err
}

// ExtendLease moves the lease of a dispatched or in-progress job to leaseUntil.
func (db *DB) ExtendLease(ctx context.Context, id, nonce string, leaseUntil time.Time) error {
	ok, err := db.writer().execOne(ctx, qExtendLease, ts(leaseUntil), ts(db.clock.Now()), id, nonce)
	if err != nil || ok {
		return err
	}
	return db.leaseError(ctx, id, nonce)
}

// RequeueJob puts a dispatched, never acknowledged job back in the queue.
func (db *DB) RequeueJob(ctx context.Context, id, nonce string) error {
	ok, err := db.writer().execOne(ctx, qRequeueJob, ts(db.clock.Now()), id, nonce)
	if ok {
		db.publish(ctx, sluice.TopicJobs)
	}
	if err != nil || ok {
		return err
	}
	return db.leaseError(ctx, id, nonce)
}

// leaseError explains why a guarded lease update changed nothing: the job is absent
// (ENotFound), the nonce is not the current one (EInvalidNonce), or the job is in a status
// the call does not accept (EInvalidJobState).
func (db *DB) leaseError(ctx context.Context, id, nonce string) error {
	j, err := db.GetJob(ctx, id)
	switch {
	case err != nil:
		return err
	case j.Nonce != nonce:
		return sluice.Errorf(sluice.EInvalidNonce, "Job", "the nonce of job %s is not current", id)
	default:
		return sluice.Errorf(sluice.EInvalidJobState, "Job", "job %s is %s", id, j.Status)
	}
}

// GetJob returns a job by id (ENotFound/Job).
func (db *DB) GetJob(ctx context.Context, id string) (*sluice.Job, error) {
	j, err := scanJob(db.reader().queryRow(ctx, qJob, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, sluice.Errorf(sluice.ENotFound, "Job", "job %s not found", id)
	}
	return j, err
}

// ExpiredJobs returns up to limit (default 100) dispatched or in-progress jobs whose lease
// ended at or before now, the longest expired first.
func (db *DB) ExpiredJobs(ctx context.Context, now time.Time, limit int) ([]*sluice.Job, error) {
	if limit <= 0 {
		limit = defaultLimit
	}
	return queryAll(ctx, db.reader(), scanOneJob, qExpiredJobs, ts(now), limit)
}

// LeasedJobs returns every dispatched or in-progress job, the oldest lease first.
func (db *DB) LeasedJobs(ctx context.Context) ([]*sluice.Job, error) {
	return queryAll(ctx, db.reader(), scanOneJob, qLeasedJobs)
}

// QueueDepth counts queued jobs.
func (db *DB) QueueDepth(ctx context.Context) (int, error) {
	var n int
	err := db.reader().queryRow(ctx, qQueueDepth).Scan(&n)
	return n, err
}

func scanOneJob(sc scanner) (*sluice.Job, error) { return scanJob(sc) }
