package api

import (
	"context"

	"sluice"
)

func (s *Server) tagResource(ctx context.Context, c *call) (any, error) {
	var in struct {
		ResourceArn string `json:"resourceArn"`
		Tags        []tag  `json:"tags"`
	}
	if err := decode(c.body, &in); err != nil {
		return nil, err
	}
	var m members
	m.need("resourceArn", in.ResourceArn, rule{})
	if in.Tags == nil {
		m.null("tags")
	}
	if err := m.err(); err != nil {
		return nil, err
	}
	return nil, s.Service.TagResource(ctx, c.caller, in.ResourceArn, coreTags(in.Tags))
}

func (s *Server) untagResource(ctx context.Context, c *call) (any, error) {
	var in struct {
		ResourceArn string   `json:"resourceArn"`
		TagKeys     []string `json:"tagKeys"`
	}
	if err := decode(c.body, &in); err != nil {
		return nil, err
	}
	var m members
	m.need("resourceArn", in.ResourceArn, rule{})
	if in.TagKeys == nil {
		m.null("tagKeys")
	}
	if err := m.err(); err != nil {
		return nil, err
	}
	return nil, s.Service.UntagResource(ctx, c.caller, in.ResourceArn, in.TagKeys)
}

func (s *Server) listTags(ctx context.Context, c *call) (any, error) {
	var in struct {
		ResourceArn string `json:"resourceArn"`
		NextToken   string `json:"nextToken"`
		MaxResults  *int   `json:"maxResults"`
	}
	if err := decode(c.body, &in); err != nil {
		return nil, err
	}
	var m members
	m.need("resourceArn", in.ResourceArn, rule{})
	m.opt("nextToken", in.NextToken, nextTokenRule)
	m.between("maxResults", in.MaxResults, 1, 100)
	if err := m.err(); err != nil {
		return nil, err
	}
	tags, next, err := s.Service.ListTags(ctx, c.caller, in.ResourceArn, sluice.Page{Token: in.NextToken, Limit: pageSize(in.MaxResults)})
	if err != nil {
		return nil, err
	}
	return struct {
		Tags      []tag  `json:"tags"`
		NextToken string `json:"nextToken,omitempty"`
	}{wireTags(tags), next}, nil
}
