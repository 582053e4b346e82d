package service

import (
	"context"

	"sluice"
)

// RollbackParams rolls a stage back to an earlier execution's run of it (RollbackStage).
type RollbackParams struct {
	Pipeline string
	Stage    string
	Target   string // the execution whose revisions, variables and artifacts the stage runs again with
}

// RollbackStage starts a ROLLBACK execution of the stage and returns its id. The pipeline
// is looked up first (ENotFound/Pipeline), then the stage in its current version (ENotFound/
// Stage), then the target among its executions (ENotFound/PipelineExecution); whether the
// target can be rolled back to is the engine's to say (ENoRollback, EOutdated, EConflict).
func (s *Service) RollbackStage(ctx context.Context, c sluice.Caller, p RollbackParams) (string, error) {
	if err := s.allow(ctx, c, actRollbackStage, s.stageARN(p.Pipeline, p.Stage)); err != nil {
		return "", err
	}
	if err := s.stageOf(ctx, p.Pipeline, 0, p.Stage); err != nil {
		return "", err
	}
	if _, err := s.Store.GetExecution(ctx, p.Pipeline, p.Target); err != nil {
		return "", err
	}
	return s.Engine.RollbackStage(ctx, p.Pipeline, p.Stage, p.Target, c.Principal)
}
