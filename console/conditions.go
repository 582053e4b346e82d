package console

import (
	"fmt"
	"net/http"
	"strings"

	"sluice"
	"sluice/service"
)

// condView is one of a stage's condition hooks as a run of the stage evaluated it, with the
// latest run of each of its rules. The pipeline and execution pages both draw it.
type condView struct {
	// Type, Run (nil when only the rules' runs are known) and Rules.
	service.StageCondition
	P           *pipelineView // the pipeline page, for its forms; nil on the execution page
	Stage       string
	ExecutionID string
	// Override offers the Override form: the caller may, and the engine would let it (the
	// condition is InProgress, an entry or onSuccess one, and its result is not SKIP).
	Override bool
}

// Label names the hook as people read it.
func (v condView) Label() string {
	switch v.Type {
	case sluice.ConditionBeforeEntry:
		return "Entry"
	case sluice.ConditionOnSuccess:
		return "On success"
	}
	return "On failure"
}

// ID is an id for the block, unique on the page.
func (v condView) ID() string {
	return "cond-" + strings.ToLower(strings.ReplaceAll(v.Stage+"-"+string(v.Type), " ", "-"))
}

// Error is the refusal of this condition's Override form, when it was the one refused.
func (v condView) Error() string {
	if v.P == nil {
		return ""
	}
	return v.P.ErrorAt("override", v.Stage, string(v.Type))
}

// overridable reports whether the engine lets run be overridden (docs/conditions.md).
func overridable(run *sluice.ConditionRun) bool {
	return run != nil && run.Status == sluice.ConditionInProgress && run.Result != sluice.ResultSkip &&
		(run.Type == sluice.ConditionBeforeEntry || run.Type == sluice.ConditionOnSuccess)
}

// conditionViews are the hooks of stage that run evaluated (run may be nil) or that have a
// rule run in rules, in hook order (service.StageConditions).
func conditionViews(stage sluice.StageDeclaration, run *sluice.StageRun, rules map[string]*sluice.RuleRun) []condView {
	var out []condView
	for _, c := range service.StageConditions(stage, run, rules) {
		v := condView{StageCondition: c, Stage: stage.Name}
		if run != nil {
			v.ExecutionID = run.ExecutionID
		}
		out = append(out, v)
	}
	return out
}

// retries says how often a stage run was retried ("" when never), as GetPipelineState's
// retryStageMetadata counts it.
func retries(run *sluice.StageRun) string {
	if run == nil || run.AutoRetries+run.ManualRetries == 0 {
		return ""
	}
	var parts []string
	if run.AutoRetries > 0 {
		parts = append(parts, fmt.Sprintf("automatically %d×", run.AutoRetries))
	}
	if run.ManualRetries > 0 {
		parts = append(parts, fmt.Sprintf("manually %d×", run.ManualRetries))
	}
	return "Retried " + strings.Join(parts, ", ")
}

// stageConditions fills sv's conditions and retries from its latest run, with the rule runs
// of that run's execution only (latest holds every execution's latest rule runs).
func (c *Console) stageConditions(v *pipelineView, sv *pipeStageView, stage sluice.StageDeclaration, latest map[string]*sluice.RuleRun) {
	rules := map[string]*sluice.RuleRun{}
	for k, r := range latest {
		if r.ExecutionID == sv.Run.ExecutionID && r.StageName == stage.Name {
			rules[k] = r
		}
	}
	sv.Conditions = conditionViews(stage, sv.Run, rules)
	for i := range sv.Conditions {
		cv := &sv.Conditions[i]
		cv.P = v
		cv.Override = sv.Controls.Override && overridable(cv.Run)
	}
	sv.Retries = retries(sv.Run)
}

// executionConditions are the conditions each stage's run in execution id evaluated, by
// stage: the latest run of each rule (ListRuleExecutions), and the condition's own status
// where the stage's latest run is this execution's (GetPipelineState keeps only that run).
// What the caller may not read is left out.
func (c *Console) executionConditions(r *http.Request, s *session, pipeline, id string, d *sluice.PipelineDeclaration) map[string][]condView {
	rules := map[string]*sluice.RuleRun{}
	token := ""
	for {
		page, next, err := c.Service.ListRuleRuns(r.Context(), s.caller, service.RuleRunsParams{Pipeline: pipeline,
			ExecutionID: id, OnlyLatest: true, Page: sluice.Page{Token: token, Limit: 100}})
		if err != nil {
			break
		}
		for _, run := range page {
			rules[sluice.RuleRunKey(run.StageName, run.Condition, run.RuleName)] = run
		}
		if token = next; token == "" {
			break
		}
	}
	var latest map[string]*sluice.StageRun
	if st, err := c.Service.PipelineState(r.Context(), s.caller, pipeline); err == nil {
		latest = st.LatestStageRuns
	}
	out := map[string][]condView{}
	for _, stage := range d.Stages {
		run := latest[stage.Name]
		if run != nil && run.ExecutionID != id {
			run = nil
		}
		out[stage.Name] = conditionViews(stage, run, rules)
	}
	return out
}
