package service

import (
	"context"

	"sluice"
)

// PipelineStateView is a pipeline's state with the type (STANDARD or ROLLBACK) of every
// execution it shows: those of the latest stage runs and the waiting ones.
type PipelineStateView struct {
	*sluice.PipelineState
	Types map[string]sluice.ExecutionType // by execution id; an execution deleted meanwhile is absent
}

// PipelineStateView is PipelineState with the executions' types (GetPipelineState's
// latestExecution.type and inboundExecutions' type). The state's reader does not carry the
// latest stage runs' executions, so each distinct one is read here: a handful per pipeline.
func (s *Service) PipelineStateView(ctx context.Context, c sluice.Caller, pipeline string) (*PipelineStateView, error) {
	st, err := s.PipelineState(ctx, c, pipeline)
	if err != nil {
		return nil, err
	}
	v := &PipelineStateView{PipelineState: st, Types: map[string]sluice.ExecutionType{}}
	for _, e := range st.Waiting {
		v.Types[e.ID] = e.ExecutionType()
	}
	for _, r := range st.LatestStageRuns {
		if _, ok := v.Types[r.ExecutionID]; ok {
			continue
		}
		e, err := s.Store.GetExecution(ctx, pipeline, r.ExecutionID)
		switch {
		case sluice.IsCode(err, sluice.ENotFound):
			continue
		case err != nil:
			return nil, err
		}
		v.Types[e.ID] = e.ExecutionType()
	}
	return v, nil
}
