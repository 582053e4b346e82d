package service

import (
	"context"

	"sluice"
)

// HistoryFilter narrows ExecutionHistory: the console's execution history filters by status
// and trigger type, which the store's ExecutionFilter does not know.
type HistoryFilter struct {
	Status  sluice.ExecutionStatus // "" for every status
	Trigger string                 // a trigger type ("" for every one)
	Page    sluice.Page
}

// historyScan bounds the executions one call of ExecutionHistory reads looking for matches,
// so a filter that matches nothing in a long history answers quickly; the page it returns
// is then short (or empty) with a token to read on.
const historyScan = 2000

// historyLimit is the page size when the filter names none.
const historyLimit = 25

// ExecutionHistory returns one page of a pipeline's executions that match f, newest first,
// and the token of the next page ("" at the end). Authorized as ListPipelineExecutions. It
// reads the store's pages only as far as it needs: each read asks for just the matches
// still missing, so the next token always resumes right after the last execution looked at.
func (s *Service) ExecutionHistory(ctx context.Context, c sluice.Caller, pipeline string, f HistoryFilter) ([]*sluice.Execution, string, error) {
	limit := f.Page.Limit
	if limit <= 0 {
		limit = historyLimit
	}
	if f.Status == "" && f.Trigger == "" {
		return s.ListExecutions(ctx, c, pipeline, sluice.ExecutionFilter{Page: sluice.Page{Token: f.Page.Token, Limit: limit}})
	}
	out, token, scanned := []*sluice.Execution{}, f.Page.Token, 0
	for len(out) < limit && scanned < historyScan {
		page, next, err := s.ListExecutions(ctx, c, pipeline, sluice.ExecutionFilter{Page: sluice.Page{Token: token, Limit: limit - len(out)}})
		if err != nil {
			return nil, "", err
		}
		scanned += len(page)
		for _, e := range page {
			if (f.Status == "" || e.Status == f.Status) && (f.Trigger == "" || e.Trigger.Type == f.Trigger) {
				out = append(out, e)
			}
		}
		if token = next; next == "" {
			break
		}
	}
	return out, token, nil
}

// ActionRun returns one action run of a pipeline with its action's declaration, secrets
// masked as ListActionRuns masks them. Authorized as ListActionExecutions, the API call that
// shows the same detail.
func (s *Service) ActionRun(ctx context.Context, c sluice.Caller, pipeline, id string) (ActionRunDetail, error) {
	if err := s.allow(ctx, c, actListActionExecutions, s.pipelineARN(pipeline)); err != nil {
		return ActionRunDetail{}, err
	}
	pl, err := s.pipeline(ctx, pipeline, 0)
	if err != nil {
		return ActionRunDetail{}, err
	}
	r, err := s.Store.GetActionRun(ctx, pipeline, id)
	if err != nil {
		return ActionRunDetail{}, err
	}
	versions := map[int]*sluice.PipelineDeclaration{pl.Declaration.Version: &pl.Declaration}
	return s.actionRunDetail(ctx, pipeline, versions, r), nil
}

// ExecutionArtifact finds the artifact an execution's actions produced under name, for a
// download: the output of the latest action run that succeeded with it. The API shows
// where artifacts are only through ListActionExecutions (their S3 locations), so reading
// one needs that action and GetPipelineExecution. ENotFound/Artifact when no succeeded run
// of the execution produced name.
func (s *Service) ExecutionArtifact(ctx context.Context, c sluice.Caller, pipeline, executionID, name string) (sluice.ArtifactRef, error) {
	if err := s.allow(ctx, c, actGetPipelineExecution, s.pipelineARN(pipeline)); err != nil {
		return sluice.ArtifactRef{}, err
	}
	token := ""
	for {
		runs, err := s.ListActionRuns(ctx, c, ActionRunsParams{Pipeline: pipeline, ExecutionID: executionID, Page: sluice.Page{Token: token, Limit: 100}})
		if err != nil {
			return sluice.ArtifactRef{}, err
		}
		for _, r := range runs.Runs { // newest first: the first found is the latest
			if r.Status != sluice.ActionSucceeded {
				continue
			}
			for _, a := range r.OutputArtifacts {
				if a.Name == name {
					return a, nil
				}
			}
		}
		if token = runs.Next; token == "" {
			return sluice.ArtifactRef{}, sluice.Errorf(sluice.ENotFound, "Artifact", "Execution %s of pipeline %s has no artifact %s.", executionID, pipeline, name)
		}
	}
}
