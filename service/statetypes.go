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
// latestExecution.type and inboundExecutions' type), from the executions the state read.
func (s *Service) PipelineStateView(ctx context.Context, c sluice.Caller, pipeline string) (*PipelineStateView, error) {
	st, err := s.PipelineState(ctx, c, pipeline)
	if err != nil {
		return nil, err
	}
	v := &PipelineStateView{PipelineState: st, Types: map[string]sluice.ExecutionType{}}
	for _, e := range st.Waiting {
		v.Types[e.ID] = e.ExecutionType()
	}
	for id, e := range st.LatestExecutions {
		v.Types[id] = e.ExecutionType()
	}
	return v, nil
}
