package api

import (
	"context"

	"sluice"
	"sluice/service"
)

var conditionTypeRule = modelRule("ConditionType")

// overrideConditionInput is OverrideStageCondition's request.
type overrideConditionInput struct {
	PipelineName        string `json:"pipelineName"`
	StageName           string `json:"stageName"`
	PipelineExecutionID string `json:"pipelineExecutionId"`
	ConditionType       string `json:"conditionType"`
}

func (in *overrideConditionInput) check() error {
	var m members
	m.need("pipelineName", in.PipelineName, nameRule)
	m.need("stageName", in.StageName, nameRule)
	m.need("pipelineExecutionId", in.PipelineExecutionID, executionIDRule)
	m.need("conditionType", in.ConditionType, conditionTypeRule)
	return m.err()
}

func (s *Server) overrideCondition(ctx context.Context, c *call) (any, error) {
	var in overrideConditionInput
	if err := decode(c.body, &in); err != nil {
		return nil, err
	}
	if err := in.check(); err != nil {
		return nil, err
	}
	err := s.Service.OverrideCondition(ctx, c.caller, service.OverrideParams{Pipeline: in.PipelineName, Stage: in.StageName,
		ExecutionID: in.PipelineExecutionID, Type: sluice.ConditionType(in.ConditionType)})
	if notFound(err, "PipelineExecution") {
		// The model has no not-found exception for the execution, and an execution the
		// pipeline does not have has no condition to override.
		err = s.asModelled(err, sluice.ENotOverridable, "")
	}
	return nil, err
}

// rollbackInput is RollbackStage's request.
type rollbackInput struct {
	PipelineName              string `json:"pipelineName"`
	StageName                 string `json:"stageName"`
	TargetPipelineExecutionID string `json:"targetPipelineExecutionId"`
}

func (in *rollbackInput) check() error {
	var m members
	m.need("pipelineName", in.PipelineName, nameRule)
	m.need("stageName", in.StageName, nameRule)
	m.need("targetPipelineExecutionId", in.TargetPipelineExecutionID, executionIDRule)
	return m.err()
}

func (s *Server) rollbackStage(ctx context.Context, c *call) (any, error) {
	var in rollbackInput
	if err := decode(c.body, &in); err != nil {
		return nil, err
	}
	if err := in.check(); err != nil {
		return nil, err
	}
	id, err := s.Service.RollbackStage(ctx, c.caller, service.RollbackParams{Pipeline: in.PipelineName, Stage: in.StageName,
		Target: in.TargetPipelineExecutionID})
	if err != nil {
		return nil, err
	}
	return map[string]string{"pipelineExecutionId": id}, nil
}
