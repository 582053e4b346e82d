package service

import (
	"context"
	"strings"

	"sluice"
)

// SNS's tag errors name these resources (api/query maps them to TagPolicy and
// TagLimitExceeded).
func snsTagErr(err error) error {
	if sluice.IsCode(err, sluice.ELimit) {
		return sluice.Errorf(sluice.ELimit, "Tags", "Could not complete request: tag quota of per resource exceeded")
	}
	if sluice.IsCode(err, sluice.EInvalid) {
		return sluice.Errorf(sluice.EInvalid, "TagPolicy", "%s", strings.TrimSpace(err.Error()))
	}
	return err
}

// taggedTopic finds the topic a tag request names (ENotFound/TagResource when absent).
func (s *Service) taggedTopic(ctx context.Context, x sluice.Executor, arn string) error {
	_, err := x.GetTopic(ctx, arn)
	if sluice.IsCode(err, sluice.ENotFound) {
		return sluice.Errorf(sluice.ENotFound, "TagResource", "Resource does not exist")
	}
	return err
}

// TagTopic adds tags to a topic, replacing the values of keys it has; it may then have at
// most 50.
func (s *Service) TagTopic(ctx context.Context, c sluice.Caller, arn string, tags []sluice.Tag) error {
	if err := CheckTags(tags); err != nil {
		return snsTagErr(err)
	}
	if err := s.allow(ctx, c, actSNSTagResource, arn); err != nil {
		return err
	}
	return s.Store.InTx(ctx, func(x sluice.Executor) error {
		if err := s.taggedTopic(ctx, x, arn); err != nil {
			return err
		}
		cur, err := x.ListTags(ctx, arn)
		if err != nil {
			return err
		}
		n := len(cur)
		for k := range tagMap(tags) {
			if _, ok := cur[k]; !ok {
				n++
			}
		}
		if n > sluice.MaxTags {
			return snsTagErr(sluice.Errorf(sluice.ELimit, "Tags", ""))
		}
		return x.TagResource(ctx, arn, tagMap(tags))
	})
}

// UntagTopic removes tags of a topic by key.
func (s *Service) UntagTopic(ctx context.Context, c sluice.Caller, arn string, keys []string) error {
	for _, k := range keys {
		if err := checkTagKey(k); err != nil {
			return snsTagErr(err)
		}
	}
	if err := s.allow(ctx, c, actSNSUntagResource, arn); err != nil {
		return err
	}
	return s.Store.InTx(ctx, func(x sluice.Executor) error {
		if err := s.taggedTopic(ctx, x, arn); err != nil {
			return err
		}
		return x.UntagResource(ctx, arn, keys)
	})
}

// TopicTags returns a topic's tags, by key.
func (s *Service) TopicTags(ctx context.Context, c sluice.Caller, arn string) ([]sluice.Tag, error) {
	if err := s.allow(ctx, c, actSNSListTagsForResource, arn); err != nil {
		return nil, err
	}
	if err := s.taggedTopic(ctx, s.Store, arn); err != nil {
		return nil, err
	}
	tags, err := s.Store.ListTags(ctx, arn)
	return TagList(tags), err
}
