package service

import (
	"context"

	"sluice"
)

// RuleRunsParams narrows ListRuleRuns.
type RuleRunsParams struct {
	Pipeline    string
	ExecutionID string // "" for every execution
	OnlyLatest  bool   // only the latest evaluation of each rule (ExecutionID must be set)
	Page        sluice.Page
}

// ListRuleRuns lists a pipeline's rule evaluations, newest first (ListRuleExecutions). The
// pipeline is looked up first, then the execution the filter names. A rule run carries its
// own configuration, and no rule type has secret properties, so nothing is masked.
func (s *Service) ListRuleRuns(ctx context.Context, c sluice.Caller, p RuleRunsParams) ([]*sluice.RuleRun, string, error) {
	if err := s.allow(ctx, c, actListRuleExecutions, s.pipelineARN(p.Pipeline)); err != nil {
		return nil, "", err
	}
	if _, err := s.Store.GetPipeline(ctx, p.Pipeline, 0); err != nil {
		return nil, "", err
	}
	if p.ExecutionID != "" {
		if _, err := s.Store.GetExecution(ctx, p.Pipeline, p.ExecutionID); err != nil {
			return nil, "", err
		}
	}
	if p.OnlyLatest {
		return s.latestRuleRuns(ctx, p.Pipeline, p.ExecutionID, p.Page)
	}
	return s.Store.ListRuleRuns(ctx, p.Pipeline, sluice.RuleRunFilter{Page: p.Page, ExecutionID: p.ExecutionID})
}

// latestRuleRuns lists the latest evaluation of each rule of one execution, newest first,
// paging it as latestActionRuns does.
func (s *Service) latestRuleRuns(ctx context.Context, pipeline, execID string, p sluice.Page) ([]*sluice.RuleRun, string, error) {
	latest, err := latestOf(func(page sluice.Page) ([]*sluice.RuleRun, string, error) {
		return s.Store.ListRuleRuns(ctx, pipeline, sluice.RuleRunFilter{Page: page, ExecutionID: execID})
	}, func(r *sluice.RuleRun) string { return sluice.RuleRunKey(r.StageName, r.Condition, r.RuleName) })
	if err != nil {
		return nil, "", err
	}
	return offsetPage(latest, p.Token, "latest-ruleruns", execID, p.Limit)
}
