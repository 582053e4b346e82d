package api

import (
	"sort"
	"strings"

	"sluice"
)

// The model's StageConditionState: a stage hook's latest evaluation and its one condition's
// rules, each with its latest rule execution.
type (
	stageConditionState struct {
		LatestExecution *conditionSummary `json:"latestExecution,omitempty"`
		ConditionStates []conditionState  `json:"conditionStates"`
	}
	conditionSummary struct {
		Status           string `json:"status"`
		Summary          string `json:"summary,omitempty"`
		LastStatusChange *epoch `json:"lastStatusChange,omitempty"` // ConditionExecution only
	}
	conditionState struct {
		LatestExecution *conditionSummary `json:"latestExecution,omitempty"`
		RuleStates      []ruleState       `json:"ruleStates"`
	}
	ruleState struct {
		RuleName        string         `json:"ruleName"`
		LatestExecution *ruleExecution `json:"latestExecution,omitempty"`
	}
	ruleExecution struct {
		RuleExecutionID      string        `json:"ruleExecutionId"`
		Status               string        `json:"status"`
		Summary              string        `json:"summary,omitempty"`
		LastStatusChange     *epoch        `json:"lastStatusChange,omitempty"`
		LastUpdatedBy        string        `json:"lastUpdatedBy,omitempty"`
		ExternalExecutionID  string        `json:"externalExecutionId,omitempty"`
		ExternalExecutionURL string        `json:"externalExecutionUrl,omitempty"`
		ErrorDetails         *errorDetails `json:"errorDetails,omitempty"`
	}
	// retryStageMetadata is the model's RetryStageMetadata, shown once a stage was retried.
	retryStageMetadata struct {
		AutoStageRetryAttempt   int    `json:"autoStageRetryAttempt"`
		ManualStageRetryAttempt int    `json:"manualStageRetryAttempt"`
		LatestRetryTrigger      string `json:"latestRetryTrigger,omitempty"`
	}
)

// conditionsOfStage fills a stage state's three condition states from the stage's latest run
// (each only when that run evaluated such a condition) and its retry metadata.
func conditionsOfStage(ss *stageState, st *sluice.PipelineState, stage sluice.StageDeclaration) {
	r := st.LatestStageRuns[stage.Name]
	if r == nil {
		return
	}
	ss.BeforeEntryConditionState = conditionStateOf(st, stage, r, sluice.ConditionBeforeEntry)
	ss.OnSuccessConditionState = conditionStateOf(st, stage, r, sluice.ConditionOnSuccess)
	ss.OnFailureConditionState = conditionStateOf(st, stage, r, sluice.ConditionOnFailure)
	if r.AutoRetries+r.ManualRetries > 0 {
		ss.RetryStageMetadata = &retryStageMetadata{r.AutoRetries, r.ManualRetries, r.LatestRetryTrigger}
	}
}

// conditionStateOf renders the latest evaluation of condition t in stage run r, or nil.
func conditionStateOf(st *sluice.PipelineState, stage sluice.StageDeclaration, r *sluice.StageRun, t sluice.ConditionType) *stageConditionState {
	c := r.Condition(t)
	if c == nil {
		return nil
	}
	cs := conditionState{LatestExecution: &conditionSummary{string(c.Status), c.Summary, ts(c.LastStatusChange)}, RuleStates: []ruleState{}}
	for _, name := range ruleNames(st, stage, t) {
		rs := ruleState{RuleName: name}
		if run := st.LatestRuleRuns[stage.Name+"/"+string(t)+"/"+name]; run != nil {
			rs.LatestExecution = ruleExecutionOf(run)
		}
		cs.RuleStates = append(cs.RuleStates, rs)
	}
	return &stageConditionState{LatestExecution: &conditionSummary{Status: string(c.Status), Summary: c.Summary},
		ConditionStates: []conditionState{cs}}
}

// ruleNames are the rules of the stage's condition t in the current declaration, in their
// order, then by name any other rule that has run in it (one an earlier version declared).
func ruleNames(st *sluice.PipelineState, stage sluice.StageDeclaration, t sluice.ConditionType) []string {
	var names []string
	seen := map[string]bool{}
	for _, c := range declaredConditions(stage, t) {
		for _, rule := range c.Rules {
			if !seen[rule.Name] {
				seen[rule.Name] = true
				names = append(names, rule.Name)
			}
		}
	}
	prefix := stage.Name + "/" + string(t) + "/"
	var others []string
	for key := range st.LatestRuleRuns {
		if name, ok := strings.CutPrefix(key, prefix); ok && !seen[name] {
			others = append(others, name)
		}
	}
	sort.Strings(others)
	return append(names, others...)
}

// declaredConditions are the conditions of the stage's hook for t.
func declaredConditions(stage sluice.StageDeclaration, t sluice.ConditionType) []sluice.Condition {
	switch {
	case t == sluice.ConditionBeforeEntry && stage.BeforeEntry != nil:
		return stage.BeforeEntry.Conditions
	case t == sluice.ConditionOnSuccess && stage.OnSuccess != nil:
		return stage.OnSuccess.Conditions
	case t == sluice.ConditionOnFailure && stage.OnFailure != nil:
		return stage.OnFailure.Conditions
	}
	return nil
}

func ruleExecutionOf(run *sluice.RuleRun) *ruleExecution {
	ex := &ruleExecution{RuleExecutionID: run.ID, Status: string(run.Status), Summary: run.Summary,
		LastStatusChange: ts(run.LastUpdateTime), LastUpdatedBy: run.UpdatedBy, ExternalExecutionID: run.ExternalExecutionID,
		ExternalExecutionURL: run.ExternalExecutionURL}
	if run.ErrorCode != "" || run.ErrorMessage != "" {
		ex.ErrorDetails = &errorDetails{run.ErrorCode, run.ErrorMessage}
	}
	return ex
}
