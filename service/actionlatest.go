package service

import (
	"context"

	"sluice"
)

// latestActionRuns lists the latest attempt of each action of one execution, newest first,
// one page at a time. The store lists every attempt, so the service filters and pages this
// list itself; an execution has a bounded number of attempts, so it reads them all.
func (s *Service) latestActionRuns(ctx context.Context, pipeline, execID string, p sluice.Page) ([]*sluice.ActionRun, string, error) {
	var (
		latest []*sluice.ActionRun
		seen   = map[string]bool{}
		page   = sluice.Page{Limit: 100}
	)
	for {
		runs, next, err := s.Store.ListActionRuns(ctx, pipeline, sluice.ActionRunFilter{Page: page, ExecutionID: execID})
		if err != nil {
			return nil, "", err
		}
		for _, r := range runs {
			if key := r.StageName + "/" + r.ActionName; !seen[key] {
				seen[key] = true
				latest = append(latest, r)
			}
		}
		if next == "" {
			break
		}
		page.Token = next
	}
	return offsetPage(latest, p.Token, "latest-actionruns", execID, p.Limit)
}
