// Package jobwire builds the job shapes of the CodePipeline model (Job, JobData) from a
// sluice.Job: what PollForJobs and GetJobDetails answer, and what an Invoke/AWS/Lambda
// function receives as "CodePipeline.job". Both come from here so they never drift apart.
package jobwire

import (
	"sluice"
	"sluice/jobcreds"
)

type (
	// Job is the model's Job (and JobDetails, without the nonce).
	Job struct {
		ID        string `json:"id"`
		Data      Data   `json:"data"`
		Nonce     string `json:"nonce,omitempty"`
		AccountID string `json:"accountId"`
	}
	// Data is the model's JobData. ActionTypeID and PipelineContext are nil in a Lambda
	// event, which does not carry them.
	Data struct {
		ActionTypeID        *sluice.ActionTypeID `json:"actionTypeId,omitempty"`
		ActionConfiguration struct {
			Configuration map[string]string `json:"configuration"`
		} `json:"actionConfiguration"`
		PipelineContext     *PipelineContext     `json:"pipelineContext,omitempty"`
		InputArtifacts      []Artifact           `json:"inputArtifacts"`
		OutputArtifacts     []Artifact           `json:"outputArtifacts"`
		ArtifactCredentials jobcreds.Credentials `json:"artifactCredentials"`
		ContinuationToken   string               `json:"continuationToken,omitempty"`
	}
	// PipelineContext says which action of which pipeline execution the job is for.
	PipelineContext struct {
		PipelineName string `json:"pipelineName"`
		Stage        struct {
			Name string `json:"name"`
		} `json:"stage"`
		Action struct {
			Name              string `json:"name"`
			ActionExecutionID string `json:"actionExecutionId"`
		} `json:"action"`
		PipelineArn         string `json:"pipelineArn,omitempty"`
		PipelineExecutionID string `json:"pipelineExecutionId,omitempty"`
	}
	// Artifact is an input or output artifact with its S3 location.
	Artifact struct {
		Name     string   `json:"name"`
		Revision string   `json:"revision,omitempty"`
		Location Location `json:"location"`
	}
	// Location is where an artifact is: always an S3 location.
	Location struct {
		Type       string     `json:"type"`
		S3Location S3Location `json:"s3Location"`
	}
	// S3Location is a bucket and object key of the server's S3 endpoint (or of S3 itself).
	S3Location struct {
		BucketName string `json:"bucketName"`
		ObjectKey  string `json:"objectKey"`
	}
)

// Maker builds job shapes for one server.
type Maker struct {
	Account string
	// Locate maps an artifact key to the bucket and object key a worker reads it at.
	Locate func(key string) (bucket, objectKey string)
	// Issuer makes the artifact credentials (nil: none, as in tests of other parts).
	Issuer *jobcreds.Issuer
}

// Job is j as PollForJobs (with its nonce) and GetJobDetails (without) return it, with
// artifact credentials for the job's current nonce.
func (m *Maker) Job(j *sluice.Job, withNonce bool) Job {
	out := Job{ID: j.ID, AccountID: m.Account}
	if withNonce {
		out.Nonce = j.Nonce
	}
	d := &out.Data
	t := j.ActionType
	d.ActionTypeID = &t
	d.ActionConfiguration.Configuration = j.Data.Configuration
	if d.ActionConfiguration.Configuration == nil {
		d.ActionConfiguration.Configuration = map[string]string{}
	}
	c := &PipelineContext{PipelineName: j.PipelineName, PipelineArn: j.Data.PipelineArn, PipelineExecutionID: j.ExecutionID}
	c.Stage.Name, c.Action.Name, c.Action.ActionExecutionID = j.StageName, j.ActionName, j.ActionRunID
	d.PipelineContext = c
	d.InputArtifacts = []Artifact{}
	for _, a := range j.Data.InputArtifacts {
		d.InputArtifacts = append(d.InputArtifacts, m.artifact(a))
	}
	d.OutputArtifacts = []Artifact{}
	for _, a := range j.Data.OutputArtifacts {
		d.OutputArtifacts = append(d.OutputArtifacts, m.artifact(a.ArtifactRef))
	}
	if m.Issuer != nil {
		d.ArtifactCredentials = m.Issuer.For(j.ID, j.Nonce)
	}
	d.ContinuationToken = j.Data.ContinuationToken
	return out
}

// LambdaEvent is the event an Invoke/AWS/Lambda function receives for j (SEMANTICS §9.4):
// {"CodePipeline.job": Job} without the nonce, the action type and the pipeline context,
// which Lambda's event does not carry.
func (m *Maker) LambdaEvent(j *sluice.Job) map[string]Job {
	out := m.Job(j, false)
	out.Data.ActionTypeID, out.Data.PipelineContext = nil, nil
	return map[string]Job{"CodePipeline.job": out}
}

func (m *Maker) artifact(a sluice.ArtifactRef) Artifact {
	bucket, key := m.Locate(a.Key)
	return Artifact{Name: a.Name, Revision: a.Revision,
		Location: Location{Type: "S3", S3Location: S3Location{BucketName: bucket, ObjectKey: key}}}
}
