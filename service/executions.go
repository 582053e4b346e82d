package service

import (
	"context"
	"time"

	"sluice"
	"sluice/engine"
)

// StartParams starts an execution by hand (StartPipelineExecution).
type StartParams struct {
	Pipeline        string
	Variables       map[string]string
	ClientToken     string
	SourceRevisions []sluice.SourceRevisionOverride
}

// StartExecution starts an execution triggered by the caller and returns its id; a repeated
// ClientToken returns the id of the execution it started before.
func (s *Service) StartExecution(ctx context.Context, c sluice.Caller, p StartParams) (string, error) {
	if err := s.allow(ctx, c, actStartPipelineExecution, s.pipelineARN(p.Pipeline)); err != nil {
		return "", err
	}
	return s.Engine.Start(ctx, engine.StartParams{Pipeline: p.Pipeline, Variables: p.Variables, ClientToken: p.ClientToken,
		Trigger: sluice.Trigger{Type: sluice.TriggerStartPipelineExecution, Detail: c.Principal}, SourceRevisions: p.SourceRevisions})
}

// StopParams stops an execution.
type StopParams struct {
	Pipeline    string
	ExecutionID string
	Abandon     bool
	Reason      string
}

// StopExecution stops an execution. The pipeline must exist (ENotFound/Pipeline); an
// execution that does not exist is one that cannot be stopped (ENotStoppable), as the model
// gives StopPipelineExecution no not-found error for executions.
func (s *Service) StopExecution(ctx context.Context, c sluice.Caller, p StopParams) error {
	if err := s.allow(ctx, c, actStopPipelineExecution, s.pipelineARN(p.Pipeline)); err != nil {
		return err
	}
	if _, err := s.Store.GetPipeline(ctx, p.Pipeline, 0); err != nil {
		return err
	}
	if _, err := s.Store.GetExecution(ctx, p.Pipeline, p.ExecutionID); sluice.IsCode(err, sluice.ENotFound) {
		return sluice.Errorf(sluice.ENotStoppable, "", "Pipeline execution %s of pipeline %s does not exist, so it cannot be stopped.", p.ExecutionID, p.Pipeline)
	} else if err != nil {
		return err
	}
	return s.Engine.Stop(ctx, p.Pipeline, p.ExecutionID, p.Abandon, p.Reason)
}

// RetryParams retries a stage of an execution.
type RetryParams struct {
	Pipeline    string
	Stage       string
	ExecutionID string
	Mode        sluice.RetryMode
}

// RetryStage retries the failed (or all) actions of a stage.
func (s *Service) RetryStage(ctx context.Context, c sluice.Caller, p RetryParams) error {
	if err := s.allow(ctx, c, actRetryStageExecution, s.stageARN(p.Pipeline, p.Stage)); err != nil {
		return err
	}
	if err := s.executionOf(ctx, p.Pipeline, p.ExecutionID); err != nil {
		return err
	}
	return s.Engine.Retry(ctx, p.Pipeline, p.Stage, p.ExecutionID, p.Mode)
}

// executionOf checks that the pipeline exists (PipelineNotFound) and then that the execution
// is one of its executions (PipelineExecutionNotFound), in that order.
func (s *Service) executionOf(ctx context.Context, pipeline, id string) error {
	if _, err := s.Store.GetPipeline(ctx, pipeline, 0); err != nil {
		return err
	}
	_, err := s.Store.GetExecution(ctx, pipeline, id)
	return err
}

// GetExecution returns an execution and the declaration of the version it runs (secrets
// masked); the pipeline is looked up first, so a missing pipeline is PipelineNotFound.
func (s *Service) GetExecution(ctx context.Context, c sluice.Caller, pipeline, id string) (*sluice.Execution, *sluice.Pipeline, error) {
	if err := s.allow(ctx, c, actGetPipelineExecution, s.pipelineARN(pipeline)); err != nil {
		return nil, nil, err
	}
	if _, err := s.Store.GetPipeline(ctx, pipeline, 0); err != nil {
		return nil, nil, err
	}
	e, err := s.Store.GetExecution(ctx, pipeline, id)
	if err != nil {
		return nil, nil, err
	}
	p, err := s.pipeline(ctx, pipeline, e.PipelineVersion)
	if err != nil {
		return nil, nil, err
	}
	return e, p, nil
}

// ListExecutions returns one page of a pipeline's executions, newest first.
func (s *Service) ListExecutions(ctx context.Context, c sluice.Caller, pipeline string, f sluice.ExecutionFilter) ([]*sluice.Execution, string, error) {
	if err := s.allow(ctx, c, actListPipelineExecutions, s.pipelineARN(pipeline)); err != nil {
		return nil, "", err
	}
	if _, err := s.Store.GetPipeline(ctx, pipeline, 0); err != nil {
		return nil, "", err
	}
	return s.Store.ListExecutions(ctx, pipeline, f)
}

// PutActionRevisionParams hands a source action a revision.
type PutActionRevisionParams struct {
	Pipeline string
	Stage    string
	Action   string
	Revision sluice.Revision
}

// PutActionRevision starts an execution with the revision when it is new, and returns
// whether it did and the execution's id.
func (s *Service) PutActionRevision(ctx context.Context, c sluice.Caller, p PutActionRevisionParams) (bool, string, error) {
	if err := s.allow(ctx, c, actPutActionRevision, s.actionARN(p.Pipeline, p.Stage, p.Action)); err != nil {
		return false, "", err
	}
	return s.Engine.PutActionRevision(ctx, p.Pipeline, p.Stage, p.Action, p.Revision,
		sluice.Trigger{Type: sluice.TriggerPutActionRevision, Detail: c.Principal})
}

// ApprovalParams answers a manual approval.
type ApprovalParams struct {
	Pipeline string
	Stage    string
	Action   string
	Token    string
	Approved bool
	Summary  string
}

// PutApprovalResult approves or rejects an open approval and returns when it was answered.
func (s *Service) PutApprovalResult(ctx context.Context, c sluice.Caller, p ApprovalParams) (time.Time, error) {
	if err := s.allow(ctx, c, actPutApprovalResult, s.actionARN(p.Pipeline, p.Stage, p.Action)); err != nil {
		return time.Time{}, err
	}
	err := s.Engine.Approve(ctx, p.Pipeline, engine.Approve{Stage: p.Stage, Action: p.Action, Token: p.Token,
		Approved: p.Approved, Summary: p.Summary, By: c.Principal})
	if err != nil {
		return time.Time{}, err
	}
	return s.Now(), nil
}
