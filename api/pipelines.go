package api

import (
	"context"
	"fmt"

	"sluice"
)

type pipelineMetadata struct {
	PipelineArn string `json:"pipelineArn"`
	Created     *epoch `json:"created,omitempty"`
	Updated     *epoch `json:"updated,omitempty"`
}

func (s *Server) createPipeline(ctx context.Context, c *call) (any, error) {
	var in struct {
		Pipeline *sluice.PipelineDeclaration `json:"pipeline"`
		Tags     []tag                       `json:"tags"`
	}
	if err := declarationCall(c, &in, &in.Pipeline); err != nil {
		return nil, err
	}
	p, err := s.Service.CreatePipeline(ctx, c.caller, *in.Pipeline, coreTags(in.Tags))
	if err != nil {
		return nil, err
	}
	out := struct {
		Pipeline pipelineOut `json:"pipeline"`
		Tags     *[]tag      `json:"tags,omitempty"`
	}{Pipeline: wireDeclaration(p.Declaration)}
	if in.Tags != nil { // given, even empty: AWS answers the tags it was given
		out.Tags = &in.Tags
	}
	return out, nil
}

func (s *Server) getPipeline(ctx context.Context, c *call) (any, error) {
	var in struct {
		Name    string `json:"name"`
		Version *int   `json:"version"`
	}
	if err := decode(c.body, &in); err != nil {
		return nil, err
	}
	var m members
	m.need("name", in.Name, nameRule)
	version := 0 // the current one
	if in.Version != nil {
		if *in.Version < 1 {
			m.fail(fmt.Sprintf("'%d'", *in.Version), "version", "Member must have value greater than or equal to 1")
		}
		version = *in.Version
	}
	if err := m.err(); err != nil {
		return nil, err
	}
	p, err := s.Service.GetPipeline(ctx, c.caller, in.Name, version)
	if err != nil {
		return nil, err
	}
	return struct {
		Pipeline pipelineOut      `json:"pipeline"`
		Metadata pipelineMetadata `json:"metadata"`
	}{wireDeclaration(p.Declaration), pipelineMetadata{p.ARN, ts(p.Created), ts(p.Updated)}}, nil
}

func (s *Server) updatePipeline(ctx context.Context, c *call) (any, error) {
	var in struct {
		Pipeline *sluice.PipelineDeclaration `json:"pipeline"`
	}
	if err := declarationCall(c, &in, &in.Pipeline); err != nil {
		return nil, err
	}
	p, err := s.Service.UpdatePipeline(ctx, c.caller, *in.Pipeline)
	if err != nil {
		// UpdatePipeline's model has no not-found exception: a pipeline that does not exist
		// is a declaration the service cannot take (ValidationException, AWS's message).
		return nil, s.asModelled(err, sluice.EInvalid, "")
	}
	return struct {
		Pipeline pipelineOut `json:"pipeline"`
	}{wireDeclaration(p.Declaration)}, nil
}

func (s *Server) deletePipeline(ctx context.Context, c *call) (any, error) {
	name, err := nameCall(c, nameRule)
	if err != nil {
		return nil, err
	}
	return nil, s.Service.DeletePipeline(ctx, c.caller, name)
}

type pipelineSummary struct {
	Name          string `json:"name"`
	Version       int    `json:"version"`
	PipelineType  string `json:"pipelineType"`
	ExecutionMode string `json:"executionMode"`
	Created       *epoch `json:"created,omitempty"`
	Updated       *epoch `json:"updated,omitempty"`
}

// pageCall reads a list operation whose only members are nextToken and maxResults (at most
// max).
func pageCall(c *call, max int) (sluice.Page, error) {
	var in struct {
		NextToken  string `json:"nextToken"`
		MaxResults *int   `json:"maxResults"`
	}
	if err := decode(c.body, &in); err != nil {
		return sluice.Page{}, err
	}
	var m members
	m.opt("nextToken", in.NextToken, nextTokenRule)
	m.between("maxResults", in.MaxResults, 1, max)
	return sluice.Page{Token: in.NextToken, Limit: pageSize(in.MaxResults)}, m.err()
}

func (s *Server) listPipelines(ctx context.Context, c *call) (any, error) {
	page, err := pageCall(c, 1000)
	if err != nil {
		return nil, err
	}
	ps, next, err := s.Service.ListPipelines(ctx, c.caller, page)
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

// pageSize is the page size a checked maxResults member asks the store for (0, its default,
// when the member is absent).
func pageSize(n *int) int {
	if n == nil {
		return 0
	}
	return *n
}
