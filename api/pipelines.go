package api

import (
	"context"

	"sluice"
	"sluice/engine"
)

type pipelineMetadata struct {
	PipelineArn string `json:"pipelineArn"`
	Created     *epoch `json:"created,omitempty"`
	Updated     *epoch `json:"updated,omitempty"`
}

func (s *Server) masked(d sluice.PipelineDeclaration) sluice.PipelineDeclaration {
	return engine.MaskSecrets(d, s.Engine.Lookup)
}

func (s *Server) createPipeline(ctx context.Context, c *call) (any, error) {
	var in struct {
		Pipeline *sluice.PipelineDeclaration `json:"pipeline"`
		Tags     []tag                       `json:"tags"`
	}
	if err := decode(c.body, &in); err != nil {
		return nil, err
	}
	if in.Pipeline == nil {
		return nil, required("pipeline", "")
	}
	if err := checkTags(in.Tags); err != nil {
		return nil, err
	}
	p, err := s.Engine.CreatePipeline(ctx, *in.Pipeline, tagMap(in.Tags), c.principal)
	if err != nil {
		return nil, err
	}
	return struct {
		Pipeline sluice.PipelineDeclaration `json:"pipeline"`
		Tags     []tag                      `json:"tags,omitempty"`
	}{s.masked(p.Declaration), in.Tags}, nil
}

func (s *Server) getPipeline(ctx context.Context, c *call) (any, error) {
	var in struct {
		Name    string `json:"name"`
		Version *int   `json:"version"`
	}
	if err := decode(c.body, &in); err != nil {
		return nil, err
	}
	if err := required("name", in.Name); err != nil {
		return nil, err
	}
	version := 0 // the current one
	if in.Version != nil {
		if *in.Version < 1 {
			return nil, sluice.Errorf(sluice.EInvalid, "", "1 validation error detected: Value '%d' at 'version' failed to satisfy constraint: Member must have value greater than or equal to 1", *in.Version)
		}
		version = *in.Version
	}
	p, err := s.Store.GetPipeline(ctx, in.Name, version)
	if err != nil {
		return nil, err
	}
	return struct {
		Pipeline sluice.PipelineDeclaration `json:"pipeline"`
		Metadata pipelineMetadata           `json:"metadata"`
	}{s.masked(p.Declaration), pipelineMetadata{p.ARN, ts(p.Created), ts(p.Updated)}}, nil
}

func (s *Server) updatePipeline(ctx context.Context, c *call) (any, error) {
	var in struct {
		Pipeline *sluice.PipelineDeclaration `json:"pipeline"`
	}
	if err := decode(c.body, &in); err != nil {
		return nil, err
	}
	if in.Pipeline == nil {
		return nil, required("pipeline", "")
	}
	p, err := s.Engine.UpdatePipeline(ctx, *in.Pipeline)
	if err != nil {
		return nil, err
	}
	return struct {
		Pipeline sluice.PipelineDeclaration `json:"pipeline"`
	}{s.masked(p.Declaration)}, nil
}

func (s *Server) deletePipeline(ctx context.Context, c *call) (any, error) {
	var in struct {
		Name string `json:"name"`
	}
	if err := decode(c.body, &in); err != nil {
		return nil, err
	}
	if err := required("name", in.Name); err != nil {
		return nil, err
	}
	return nil, s.Engine.DeletePipeline(ctx, in.Name)
}

type pipelineSummary struct {
	Name          string `json:"name"`
	Version       int    `json:"version"`
	PipelineType  string `json:"pipelineType"`
	ExecutionMode string `json:"executionMode"`
	Created       *epoch `json:"created,omitempty"`
	Updated       *epoch `json:"updated,omitempty"`
}

func (s *Server) listPipelines(ctx context.Context, c *call) (any, error) {
	var in struct {
		NextToken  string `json:"nextToken"`
		MaxResults *int   `json:"maxResults"`
	}
	if err := decode(c.body, &in); err != nil {
		return nil, err
	}
	limit, err := maxResults(in.MaxResults, 1000)
	if err != nil {
		return nil, err
	}
	ps, next, err := s.Store.ListPipelines(ctx, sluice.Page{Token: in.NextToken, Limit: limit})
	if err != nil {
		return nil, err
	}
	out := struct {
		Pipelines []pipelineSummary `json:"pipelines"`
		NextToken string            `json:"nextToken,omitempty"`
	}{Pipelines: []pipelineSummary{}, NextToken: next}
	for _, p := range ps {
		d := p.Declaration
		out.Pipelines = append(out.Pipelines, pipelineSummary{d.Name, d.Version, d.Type(), string(d.Mode()), ts(p.Created), ts(p.Updated)})
	}
	return out, nil
}

// maxResults checks a maxResults member against 1..limit and returns the page size to ask
// the store for (0, its default, when the member is absent).
func maxResults(n *int, limit int) (int, error) {
	switch {
	case n == nil:
		return 0, nil
	case *n < 1 || *n > limit:
		return 0, sluice.Errorf(sluice.EInvalid, "", "1 validation error detected: Value '%d' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and %d", *n, limit)
	}
	return *n, nil
}
