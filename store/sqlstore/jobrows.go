package sqlstore

import (
	"context"

	"sluice"
)

const jobCols = `id, action_run_id, execution_id, pipeline_name, stage_name, action_name, category,
owner, provider, version, status, nonce, worker, lease_expires_at, deadline, data, created_at, updated_at`

const (
	qInsertJob = `INSERT INTO jobs (` + jobCols + `)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)
ON CONFLICT (id) DO NOTHING`
	qUpdateJob = `UPDATE jobs SET action_run_id = ?2, stage_name = ?5, action_name = ?6, category = ?7,
owner = ?8, provider = ?9, version = ?10, status = ?11, nonce = ?12, worker = ?13,
lease_expires_at = ?14, deadline = ?15, data = ?16, created_at = ?17, updated_at = ?18
WHERE id = ?1 AND execution_id = ?3 AND pipeline_name = ?4 AND status = ?19`
)

func scanJob(sc scanner, extra ...any) (*sluice.Job, error) {
	var (
		j                                 sluice.Job
		lease, deadline, created, updated int64
		data                              string
	)
	dest := append([]any{&j.ID, &j.ActionRunID, &j.ExecutionID, &j.PipelineName, &j.StageName,
		&j.ActionName, &j.ActionType.Category, &j.ActionType.Owner, &j.ActionType.Provider,
		&j.ActionType.Version, &j.Status, &j.Nonce, &j.Worker, &lease, &deadline, &data, &created,
		&updated}, extra...)
	if err := sc.Scan(dest...); err != nil {
		return nil, err
	}
	if err := fromJSON(data, &j.Data); err != nil {
		return nil, err
	}
	j.LeaseExpiresAt, j.Deadline, j.CreatedAt, j.UpdatedAt = tm(lease), tm(deadline), tm(created), tm(updated)
	return &j, nil
}

// applyJob inserts or guard-updates one job (key: its id).
func (t *tx) applyJob(ctx context.Context, ch sluice.Change[sluice.Job, sluice.JobStatus]) error {
	j := ch.Row
	data, err := toJSON(j.Data)
	if err != nil {
		return err
	}
	args := []any{j.ID, j.ActionRunID, j.ExecutionID, t.name, j.StageName, j.ActionName,
		j.ActionType.Category, j.ActionType.Owner, j.ActionType.Provider, j.ActionType.Version,
		j.Status, j.Nonce, j.Worker, ts(j.LeaseExpiresAt), ts(j.Deadline), data, ts(j.CreatedAt),
		ts(j.UpdatedAt)}
	query := qInsertJob
	if !ch.Insert {
		query, args = qUpdateJob, append(args, ch.From)
	}
	ok, err := t.c.execOne(ctx, query, args...)
	if ok && j.Status == sluice.JobQueued && ch.From != sluice.JobQueued {
		t.notify(ctx, sluice.TopicJobs)
	}
	if err != nil || ok {
		return err
	}
	return conflict("Job", ch.Insert, "job "+j.ID, string(ch.From))
}
