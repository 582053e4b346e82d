package service

import (
	"context"

	"sluice"
	"sluice/engine"
)

// TransitionParams enables or disables a transition between stages.
type TransitionParams struct {
	Pipeline string
	Stage    string
	Outbound bool // the transition out of Stage, rather than into it
	Enabled  bool
	Reason   string
}

// SetTransition enables or disables a stage's inbound transition; an outbound transition of
// stage N is the inbound transition of stage N+1.
func (s *Service) SetTransition(ctx context.Context, c sluice.Caller, p TransitionParams) error {
	action := actDisableStageTransition
	if p.Enabled {
		action = actEnableStageTransition
	}
	if err := s.allow(ctx, c, action, s.stageARN(p.Pipeline, p.Stage)); err != nil {
		return err
	}
	stage, err := s.inboundStage(ctx, p)
	if err != nil {
		return err
	}
	return s.Engine.SetTransition(ctx, p.Pipeline, engine.SetTransition{Stage: stage, Enabled: p.Enabled, Reason: p.Reason, By: c.Principal})
}

func (s *Service) inboundStage(ctx context.Context, p TransitionParams) (string, error) {
	if !p.Outbound {
		return p.Stage, nil
	}
	pl, err := s.Store.GetPipeline(ctx, p.Pipeline, 0)
	if err != nil {
		return "", err
	}
	_, idx := pl.Declaration.Stage(p.Stage)
	switch {
	case idx < 0:
		return "", sluice.Errorf(sluice.ENotFound, "Stage", "Stage %s was not found in pipeline %s.", p.Stage, p.Pipeline)
	case idx == len(pl.Declaration.Stages)-1:
		return "", sluice.Errorf(sluice.EInvalid, "", "Stage %s is the last stage: it has no outbound transition.", p.Stage)
	}
	return pl.Declaration.Stages[idx+1].Name, nil
}

// PipelineState is the raw material of a pipeline's state: its stages, transitions and the
// latest run of each stage and action.
func (s *Service) PipelineState(ctx context.Context, c sluice.Caller, pipeline string) (*sluice.PipelineState, error) {
	if err := s.allow(ctx, c, actGetPipelineState, s.pipelineARN(pipeline)); err != nil {
		return nil, err
	}
	return s.Store.PipelineState(ctx, pipeline)
}

// EntityURL is the link an action's type makes of its configuration with its
// entityUrlTemplate (custom types: the Jenkins project, say), else the AWS console's page of
// the AWS resource a built-in type acts on, as GetPipelineState gives it (awsEntityURLs);
// "" for types without either.
func (s *Service) EntityURL(a sluice.ActionDeclaration) string {
	t, ok := s.Lookup(a.ActionTypeID)
	if !ok {
		return ""
	}
	if u := engine.EntityURL(t, a.Configuration); u != "" {
		return u
	}
	if a.ActionTypeID.Owner != sluice.OwnerAWS {
		return ""
	}
	return awsEntityURL(a.ActionTypeID.Provider, a.Configuration)
}

// ActionRunsParams narrows ListActionRuns.
type ActionRunsParams struct {
	Pipeline    string
	ExecutionID string // "" for every execution
	OnlyLatest  bool   // only the latest attempt of each action (ExecutionID must be set)
	Page        sluice.Page
}

// ActionRuns is one page of action runs.
type ActionRuns struct {
	Runs []ActionRunDetail
	Next string
}

// ActionRunDetail is an action run with its action's declaration in the pipeline version
// it ran on (nil when that version or action is gone). Secrets are masked in both: in the
// declaration, and in the resolved configuration wherever the declaration's value is.
type ActionRunDetail struct {
	*sluice.ActionRun
	Action *sluice.ActionDeclaration
}

// ListActionRuns lists a pipeline's action runs, newest first. The pipeline is looked up
// first, then the execution the filter names.
func (s *Service) ListActionRuns(ctx context.Context, c sluice.Caller, p ActionRunsParams) (*ActionRuns, error) {
	if err := s.allow(ctx, c, actListActionExecutions, s.pipelineARN(p.Pipeline)); err != nil {
		return nil, err
	}
	pl, err := s.pipeline(ctx, p.Pipeline, 0)
	if err != nil {
		return nil, err
	}
	if p.ExecutionID != "" {
		if _, err := s.Store.GetExecution(ctx, p.Pipeline, p.ExecutionID); err != nil {
			return nil, err
		}
	}
	var runs []*sluice.ActionRun
	out := &ActionRuns{Runs: []ActionRunDetail{}}
	if p.OnlyLatest {
		runs, out.Next, err = s.latestActionRuns(ctx, p.Pipeline, p.ExecutionID, p.Page)
	} else {
		runs, out.Next, err = s.Store.ListActionRuns(ctx, p.Pipeline, sluice.ActionRunFilter{Page: p.Page, ExecutionID: p.ExecutionID})
	}
	if err != nil {
		return nil, err
	}
	versions := map[int]*sluice.PipelineDeclaration{pl.Declaration.Version: &pl.Declaration}
	for _, r := range runs {
		out.Runs = append(out.Runs, s.actionRunDetail(ctx, p.Pipeline, versions, r))
	}
	return out, nil
}

// actionRunDetail finds r's action in the version it ran on, reading each older version
// once per call.
func (s *Service) actionRunDetail(ctx context.Context, pipeline string, versions map[int]*sluice.PipelineDeclaration, r *sluice.ActionRun) ActionRunDetail {
	decl, ok := versions[r.PipelineVersion]
	if !ok {
		if p, err := s.pipeline(ctx, pipeline, r.PipelineVersion); err == nil {
			decl = &p.Declaration
			versions[r.PipelineVersion] = decl
		}
	}
	d := ActionRunDetail{ActionRun: r}
	if decl != nil {
		d.Action = decl.Action(r.StageName, r.ActionName)
	}
	if d.Action != nil && r.ResolvedConfiguration != nil {
		resolved := make(map[string]string, len(r.ResolvedConfiguration))
		for k, v := range r.ResolvedConfiguration {
			if d.Action.Configuration[k] == engine.SecretMask {
				v = engine.SecretMask
			}
			resolved[k] = v
		}
		r.ResolvedConfiguration = resolved
	}
	return d
}

// LogRun returns the action run of an existing pipeline whose log the caller reads, or
// writes when write is set (ENotFound/Pipeline first, then ENotFound/ActionExecution).
func (s *Service) LogRun(ctx context.Context, c sluice.Caller, pipeline, id string, write bool) (*sluice.ActionRun, error) {
	action := actGetActionLog
	if write {
		action = actPutActionLog
	}
	if err := s.allow(ctx, c, action, s.pipelineARN(pipeline)); err != nil {
		return nil, err
	}
	if _, err := s.Store.GetPipeline(ctx, pipeline, 0); err != nil {
		return nil, err
	}
	return s.Store.GetActionRun(ctx, pipeline, id)
}

// ActionRunStatus re-reads an action run the caller already found with LogRun (a log
// follower checking whether its run has ended), asking again, so that a follower whose
// access was taken away stops reading.
func (s *Service) ActionRunStatus(ctx context.Context, c sluice.Caller, pipeline, id string) (*sluice.ActionRun, error) {
	if err := s.allow(ctx, c, actGetActionLog, s.pipelineARN(pipeline)); err != nil {
		return nil, err
	}
	return s.Store.GetActionRun(ctx, pipeline, id)
}
