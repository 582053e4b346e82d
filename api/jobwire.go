package api

import (
	"sluice"
	"sluice/jobwire"
)

type (
	// jobOut is the model's Job, plus the whole job for `sluice worker` (PollForWorkerJobs only).
	jobOut struct {
		jobwire.Job
		Sluice *workerJob `json:"sluice,omitempty"`
	}
	// workerJob is what `sluice worker` needs beyond the model's job data to run a built-in
	// action exactly as the server's own workers do.
	workerJob struct {
		ActionRunID  string `json:"actionRunId"`
		ExecutionID  string `json:"executionId"`
		PipelineName string `json:"pipelineName"`
		StageName    string `json:"stageName"`
		ActionName   string `json:"actionName"`
		Deadline     *epoch `json:"deadline,omitempty"`
		// LeaseSeconds is how long the job stays the worker's without a heartbeat
		// (AcknowledgeJob again with the same nonce).
		LeaseSeconds int            `json:"leaseSeconds"`
		Data         sluice.JobData `json:"data"`
	}
)

// JobWire makes the job shapes this server answers with (and invoked functions receive).
func (s *Server) JobWire() *jobwire.Maker {
	return &jobwire.Maker{Account: s.account(), Locate: s.Locate, Issuer: s.Issuer}
}

// jobWire is j as PollForJobs (with its nonce) and GetJobDetails (without) return it, with
// artifact credentials for the job's current nonce.
func (s *Server) jobWire(j *sluice.Job, withNonce bool) jobOut {
	return jobOut{Job: s.JobWire().Job(j, withNonce)}
}

// workerWire adds what `sluice worker` needs to the model's job.
func (s *Server) workerWire(j *sluice.Job) jobOut {
	out := s.jobWire(j, true)
	out.Sluice = &workerJob{ActionRunID: j.ActionRunID, ExecutionID: j.ExecutionID, PipelineName: j.PipelineName,
		StageName: j.StageName, ActionName: j.ActionName, Data: j.Data, LeaseSeconds: int(s.Service.JobLease().Seconds())}
	if !j.Deadline.IsZero() {
		out.Sluice.Deadline = ts(j.Deadline)
	}
	return out
}
