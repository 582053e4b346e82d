package service

import (
	"context"

	"sluice"
)

// rollbackChoices bounds the targets the console offers for one stage: people roll back to
// a recent good run, and the API lists the rest.
const rollbackChoices = 10

// RollbackTargets lists the newest executions the stage could be rolled back to: those that
// succeeded in it (ListPipelineExecutions with succeededInStage), less rollbacks, which are
// never targets. Authorized as ListPipelineExecutions. RollbackStage still decides: a
// target of an earlier pipeline version, or a stage some execution is in, is refused there.
func (s *Service) RollbackTargets(ctx context.Context, c sluice.Caller, pipeline, stage string) ([]*sluice.Execution, error) {
	runs, _, err := s.ListExecutions(ctx, c, pipeline, sluice.ExecutionFilter{Page: sluice.Page{Limit: rollbackChoices}, SucceededInStage: stage})
	if err != nil {
		return nil, err
	}
	out := runs[:0]
	for _, e := range runs {
		if e.ExecutionType() != sluice.ExecutionRollback {
			out = append(out, e)
		}
	}
	return out, nil
}
