package service

import (
	"context"

	"sluice"
)

// DeployTargetsParams is ListDeployActionExecutionTargets' input: Pipeline may be "", the
// action execution then names it.
type DeployTargetsParams struct {
	Pipeline    string
	ActionRunID string
	Statuses    []string // TARGET_STATUS filter values; empty keeps every target
	Page        sluice.Page
}

// ListDeployTargets lists one page of the targets of a deploy action execution, asked on
// its pipeline: ENotFound/Pipeline for a named pipeline that does not exist, then
// ENotFound/ActionExecution for an action execution that is not the pipeline's (or does
// not exist). An action execution without targets has none.
func (s *Service) ListDeployTargets(ctx context.Context, c sluice.Caller, p DeployTargetsParams) ([]*sluice.DeployTarget, string, error) {
	pipeline := p.Pipeline
	if pipeline == "" {
		name, err := s.Store.ActionRunPipeline(ctx, p.ActionRunID)
		if err != nil {
			// the caller may ask nothing of a run it cannot name a pipeline of: refuse
			// it as any caller without the pipeline's access is refused.
			if aerr := s.allow(ctx, c, actListDeployTargets, anyResource); aerr != nil {
				return nil, "", aerr
			}
			return nil, "", err
		}
		pipeline = name
	}
	if err := s.allow(ctx, c, actListDeployTargets, s.pipelineARN(pipeline)); err != nil {
		return nil, "", err
	}
	if p.Pipeline != "" {
		if _, err := s.Store.GetPipeline(ctx, pipeline, 0); err != nil {
			return nil, "", err
		}
		if _, err := s.Store.GetActionRun(ctx, pipeline, p.ActionRunID); err != nil {
			return nil, "", err
		}
	}
	return s.Store.ListDeployTargets(ctx, sluice.DeployTargetFilter{Page: p.Page, ActionRunID: p.ActionRunID, Statuses: p.Statuses})
}
