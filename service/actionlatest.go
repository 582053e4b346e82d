package service

import (
	"context"

	"sluice"
)

// latestActionRuns lists the latest attempt of each action of one execution, newest first,
// one page at a time. The store lists every attempt, so the service filters and pages this
// list itself; an execution has a bounded number of attempts, so it reads them all.
func (s *Service) latestActionRuns(ctx context.Context, pipeline, execID string, p sluice.Page) ([]*sluice.ActionRun, string, error) {
	latest, err := latestOf(func(page sluice.Page) ([]*sluice.ActionRun, string, error) {
		return s.Store.ListActionRuns(ctx, pipeline, sluice.ActionRunFilter{Page: page, ExecutionID: execID})
	}, func(r *sluice.ActionRun) string { return r.StageName + "/" + r.ActionName })
	if err != nil {
		return nil, "", err
	}
	return offsetPage(latest, p.Token, "latest-actionruns", execID, p.Limit)
}

// latestOf reads every page of a listing of runs, newest first, and keeps the first run of
// each key: the latest.
func latestOf[R any](list func(sluice.Page) ([]*R, string, error), key func(*R) string) ([]*R, error) {
	var latest []*R
	seen := map[string]bool{}
	page := sluice.Page{Limit: 100}
	for {
		runs, next, err := list(page)
		if err != nil {
			return nil, err
		}
		for _, r := range runs {
			if k := key(r); !seen[k] {
				seen[k] = true
				latest = append(latest, r)
			}
		}
		if next == "" {
			return latest, nil
		}
		page.Token = next
	}
}
