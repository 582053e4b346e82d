package api

import (
	"context"

	"sluice/service"
)

type transitionInput struct {
	PipelineName   string `json:"pipelineName"`
	StageName      string `json:"stageName"`
	TransitionType string `json:"transitionType"`
	Reason         string `json:"reason"`
}

func (s *Server) enableTransition(ctx context.Context, c *call) (any, error) {
	return nil, s.setTransition(ctx, c, true)
}

func (s *Server) disableTransition(ctx context.Context, c *call) (any, error) {
	return nil, s.setTransition(ctx, c, false)
}

func (s *Server) setTransition(ctx context.Context, c *call, enabled bool) error {
	var in transitionInput
	if err := decode(c.body, &in); err != nil {
		return err
	}
	var m members
	m.need("pipelineName", in.PipelineName, nameRule)
	m.need("stageName", in.StageName, nameRule)
	m.need("transitionType", in.TransitionType, transitionRule)
	if !enabled {
		m.need("reason", in.Reason, disabledRule)
	}
	if err := m.err(); err != nil {
		return err
	}
	return s.Service.SetTransition(ctx, c.caller, service.TransitionParams{Pipeline: in.PipelineName, Stage: in.StageName,
		Outbound: in.TransitionType != "Inbound", Enabled: enabled, Reason: in.Reason})
}
