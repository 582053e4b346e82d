package console

import (
	"context"
	"net/http"
	"net/url"

	"sluice"
	"sluice/service"
)

// The pipeline page's forms for stage conditions and rollback, as pipeline_controls.go's.

// pipeOverride lets a stage past the condition being evaluated (OverrideStageCondition).
func (c *Console) pipeOverride(w http.ResponseWriter, r *http.Request, s *session) {
	f := r.PostForm
	p := service.OverrideParams{Pipeline: r.PathValue("name"), Stage: f.Get("stage"), ExecutionID: f.Get("execution"),
		Type: sluice.ConditionType(f.Get("type"))}
	params := map[string]any{"pipelineName": p.Pipeline, "stageName": p.Stage, "pipelineExecutionId": p.ExecutionID,
		"conditionType": p.Type}
	_, err := c.act(r, s, "", "OverrideStageCondition", params, func(ctx context.Context) (any, error) {
		return nil, c.Service.OverrideCondition(ctx, s.caller, p)
	})
	if err != nil {
		c.pipeRefused(w, r, s, "override:"+p.Stage+":"+string(p.Type), err)
		return
	}
	pipeDone(w, r, "overridden", url.Values{"execution": {p.ExecutionID}, "stage": {p.Stage}})
}

// pipeRollback starts a ROLLBACK execution of a stage to the chosen target (RollbackStage).
func (c *Console) pipeRollback(w http.ResponseWriter, r *http.Request, s *session) {
	f := r.PostForm
	p := service.RollbackParams{Pipeline: r.PathValue("name"), Stage: f.Get("stage"), Target: f.Get("target")}
	form := "rollback:" + p.Stage
	if p.Target == "" {
		c.showPipeline(w, r, s, http.StatusBadRequest, pipeFormError{For: form, Message: "Choose the execution to roll the stage back to."})
		return
	}
	params := map[string]any{"pipelineName": p.Pipeline, "stageName": p.Stage, "targetPipelineExecutionId": p.Target}
	var id string
	_, err := c.act(r, s, "", "RollbackStage", params, func(ctx context.Context) (any, error) {
		var err error
		id, err = c.Service.RollbackStage(ctx, s.caller, p)
		return map[string]string{"pipelineExecutionId": id}, err
	})
	if err != nil {
		c.pipeRefused(w, r, s, form, err)
		return
	}
	pipeDone(w, r, "rolledback", url.Values{"execution": {id}, "stage": {p.Stage}, "target": {p.Target}})
}

// rollbackable reports whether the console offers to roll stage back: RollbackStage refuses
// V1 pipelines, PARALLEL mode and stages with source actions whatever the target.
func rollbackable(d sluice.PipelineDeclaration, stage sluice.StageDeclaration) bool {
	if d.PipelineType != "V2" || d.Mode() == sluice.ModeParallel {
		return false
	}
	for _, a := range stage.Actions {
		if a.ActionTypeID.Category == sluice.CategorySource {
			return false
		}
	}
	return true
}

// execution reads an execution once per page (seen caches it), nil when the caller may not.
func (c *Console) execution(ctx context.Context, who sluice.Caller, pipeline, id string, seen map[string]*sluice.Execution) *sluice.Execution {
	if e, ok := seen[id]; ok {
		return e
	}
	e, _, err := c.Service.GetExecution(ctx, who, pipeline, id)
	if err != nil {
		e = nil // the page still shows the stage, without the execution's type
	}
	seen[id] = e
	return e
}
