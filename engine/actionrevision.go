package engine

import (
	"context"

	"sluice"
)

// recentRevisions is how many of a pipeline's newest executions PutActionRevision searches
// for a revision already used.
const recentRevisions = 100

// PutActionRevision starts an execution with a source action pinned to a revision an outside
// poller found (SEMANTICS §8.1). When one of the pipeline's recent executions already ran
// that revision of the action, nothing starts: it answers false and that execution's id.
func (e *Engine) PutActionRevision(ctx context.Context, pipeline, stage, action string, rev sluice.Revision, trigger sluice.Trigger) (bool, string, error) {
	p, err := e.Store.GetPipeline(ctx, pipeline, 0)
	if err != nil {
		return false, "", err
	}
	if err := findAction(&p.Declaration, stage, action); err != nil {
		return false, "", err
	}
	// "Previously used in an execution": the recent executions are looked at, not only the
	// latest, so a poller announcing an older revision again does not start it again.
	recent, _, err := e.Store.ListExecutions(ctx, pipeline, sluice.ExecutionFilter{Page: sluice.Page{Limit: recentRevisions}})
	if err != nil {
		return false, "", err
	}
	for _, x := range recent {
		if x.Revisions[action].RevisionID == rev.RevisionID {
			return false, x.ID, nil
		}
	}
	id, err := e.Start(ctx, StartParams{Pipeline: pipeline, Trigger: trigger, Revisions: map[string]sluice.Revision{action: rev}})
	return err == nil, id, err
}

// findAction checks that stage holds action (ENotFound/Stage or Action otherwise).
func findAction(decl *sluice.PipelineDeclaration, stage, action string) error {
	if decl.Action(stage, action) != nil {
		return nil
	}
	return actionNotFound(decl, stage, action)
}

// actionNotFound says which of stage and action the pipeline lacks.
func actionNotFound(decl *sluice.PipelineDeclaration, stage, action string) error {
	if s, _ := decl.Stage(stage); s == nil {
		return sluice.Errorf(sluice.ENotFound, "Stage", "Stage %s was not found in pipeline %s.", stage, decl.Name)
	}
	return sluice.Errorf(sluice.ENotFound, "Action", "Action %s was not found in stage %s of pipeline %s.", action, stage, decl.Name)
}
