package engine

import (
	"sluice"
)

// JobResult applies a worker's report for a job.
type JobResult struct{ sluice.JobResult }

func (cmd JobResult) apply(d *decider) error {
	res := cmd.JobResult
	job := d.job(res.JobID)
	switch {
	case job == nil || !job.Status.Open():
		return sluice.Errorf(sluice.EInvalidJobState, "", "Job %s is no longer open: its result cannot be accepted.", res.JobID)
	case res.Nonce != "" && res.Nonce != job.Nonce:
		return sluice.Errorf(sluice.EInvalidNonce, "", "The nonce does not match job %s's current nonce.", res.JobID)
	}
	if job.Data.Condition != "" {
		return d.ruleResult(job, res)
	}
	run := d.actionRun(job.ActionRunID)
	e := d.execs[job.ExecutionID]
	if run == nil || e == nil || run.Status != sluice.ActionInProgress {
		return sluice.Errorf(sluice.EInvalidJobState, "", "The action of job %s is no longer in progress.", res.JobID)
	}
	d.closeJob(job, res)
	d.touchAction(run)
	run.LastUpdateTime = d.now()
	reported(res, &run.Summary, &run.ExternalExecutionID, &run.ExternalExecutionURL)
	run.PercentComplete = res.PercentComplete
	switch {
	case res.Success && res.ContinuationToken != "":
		d.continueJob(job, res.ContinuationToken)
	case res.Success:
		run.OutputVariables = res.OutputVariables
		run.Revision = res.Revision
		d.pinRevision(e, job, res.Revision)
		d.finishAction(e, run, sluice.ActionSucceeded, "", "")
	default:
		d.finishAction(e, run, sluice.ActionFailed, firstNonEmpty(res.ErrorType, sluice.FailureJobFailed), res.ErrorMessage)
	}
	return nil
}

// closeJob ends a job as its worker's result says.
func (d *decider) closeJob(job *sluice.Job, res sluice.JobResult) {
	d.touchJob(job)
	job.UpdatedAt = d.now()
	job.Status = sluice.JobFailed
	if res.Success {
		job.Status = sluice.JobSucceeded
	}
}

// reported copies what a worker's result says of the run it worked for, action or rule: its
// summary, and its external id and link when the result gives them.
func reported(res sluice.JobResult, summary, externalID, externalURL *string) {
	*summary = res.Summary
	*externalID = firstNonEmpty(res.ExternalID, *externalID)
	*externalURL = firstNonEmpty(res.ExternalURL, *externalURL)
}

// continueJob queues the next job of a running action, carrying the worker's token
// (SEMANTICS §9.2 step 6).
func (d *decider) continueJob(prev *sluice.Job, token string) {
	next := *prev
	next.ID = d.ids.NewID()
	next.Status = sluice.JobQueued
	next.Nonce, next.Worker = "", ""
	next.LeaseExpiresAt = timeZero
	next.CreatedAt, next.UpdatedAt = d.now(), d.now()
	next.Data.ContinuationToken = token
	d.insertJob(&next)
}

func (d *decider) job(id string) *sluice.Job {
	for _, j := range d.s.Jobs {
		if j.ID == id {
			return j
		}
	}
	return nil
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// pinRevision records the revision a source action produced on its execution, where
// execution lists show it.
func (d *decider) pinRevision(e *sluice.Execution, job *sluice.Job, rev *sluice.Revision) {
	if rev == nil || job.ActionType.Category != sluice.CategorySource {
		return
	}
	d.touchExec(e)
	revs := make(map[string]sluice.Revision, len(e.Revisions)+1)
	for k, v := range e.Revisions {
		revs[k] = v
	}
	revs[job.ActionName] = *rev
	e.Revisions = revs
}
