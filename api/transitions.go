package api

import (
	"context"

	"sluice"
	"sluice/engine"
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
	stage, err := s.inboundStage(ctx, in)
	if err != nil {
		return err
	}
	return s.Engine.SetTransition(ctx, in.PipelineName, engine.SetTransition{Stage: stage, Enabled: enabled, Reason: in.Reason, By: c.principal})
}

// inboundStage names the stage whose inbound transition the call changes: an Outbound
// transition of stage N is the Inbound transition of stage N+1.
func (s *Server) inboundStage(ctx context.Context, in transitionInput) (string, error) {
	if in.TransitionType == "Inbound" {
		return in.StageName, nil
	}
	p, err := s.Store.GetPipeline(ctx, in.PipelineName, 0)
	if err != nil {
		return "", err
	}
	_, idx := p.Declaration.Stage(in.StageName)
	switch {
	case idx < 0:
		return "", sluice.Errorf(sluice.ENotFound, "Stage", "Stage %s was not found in pipeline %s.", in.StageName, in.PipelineName)
	case idx == len(p.Declaration.Stages)-1:
		return "", sluice.Errorf(sluice.EInvalid, "", "Stage %s is the last stage: it has no outbound transition.", in.StageName)
	}
	return p.Declaration.Stages[idx+1].Name, nil
}
