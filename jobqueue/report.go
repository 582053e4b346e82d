package jobqueue

import (
	"context"
	"log/slog"

	"sluice"
)

// ReportFunc hands a job's result to the engine (engine.ReportJob).
type ReportFunc func(context.Context, *sluice.Job, sluice.JobResult) error

// Settle reports res as job's result, with the job's id and nonce. A job closed meanwhile
// (its action or rule abandoned or timed out, its pipeline deleted) needs no result, so
// that refusal is no error; any other is logged.
func (report ReportFunc) Settle(ctx context.Context, job *sluice.Job, res sluice.JobResult, log *slog.Logger) {
	res.JobID, res.Nonce = job.ID, job.Nonce
	err := report(ctx, job, res)
	if err != nil && !sluice.IsCode(err, sluice.EInvalidJobState) && !sluice.IsCode(err, sluice.ENotFound) {
		log.Error("report job result", "job", job.ID, "err", err)
	}
}
