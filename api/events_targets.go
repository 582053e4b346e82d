package api

import (
	"context"
	"fmt"
	"time"

	"sluice"
	"sluice/service"
)

// targetIn is the model's Target: the members Sluice acts on. Members for AWS services
// Sluice does not have (ECS, Kinesis, SQS, ...) are read and ignored.
type targetIn struct {
	ID               string `json:"Id"`
	Arn              string `json:"Arn"`
	RoleArn          string `json:"RoleArn,omitempty"`
	Input            string `json:"Input,omitempty"`
	InputPath        string `json:"InputPath,omitempty"`
	InputTransformer *struct {
		InputPathsMap map[string]string `json:"InputPathsMap,omitempty"`
		InputTemplate string            `json:"InputTemplate"`
	} `json:"InputTransformer,omitempty"`
	RetryPolicy *struct {
		MaximumRetryAttempts     *int `json:"MaximumRetryAttempts,omitempty"`
		MaximumEventAgeInSeconds *int `json:"MaximumEventAgeInSeconds,omitempty"`
	} `json:"RetryPolicy,omitempty"`
}

func (t *targetIn) check(m *members, path string) {
	m.need(path+".Id", t.ID, targetIDRule)
	m.need(path+".Arn", t.Arn, targetARNRule)
	m.opt(path+".RoleArn", t.RoleArn, roleARNRule)
	m.opt(path+".Input", t.Input, targetInputRule)
	m.opt(path+".InputPath", t.InputPath, inputPathRule)
	if tr := t.InputTransformer; tr != nil {
		m.need(path+".InputTransformer.InputTemplate", tr.InputTemplate, templateRule)
	}
	if rp := t.RetryPolicy; rp != nil {
		m.between(path+".RetryPolicy.MaximumRetryAttempts", rp.MaximumRetryAttempts, 0, 185)
		m.between(path+".RetryPolicy.MaximumEventAgeInSeconds", rp.MaximumEventAgeInSeconds, 60, 86400)
	}
}

func (t *targetIn) core() *sluice.EventTarget {
	out := &sluice.EventTarget{ID: t.ID, ARN: t.Arn, RoleARN: t.RoleArn, Input: t.Input, InputPath: t.InputPath}
	if tr := t.InputTransformer; tr != nil {
		out.InputTransformer = &sluice.InputTransformer{PathsMap: tr.InputPathsMap, Template: tr.InputTemplate}
	}
	if rp := t.RetryPolicy; rp != nil {
		out.MaxRetries, out.MaxEventAge = rp.MaximumRetryAttempts, rp.MaximumEventAgeInSeconds
	}
	return out
}

func targetOut(t *sluice.EventTarget) targetIn {
	out := targetIn{ID: t.ID, Arn: t.ARN, RoleArn: t.RoleARN, Input: t.Input, InputPath: t.InputPath}
	if tr := t.InputTransformer; tr != nil {
		out.InputTransformer = &struct {
			InputPathsMap map[string]string `json:"InputPathsMap,omitempty"`
			InputTemplate string            `json:"InputTemplate"`
		}{tr.PathsMap, tr.Template}
	}
	if t.MaxRetries != nil || t.MaxEventAge != nil {
		out.RetryPolicy = &struct {
			MaximumRetryAttempts     *int `json:"MaximumRetryAttempts,omitempty"`
			MaximumEventAgeInSeconds *int `json:"MaximumEventAgeInSeconds,omitempty"`
		}{t.MaxRetries, t.MaxEventAge}
	}
	return out
}

type failedEntry struct {
	TargetID     string `json:"TargetId"`
	ErrorCode    string `json:"ErrorCode"`
	ErrorMessage string `json:"ErrorMessage"`
}

type failedEntries struct {
	FailedEntryCount int           `json:"FailedEntryCount"`
	FailedEntries    []failedEntry `json:"FailedEntries"`
}

func failures(fs []service.TargetFailure) failedEntries {
	out := failedEntries{FailedEntryCount: len(fs), FailedEntries: []failedEntry{}}
	for _, f := range fs {
		out.FailedEntries = append(out.FailedEntries, failedEntry{f.TargetID, f.Code, f.Message})
	}
	return out
}

func (s *Server) putTargets(ctx context.Context, c *call) (any, error) {
	var in struct {
		Rule         string     `json:"Rule"`
		EventBusName string     `json:"EventBusName"`
		Targets      []targetIn `json:"Targets"`
	}
	if err := decode(c.body, &in); err != nil {
		return nil, err
	}
	var m members
	m.need("Rule", in.Rule, ruleNameRule)
	m.opt("EventBusName", in.EventBusName, busRule)
	if len(in.Targets) == 0 {
		m.fail("", "Targets", "Member must have length greater than or equal to 1")
	}
	m.atMost("Targets", len(in.Targets), 100)
	ts := make([]*sluice.EventTarget, 0, len(in.Targets))
	for i := range in.Targets {
		in.Targets[i].check(&m, fmt.Sprintf("Targets.%d.member", i+1))
		ts = append(ts, in.Targets[i].core())
	}
	if err := m.err(); err != nil {
		return nil, err
	}
	failed, err := s.Service.PutTargets(ctx, c.caller, in.Rule, in.EventBusName, ts)
	if err != nil {
		return nil, err
	}
	return failures(failed), nil
}

func (s *Server) removeTargets(ctx context.Context, c *call) (any, error) {
	var in struct {
		Rule         string   `json:"Rule"`
		EventBusName string   `json:"EventBusName"`
		IDs          []string `json:"Ids"`
		Force        bool     `json:"Force"`
	}
	if err := decode(c.body, &in); err != nil {
		return nil, err
	}
	var m members
	m.need("Rule", in.Rule, ruleNameRule)
	m.opt("EventBusName", in.EventBusName, busRule)
	if len(in.IDs) == 0 {
		m.fail("", "Ids", "Member must have length greater than or equal to 1")
	}
	m.atMost("Ids", len(in.IDs), 100)
	for i, id := range in.IDs {
		m.need(fmt.Sprintf("Ids.%d.member", i+1), id, targetIDRule)
	}
	if err := m.err(); err != nil {
		return nil, err
	}
	if err := s.Service.RemoveTargets(ctx, c.caller, in.Rule, in.EventBusName, in.IDs); err != nil {
		return nil, err
	}
	return failures(nil), nil
}

func (s *Server) listTargetsByRule(ctx context.Context, c *call) (any, error) {
	var in struct {
		Rule string `json:"Rule"`
		busPage
	}
	if err := decode(c.body, &in); err != nil {
		return nil, err
	}
	var m members
	m.need("Rule", in.Rule, ruleNameRule)
	in.check(&m)
	if err := m.err(); err != nil {
		return nil, err
	}
	ts, next, err := s.Service.ListTargetsByRule(ctx, c.caller, in.Rule, in.EventBusName, in.page())
	if err != nil {
		return nil, err
	}
	out := struct {
		Targets   []targetIn `json:"Targets"`
		NextToken string     `json:"NextToken,omitempty"`
	}{Targets: []targetIn{}, NextToken: next}
	for _, t := range ts {
		out.Targets = append(out.Targets, targetOut(t))
	}
	return out, nil
}

// maxPutEventsSize is PutEvents' limit on a request's entries (256 KB).
const maxPutEventsSize = 256 * 1024

func (s *Server) putEvents(ctx context.Context, c *call) (any, error) {
	var in struct {
		Entries []struct {
			Time         *epoch   `json:"Time"`
			Source       string   `json:"Source"`
			Resources    []string `json:"Resources"`
			DetailType   string   `json:"DetailType"`
			Detail       string   `json:"Detail"`
			EventBusName string   `json:"EventBusName"`
		} `json:"Entries"`
	}
	if err := decode(c.body, &in); err != nil {
		return nil, err
	}
	var m members
	if len(in.Entries) == 0 {
		m.fail("", "Entries", "Member must have length greater than or equal to 1")
	}
	m.atMost("Entries", len(in.Entries), 10)
	if len(c.body) > maxPutEventsSize+4096 {
		m.fail("", "Entries", "Total size of the entries in the request is over the limit.")
	}
	if err := m.err(); err != nil {
		return nil, err
	}
	entries := make([]service.PutEventsEntry, 0, len(in.Entries))
	for _, e := range in.Entries {
		entry := service.PutEventsEntry{Source: e.Source, DetailType: e.DetailType, Detail: e.Detail, EventBus: e.EventBusName,
			Resources: e.Resources}
		if e.Time != nil {
			entry.Time = time.Time(*e.Time)
		}
		entries = append(entries, entry)
	}
	results, err := s.Service.PutEvents(ctx, c.caller, entries)
	if err != nil {
		return nil, err
	}
	type resultOut struct {
		EventID      string `json:"EventId,omitempty"`
		ErrorCode    string `json:"ErrorCode,omitempty"`
		ErrorMessage string `json:"ErrorMessage,omitempty"`
	}
	out := struct {
		FailedEntryCount int         `json:"FailedEntryCount"`
		Entries          []resultOut `json:"Entries"`
	}{Entries: []resultOut{}}
	for _, r := range results {
		if r.ErrorCode != "" {
			out.FailedEntryCount++
		}
		out.Entries = append(out.Entries, resultOut(r))
	}
	return out, nil
}

func (s *Server) tagRule(ctx context.Context, c *call) (any, error) {
	var in struct {
		ResourceARN string     `json:"ResourceARN"`
		Tags        []eventTag `json:"Tags"`
	}
	if err := decode(c.body, &in); err != nil {
		return nil, err
	}
	var m members
	m.need("ResourceARN", in.ResourceARN, ruleARNRule)
	if in.Tags == nil {
		m.null("Tags")
	}
	if err := m.err(); err != nil {
		return nil, err
	}
	tags := make([]sluice.Tag, 0, len(in.Tags))
	for _, t := range in.Tags {
		tags = append(tags, sluice.Tag(t))
	}
	return struct{}{}, s.Service.TagRule(ctx, c.caller, in.ResourceARN, tags)
}

func (s *Server) untagRule(ctx context.Context, c *call) (any, error) {
	var in struct {
		ResourceARN string   `json:"ResourceARN"`
		TagKeys     []string `json:"TagKeys"`
	}
	if err := decode(c.body, &in); err != nil {
		return nil, err
	}
	var m members
	m.need("ResourceARN", in.ResourceARN, ruleARNRule)
	if in.TagKeys == nil {
		m.null("TagKeys")
	}
	if err := m.err(); err != nil {
		return nil, err
	}
	return struct{}{}, s.Service.UntagRule(ctx, c.caller, in.ResourceARN, in.TagKeys)
}

func (s *Server) listRuleTags(ctx context.Context, c *call) (any, error) {
	var in struct {
		ResourceARN string `json:"ResourceARN"`
	}
	if err := decode(c.body, &in); err != nil {
		return nil, err
	}
	var m members
	m.need("ResourceARN", in.ResourceARN, ruleARNRule)
	if err := m.err(); err != nil {
		return nil, err
	}
	tags, err := s.Service.RuleTags(ctx, c.caller, in.ResourceARN)
	if err != nil {
		return nil, err
	}
	out := struct {
		Tags []eventTag `json:"Tags"`
	}{Tags: []eventTag{}}
	for _, t := range tags {
		out.Tags = append(out.Tags, eventTag(t))
	}
	return out, nil
}
