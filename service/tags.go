package service

import (
	"context"
	"sort"
	"strings"

	"sluice"
)

// CheckTags checks the tags a request gives: at most 50, keys of 1 to 128 characters not
// starting with "aws:", values of at most 256.
func CheckTags(tags []sluice.Tag) error {
	if len(tags) > sluice.MaxTags {
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

// utf16Len counts characters as the model's length limits do (UTF-16 code units).
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n++
		if r > 0xFFFF {
			n++
		}
	}
	return n
}

// tagMap is tags by key, the last of a repeated key winning (nil for none).
func tagMap(tags []sluice.Tag) map[string]string {
	if len(tags) == 0 {
		return nil
	}
	m := make(map[string]string, len(tags))
	for _, t := range tags {
		m[t.Key] = t.Value
	}
	return m
}

// TagList is tags sorted by key.
func TagList(tags map[string]string) []sluice.Tag {
	keys := make([]string, 0, len(tags))
	for k := range tags {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]sluice.Tag, 0, len(keys))
	for _, k := range keys {
		out = append(out, sluice.Tag{Key: k, Value: tags[k]})
	}
	return out
}

// taggable finds the pipeline or webhook a resource ARN names (InvalidArn when it names
// none of this server's, ENotFound when that resource does not exist).
func (s *Service) taggable(ctx context.Context, arn string) error {
	scope := s.Scope()
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

// TagResource adds tags to a pipeline or webhook, replacing the values of keys it has; the
// resource may then have at most 50.
func (s *Service) TagResource(ctx context.Context, c sluice.Caller, arn string, tags []sluice.Tag) error {
	if err := s.allow(ctx, c, actTagResource, arn); err != nil {
		return err
	}
	if err := CheckTags(tags); err != nil {
		return err
	}
	if err := s.taggable(ctx, arn); err != nil {
		return err
	}
	cur, err := s.Store.ListTags(ctx, arn)
	if err != nil {
		return err
	}
	merged := map[string]string{}
	for k, v := range cur {
		merged[k] = v
	}
	for k, v := range tagMap(tags) {
		merged[k] = v
	}
	if len(merged) > sluice.MaxTags {
		return sluice.Errorf(sluice.ELimit, "Tags", "A resource can have at most 50 tags; this would make %d.", len(merged))
	}
	return s.Store.TagResource(ctx, arn, tagMap(tags))
}

// UntagResource removes tags of a pipeline or webhook by key.
func (s *Service) UntagResource(ctx context.Context, c sluice.Caller, arn string, keys []string) error {
	if err := s.allow(ctx, c, actUntagResource, arn); err != nil {
		return err
	}
	for _, k := range keys {
		if err := checkTagKey(k); err != nil {
			return err
		}
	}
	if err := s.taggable(ctx, arn); err != nil {
		return err
	}
	return s.Store.UntagResource(ctx, arn, keys)
}

// ListTags returns one page of a pipeline's or webhook's tags, by key.
func (s *Service) ListTags(ctx context.Context, c sluice.Caller, arn string, page sluice.Page) ([]sluice.Tag, string, error) {
	if err := s.allow(ctx, c, actListTagsForResource, arn); err != nil {
		return nil, "", err
	}
	if err := s.taggable(ctx, arn); err != nil {
		return nil, "", err
	}
	tags, err := s.Store.ListTags(ctx, arn)
	if err != nil {
		return nil, "", err
	}
	return offsetPage(TagList(tags), page.Token, "tags", arn, page.Limit)
}
