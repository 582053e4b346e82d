package worker

import (
	"context"
	"errors"
	"strings"
	"time"

	"sluice"
	"sluice/client"
)

// pollTarget is the X-Amz-Target of Sluice's worker poll (api.pollForWorkerJobs).
const pollTarget = "SluiceWorker_20261129.PollForWorkerJobs"

// polledJob is one job of a PollForWorkerJobs answer: the model's job (id, nonce, data) and
// the whole job ("sluice").
type polledJob struct {
	ID    string `json:"id"`
	Nonce string `json:"nonce"`
	Data  struct {
		InputArtifacts      []wireArtifact `json:"inputArtifacts"`
		OutputArtifacts     []wireArtifact `json:"outputArtifacts"`
		ArtifactCredentials struct {
			AccessKeyID     string `json:"accessKeyId"`
			SecretAccessKey string `json:"secretAccessKey"`
			SessionToken    string `json:"sessionToken"`
		} `json:"artifactCredentials"`
	} `json:"data"`
	Sluice struct {
		ActionRunID  string         `json:"actionRunId"`
		ExecutionID  string         `json:"executionId"`
		PipelineName string         `json:"pipelineName"`
		StageName    string         `json:"stageName"`
		ActionName   string         `json:"actionName"`
		Deadline     *float64       `json:"deadline"`
		LeaseSeconds int            `json:"leaseSeconds"`
		Data         sluice.JobData `json:"data"`
	} `json:"sluice"`
}

type wireArtifact struct {
	Name     string `json:"name"`
	Location struct {
		S3Location struct {
			BucketName string `json:"bucketName"`
			ObjectKey  string `json:"objectKey"`
		} `json:"s3Location"`
	} `json:"location"`
}

// job rebuilds the sluice.Job the server queued.
func (p *polledJob) job() *sluice.Job {
	s := p.Sluice
	j := &sluice.Job{ID: p.ID, Nonce: p.Nonce, ActionRunID: s.ActionRunID, ExecutionID: s.ExecutionID,
		PipelineName: s.PipelineName, StageName: s.StageName, ActionName: s.ActionName,
		ActionType: s.Data.ActionTypeID, Status: sluice.JobInProgress, Data: s.Data}
	if s.Deadline != nil {
		sec := *s.Deadline
		j.Deadline = time.Unix(0, int64(sec*float64(time.Second))).UTC()
	}
	return j
}

type pollRequest struct {
	ActionTypeIDs []sluice.ActionTypeID `json:"actionTypeIds"`
	Labels        []string              `json:"labels,omitempty"`
	MaxBatchSize  int                   `json:"maxBatchSize"`
	WaitSeconds   int                   `json:"waitSeconds"`
	Worker        string                `json:"worker"`
}

// authErrors are the answers to credentials the server does not accept, or whose policies do
// not let them poll (a worker key bound to other labels).
var authErrors = map[string]bool{"UnrecognizedClientException": true, "InvalidSignatureException": true,
	"MissingAuthenticationTokenException": true, "IncompleteSignatureException": true, "AccessDeniedException": true}

// AuthError is a call the server refused for its credentials: retrying will not help.
type AuthError struct{ err error }

func (e *AuthError) Error() string {
	return "the server refused the worker's credentials (check --access-key-id and --secret-access-key): " + e.err.Error()
}

func (e *AuthError) Unwrap() error { return e.err }

// poller makes the one call the official codepipeline client cannot: PollForWorkerJobs.
type poller struct{ c *client.Client }

func (p *poller) poll(ctx context.Context, in pollRequest) ([]polledJob, error) {
	var out struct {
		Jobs []polledJob `json:"jobs"`
	}
	err := p.c.Call(ctx, pollTarget, "codepipeline", in, &out)
	var api *client.APIError
	// A signature refused for the time it carries is this host's clock, not its key: it
	// may come right, so it is retried like any outage.
	if errors.As(err, &api) && authErrors[api.Type] && !strings.Contains(api.Message, "Signature expired") &&
		!strings.Contains(api.Message, "Signature not yet current") {
		return nil, &AuthError{err}
	}
	return out.Jobs, err
}
