package service

import (
	"context"

	"sluice"
	"sluice/engine"
)

// OverrideParams lets a stage past one of its conditions (OverrideStageCondition).
type OverrideParams struct {
	Pipeline    string
	Stage       string
	ExecutionID string
	Type        sluice.ConditionType // BEFORE_ENTRY or ON_SUCCESS
}

// OverrideCondition lets the execution's run of the stage past its condition of p.Type
// while that condition is being evaluated. The pipeline is looked up first (ENotFound/
// Pipeline), then the execution (ENotFound/PipelineExecution), then the stage in the version
// the execution runs (ENotFound/Stage); whether the condition can be overridden is the
// engine's to say (ENotOverridable, ENotLatest).
func (s *Service) OverrideCondition(ctx context.Context, c sluice.Caller, p OverrideParams) error {
	if err := s.allow(ctx, c, actOverrideStageCondition, s.stageARN(p.Pipeline, p.Stage)); err != nil {
		return err
	}
	if _, err := s.Store.GetPipeline(ctx, p.Pipeline, 0); err != nil {
		return err
	}
	e, err := s.Store.GetExecution(ctx, p.Pipeline, p.ExecutionID)
	if err != nil {
		return err
	}
	if err := s.stageOf(ctx, p.Pipeline, e.PipelineVersion, p.Stage); err != nil {
		return err
	}
	return s.Engine.OverrideCondition(ctx, p.Pipeline, engine.OverrideCondition{ExecutionID: p.ExecutionID, Stage: p.Stage,
		Type: p.Type, By: c.Principal})
}

// stageOf checks that version (0: the current one) of the pipeline has the stage.
func (s *Service) stageOf(ctx context.Context, pipeline string, version int, stage string) error {
	pl, err := s.Store.GetPipeline(ctx, pipeline, version)
	if err != nil {
		return err
	}
	if st, _ := pl.Declaration.Stage(stage); st == nil {
		return sluice.Errorf(sluice.ENotFound, "Stage", "Stage %s was not found in pipeline %s.", stage, pipeline)
	}
	return nil
}
