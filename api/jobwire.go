package api

import (
	"sluice"
	"sluice/jobcreds"
)

// The job shapes of the model (Job, JobDetails, JobData), built from a sluice.Job.
type (
	jobOut struct {
		ID        string     `json:"id"`
		Data      jobDataOut `json:"data"`
		Nonce     string     `json:"nonce,omitempty"`
		AccountID string     `json:"accountId"`
		// Sluice is the whole job for `sluice worker` (PollForWorkerJobs only).
		Sluice *workerJob `json:"sluice,omitempty"`
	}
	jobDataOut struct {
		ActionTypeID        sluice.ActionTypeID `json:"actionTypeId"`
		ActionConfiguration struct {
			Configuration map[string]string `json:"configuration"`
		} `json:"actionConfiguration"`
		PipelineContext     pipelineContext      `json:"pipelineContext"`
		InputArtifacts      []jobArtifact        `json:"inputArtifacts"`
		OutputArtifacts     []jobArtifact        `json:"outputArtifacts"`
		ArtifactCredentials jobcreds.Credentials `json:"artifactCredentials"`
		ContinuationToken   string               `json:"continuationToken,omitempty"`
	}
	pipelineContext struct {
		PipelineName string `json:"pipelineName"`
		Stage        struct {
			Name string `json:"name"`
		} `json:"stage"`
		Action struct {
			Name              string `json:"name"`
			ActionExecutionID string `json:"actionExecutionId"`
		} `json:"action"`
		PipelineArn         string `json:"pipelineArn"`
		PipelineExecutionID string `json:"pipelineExecutionId"`
	}
	jobArtifact struct {
		Name     string           `json:"name"`
		Revision string           `json:"revision,omitempty"`
		Location artifactLocation `json:"location"`
	}
	artifactLocation struct {
		Type       string             `json:"type"`
		S3Location s3ArtifactLocation `json:"s3Location"`
	}
	s3ArtifactLocation struct {
		BucketName string `json:"bucketName"`
		ObjectKey  string `json:"objectKey"`
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

// jobWire is j as PollForJobs (with its nonce) and GetJobDetails (without) return it, with
// artifact credentials for the job's current nonce.
func (s *Server) jobWire(j *sluice.Job, withNonce bool) jobOut {
	out := jobOut{ID: j.ID, AccountID: s.account()}
	if withNonce {
		out.Nonce = j.Nonce
	}
	d := &out.Data
	d.ActionTypeID = j.ActionType
	d.ActionConfiguration.Configuration = j.Data.Configuration
	if d.ActionConfiguration.Configuration == nil {
		d.ActionConfiguration.Configuration = map[string]string{}
	}
	c := &d.PipelineContext
	c.PipelineName, c.Stage.Name, c.Action.Name = j.PipelineName, j.StageName, j.ActionName
	c.Action.ActionExecutionID, c.PipelineArn, c.PipelineExecutionID = j.ActionRunID, j.Data.PipelineArn, j.ExecutionID
	d.InputArtifacts = []jobArtifact{}
	for _, a := range j.Data.InputArtifacts {
		d.InputArtifacts = append(d.InputArtifacts, s.jobArtifact(a))
	}
	d.OutputArtifacts = []jobArtifact{}
	for _, a := range j.Data.OutputArtifacts {
		d.OutputArtifacts = append(d.OutputArtifacts, s.jobArtifact(a.ArtifactRef))
	}
	if s.Issuer != nil {
		d.ArtifactCredentials = s.Issuer.For(j.ID, j.Nonce)
	}
	d.ContinuationToken = j.Data.ContinuationToken
	return out
}

func (s *Server) jobArtifact(a sluice.ArtifactRef) jobArtifact {
	bucket, key := s.Locate(a.Key)
	return jobArtifact{Name: a.Name, Revision: a.Revision,
		Location: artifactLocation{Type: "S3", S3Location: s3ArtifactLocation{BucketName: bucket, ObjectKey: key}}}
}

// workerWire adds what `sluice worker` needs to the model's job.
func (s *Server) workerWire(j *sluice.Job) jobOut {
	out := s.jobWire(j, true)
	out.Sluice = &workerJob{ActionRunID: j.ActionRunID, ExecutionID: j.ExecutionID, PipelineName: j.PipelineName,
		StageName: j.StageName, ActionName: j.ActionName, Data: j.Data, LeaseSeconds: int(s.Queue.Lease.Seconds())}
	if !j.Deadline.IsZero() {
		out.Sluice.Deadline = ts(j.Deadline)
	}
	return out
}
