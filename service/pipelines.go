package service

import (
	"context"
	"slices"

	"sluice"
	"sluice/engine"
)

// masked is p with its secret configuration values masked: no surface shows them.
func (s *Service) masked(p *sluice.Pipeline) *sluice.Pipeline {
	out := *p
	out.Declaration = engine.MaskSecrets(p.Declaration, s.Lookup)
	return &out
}

// CreatePipeline validates and stores a new pipeline with its tags and starts its first
// execution; the answer's secrets are masked.
func (s *Service) CreatePipeline(ctx context.Context, c sluice.Caller, decl sluice.PipelineDeclaration, tags []sluice.Tag) (*sluice.Pipeline, error) {
	if err := s.allowDeclaration(ctx, c, actCreatePipeline, decl); err != nil {
		return nil, err
	}
	if err := CheckTags(tags); err != nil {
		return nil, err
	}
	p, err := s.Engine.CreatePipeline(ctx, decl, tagMap(tags), c.Principal)
	if err != nil {
		return nil, err
	}
	return s.masked(p), nil
}

// allowDeclaration asks for action on the declaration's pipeline, then, as CodePipeline
// does, for codestar-connections:PassConnection on each connection its actions use: a
// pipeline fetches with the connection's credentials.
func (s *Service) allowDeclaration(ctx context.Context, c sluice.Caller, action string, decl sluice.PipelineDeclaration) error {
	if err := s.allow(ctx, c, action, s.pipelineARN(decl.Name)); err != nil {
		return err
	}
	var conns []string
	for _, st := range decl.Stages {
		for _, a := range st.Actions {
			if arn := a.Configuration["ConnectionArn"]; arn != "" && !slices.Contains(conns, arn) {
				conns = append(conns, arn)
			}
		}
	}
	return s.allowAll(ctx, c, actPassConnection, conns...)
}

// GetPipeline returns version (0: the current one) of a pipeline, its secrets masked.
func (s *Service) GetPipeline(ctx context.Context, c sluice.Caller, name string, version int) (*sluice.Pipeline, error) {
	if err := s.allow(ctx, c, actGetPipeline, s.pipelineARN(name)); err != nil {
		return nil, err
	}
	return s.pipeline(ctx, name, version)
}

// pipeline is GetPipeline for operations that were allowed on their own action.
func (s *Service) pipeline(ctx context.Context, name string, version int) (*sluice.Pipeline, error) {
	p, err := s.Store.GetPipeline(ctx, name, version)
	if err != nil {
		return nil, err
	}
	return s.masked(p), nil
}

// UpdatePipeline stores decl as the pipeline's next version; the answer's secrets are masked.
func (s *Service) UpdatePipeline(ctx context.Context, c sluice.Caller, decl sluice.PipelineDeclaration) (*sluice.Pipeline, error) {
	if err := s.allowDeclaration(ctx, c, actUpdatePipeline, decl); err != nil {
		return nil, err
	}
	p, err := s.Engine.UpdatePipeline(ctx, decl, c.Principal)
	if err != nil {
		return nil, err
	}
	return s.masked(p), nil
}

// DeletePipeline removes a pipeline with its executions and tags.
func (s *Service) DeletePipeline(ctx context.Context, c sluice.Caller, name string) error {
	if err := s.allow(ctx, c, actDeletePipeline, s.pipelineARN(name)); err != nil {
		return err
	}
	return s.Engine.DeletePipeline(ctx, name)
}

// ListPipelines returns one page of pipelines, their secrets masked.
func (s *Service) ListPipelines(ctx context.Context, c sluice.Caller, page sluice.Page) ([]*sluice.Pipeline, string, error) {
	if err := s.allow(ctx, c, actListPipelines, anyResource); err != nil {
		return nil, "", err
	}
	ps, next, err := s.Store.ListPipelines(ctx, page)
	if err != nil {
		return nil, "", err
	}
	for i, p := range ps {
		ps[i] = s.masked(p)
	}
	return ps, next, nil
}
