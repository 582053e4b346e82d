package service

import (
	"context"

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
	if err := CheckTags(tags); err != nil {
		return nil, err
	}
	p, err := s.Engine.CreatePipeline(ctx, decl, tagMap(tags), c.Principal)
	if err != nil {
		return nil, err
	}
	return s.masked(p), nil
}

// GetPipeline returns version (0: the current one) of a pipeline, its secrets masked.
func (s *Service) GetPipeline(ctx context.Context, _ sluice.Caller, name string, version int) (*sluice.Pipeline, error) {
	p, err := s.Store.GetPipeline(ctx, name, version)
	if err != nil {
		return nil, err
	}
	return s.masked(p), nil
}

// UpdatePipeline stores decl as the pipeline's next version; the answer's secrets are masked.
func (s *Service) UpdatePipeline(ctx context.Context, _ sluice.Caller, decl sluice.PipelineDeclaration) (*sluice.Pipeline, error) {
	p, err := s.Engine.UpdatePipeline(ctx, decl)
	if err != nil {
		return nil, err
	}
	return s.masked(p), nil
}

// DeletePipeline removes a pipeline with its executions and tags.
func (s *Service) DeletePipeline(ctx context.Context, _ sluice.Caller, name string) error {
	return s.Engine.DeletePipeline(ctx, name)
}

// ListPipelines returns one page of pipelines, their secrets masked.
func (s *Service) ListPipelines(ctx context.Context, _ sluice.Caller, page sluice.Page) ([]*sluice.Pipeline, string, error) {
	ps, next, err := s.Store.ListPipelines(ctx, page)
	if err != nil {
		return nil, "", err
	}
	for i, p := range ps {
		ps[i] = s.masked(p)
	}
	return ps, next, nil
}
