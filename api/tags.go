package api

import (
	"context"
	"strings"

	"sluice"
)

func checkTags(tags []tag) error {
	if len(tags) > 50 {
		return sluice.Errorf(sluice.ELimit, "Tags", "A resource can have at most 50 tags; %d were given.", len(tags))
	}
	for _, t := range tags {
		if err := checkTagKey(t.Key); err != nil {
			return err
		}
		if utf16Len(t.Value) > 256 {
			return sluice.Errorf(sluice.EInvalid, "Tags", "The value of tag %q is longer than 256 characters.", t.Key)
		}
	}
	return nil
}

func checkTagKey(k string) error {
	switch {
	case k == "" || utf16Len(k) > 128:
		return sluice.Errorf(sluice.EInvalid, "Tags", "Tag keys must be 1 to 128 characters; %q is not.", k)
	case strings.HasPrefix(strings.ToLower(k), "aws:"):
		return sluice.Errorf(sluice.EInvalid, "Tags", "Not allowed to modify system tags. System tags start with 'aws:' (tag %q).", k)
	}
	return nil
}

// pipelineForARN finds the pipeline or webhook a resource ARN names (InvalidArn when it
// names none).
func (s *Server) pipelineForARN(ctx context.Context, arn string) error {
	scope := s.Engine.Scope()
	if hook, ok := scope.ID(sluice.WebhookARN, arn); ok && hook != "" {
		_, err := s.Store.GetWebhook(ctx, hook)
		if sluice.IsCode(err, sluice.ENotFound) {
			return sluice.Errorf(sluice.ENotFound, "", "The resource %s was not found.", arn)
		}
		return err
	}
	name, ok := scope.ID(sluice.PipelineARN, arn)
	if !ok || name == "" || strings.Contains(name, "/") {
		return sluice.Errorf(sluice.EInvalid, "Arn", "The ARN %q does not name a pipeline of this server (expected %s<name>).", arn, scope.ARN(sluice.PipelineARN, ""))
	}
	if _, err := s.Store.GetPipeline(ctx, name, 0); err != nil {
		if sluice.IsCode(err, sluice.ENotFound) {
			return sluice.Errorf(sluice.ENotFound, "", "The resource %s was not found.", arn)
		}
		return err
	}
	return nil
}

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
	if err := checkTags(in.Tags); err != nil {
		return nil, err
	}
	if err := s.pipelineForARN(ctx, in.ResourceArn); err != nil {
		return nil, err
	}
	cur, err := s.Store.ListTags(ctx, in.ResourceArn)
	if err != nil {
		return nil, err
	}
	merged := map[string]string{}
	for k, v := range cur {
		merged[k] = v
	}
	for k, v := range tagMap(in.Tags) {
		merged[k] = v
	}
	if len(merged) > 50 {
		return nil, sluice.Errorf(sluice.ELimit, "Tags", "A resource can have at most 50 tags; this would make %d.", len(merged))
	}
	return nil, s.Store.TagResource(ctx, in.ResourceArn, tagMap(in.Tags))
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
	for _, k := range in.TagKeys {
		if err := checkTagKey(k); err != nil {
			return nil, err
		}
	}
	if err := s.pipelineForARN(ctx, in.ResourceArn); err != nil {
		return nil, err
	}
	return nil, s.Store.UntagResource(ctx, in.ResourceArn, in.TagKeys)
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
	if err := s.pipelineForARN(ctx, in.ResourceArn); err != nil {
		return nil, err
	}
	tags, err := s.Store.ListTags(ctx, in.ResourceArn)
	if err != nil {
		return nil, err
	}
	all := tagList(tags)
	page, next, err := offsetPage(all, in.NextToken, "tags", in.ResourceArn, pageSize(in.MaxResults))
	if err != nil {
		return nil, err
	}
	return struct {
		Tags      []tag  `json:"tags"`
		NextToken string `json:"nextToken,omitempty"`
	}{page, next}, nil
}
