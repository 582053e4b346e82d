package console

import (
	"context"
	"strings"
	"time"

	"sluice"
	"sluice/service"
)

// pipelineView is what the pipeline page shows: the core's state of the pipeline, stage by
// stage, with the controls the caller may use.
type pipelineView struct {
	Name     string
	Version  int
	Mode     sluice.ExecutionMode
	Stages   []pipeStageView
	Waiting  []*sluice.Execution // active executions waiting in front of a stage, in order
	Active   []string            // executions a Stop may stop, oldest first
	Controls service.PipelineControls
	Notice   string
	Error    pipeFormError
	Token    string   // the release form's clientRequestToken: a double submit starts one run
	Session  *session // for the forms' CSRF token
}

// pipeFormError is a refused change, shown beside the form (For names it) it came from.
type pipeFormError struct {
	For, Message string
}

// pipeStageView is one stage with its inbound transition and actions.
type pipeStageView struct {
	P          *pipelineView
	Name       string
	Index      int
	Transition *sluice.TransitionState // nil for the first stage
	Run        *sluice.StageRun        // the latest run, nil before the stage ran
	Actions    []pipeActionView
	Waiting    []*sluice.Execution // executions waiting to enter this stage
	Retry      bool                // the latest run ended failed or stopped: offer a retry
	Conditions []condView          // the hooks the latest run evaluated
	Retries    string              // how often the latest run was retried ("" when never)
	Latest     *sluice.Execution   // the latest run's execution (nil when not readable)
	Controls   service.StageControls
	// Targets are the executions the stage can be rolled back to, offered when the caller
	// may roll back and the stage is one that can be (rollbackable).
	Targets []*sluice.Execution
}

// pipeActionView is one action of a stage and its latest run.
type pipeActionView struct {
	P           *pipelineView
	Stage, Name string
	Type        sluice.ActionTypeID
	Run         *sluice.ActionRun // nil before the action ran
	Token       string            // an open approval's token
	MayApprove  bool
	CustomData  string
	Link        string // the approval's ExternalEntityLink, or the run's external URL
}

// Duration is how long the run took, or has taken so far.
func (a pipeActionView) Duration() string {
	if a.Run == nil {
		return ""
	}
	end := a.Run.LastUpdateTime
	if a.Run.Status == sluice.ActionInProgress {
		end = time.Time{}
	}
	return duration(a.Run.StartTime, end)
}

// Provider is the action's type as the console names it: category/owner/provider.
func (a pipeActionView) Provider() string {
	return a.Type.Category + "/" + a.Type.Owner + "/" + a.Type.Provider
}

// Approval reports whether the action is a manual approval waiting for an answer.
func (a pipeActionView) Approval() bool { return a.Token != "" }

// Duration is how long the stage's latest run took, or has taken so far.
func (s pipeStageView) Duration() string {
	if s.Run == nil {
		return ""
	}
	end := s.Run.LastUpdateTime
	if s.Run.Status.Holds() {
		end = time.Time{}
	}
	return duration(s.Run.StartTime, end)
}

// viewPipeline makes the page's view of st for the caller.
func (c *Console) viewPipeline(ctx context.Context, who sluice.Caller, st *sluice.PipelineState) *pipelineView {
	d := st.Pipeline.Declaration
	v := &pipelineView{Name: d.Name, Version: d.Version, Mode: d.Mode(), Waiting: st.Waiting,
		Controls: c.Service.Controls(ctx, who, d.Name)}
	active := map[string]bool{}
	execs := map[string]*sluice.Execution{}
	for i, stage := range d.Stages {
		sv := pipeStageView{P: v, Name: stage.Name, Index: i, Run: st.LatestStageRuns[stage.Name],
			Controls: c.Service.StageControls(ctx, who, d.Name, stage.Name)}
		if t, ok := st.Transition(i); ok {
			sv.Transition = &t
		}
		if r := sv.Run; r != nil {
			sv.Retry = r.Status == sluice.StageFailed || r.Status == sluice.StageStopped
			if r.Status.Holds() && !active[r.ExecutionID] {
				active[r.ExecutionID] = true
				v.Active = append(v.Active, r.ExecutionID)
			}
			c.stageConditions(v, &sv, stage, st.LatestRuleRuns)
			sv.Latest = c.execution(ctx, who, d.Name, r.ExecutionID, execs)
		}
		if sv.Controls.Rollback && rollbackable(d, stage) {
			sv.Targets, _ = c.Service.RollbackTargets(ctx, who, d.Name, stage.Name) // none offered when unreadable
		}
		for _, e := range st.Waiting {
			if e.WaitingAt == stage.Name {
				sv.Waiting = append(sv.Waiting, e)
			}
		}
		for _, a := range stage.Actions {
			av := c.pipeAction(ctx, who, d.Name, stage.Name, a, st.LatestActionRuns[stage.Name+"/"+a.Name])
			av.P = v
			sv.Actions = append(sv.Actions, av)
		}
		v.Stages = append(v.Stages, sv)
	}
	for _, e := range st.Waiting {
		if !active[e.ID] {
			active[e.ID] = true
			v.Active = append(v.Active, e.ID)
		}
	}
	return v
}

func (c *Console) pipeAction(ctx context.Context, who sluice.Caller, pipeline, stage string, a sluice.ActionDeclaration, run *sluice.ActionRun) pipeActionView {
	av := pipeActionView{Stage: stage, Name: a.Name, Type: a.ActionTypeID, Run: run}
	if run == nil {
		return av
	}
	av.Link = run.ExternalExecutionURL
	if a.ActionTypeID.Category == sluice.CategoryApproval {
		av.Token = run.ApprovalToken()
		av.CustomData = run.ResolvedConfiguration["CustomData"]
		if l := run.ResolvedConfiguration["ExternalEntityLink"]; l != "" {
			av.Link = l
		}
	}
	if av.Token != "" {
		av.MayApprove = c.Service.MayApprove(ctx, who, pipeline, stage, a.Name)
	}
	return av
}

// ErrorAt is the refusal to show beside the form named by key's parts ("retry", stage),
// when that form is the one refused.
func (v *pipelineView) ErrorAt(key ...string) string {
	if v.Error.For != strings.Join(key, ":") {
		return ""
	}
	return v.Error.Message
}

// TopError is the refusal to show at the top of the page: one whose form the page does not
// draw (a control the caller may not use, or an approval answered meanwhile).
func (v *pipelineView) TopError() string {
	if v.Error.Message == "" || v.drawn(v.Error.For) {
		return ""
	}
	return v.Error.Message
}

// drawn reports whether the page draws the form key names, where its error is shown.
func (v *pipelineView) drawn(key string) bool {
	kind, rest, _ := strings.Cut(key, ":")
	switch kind {
	case "release":
		return v.Controls.Release
	case "stop":
		return v.Controls.Stop && len(v.Active) > 0
	}
	for _, st := range v.Stages {
		switch {
		case kind == "retry" && rest == st.Name:
			return v.Controls.Retry && st.Retry
		case kind == "transition" && rest == st.Name:
			return v.Controls.Transitions && st.Transition != nil
		case kind == "rollback" && rest == st.Name:
			return len(st.Targets) > 0
		}
		for _, cv := range st.Conditions {
			if kind == "override" && rest == st.Name+":"+string(cv.Type) {
				return cv.Override
			}
		}
		for _, a := range st.Actions {
			if kind == "approve" && rest == st.Name+":"+a.Name {
				return a.MayApprove
			}
		}
	}
	return false
}
