package api

import (
	"sluice"
	"sluice/service"
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
	for _, c := range service.StageConditions(stage, r, st.LatestRuleRuns) {
		if c.Run == nil {
			continue // rules ran, but not in this run
		}
		switch cs := conditionStateOf(c); c.Type {
		case sluice.ConditionBeforeEntry:
			ss.BeforeEntryConditionState = cs
		case sluice.ConditionOnSuccess:
			ss.OnSuccessConditionState = cs
		case sluice.ConditionOnFailure:
			ss.OnFailureConditionState = cs
		}
	}
	if r.AutoRetries+r.ManualRetries > 0 {
		ss.RetryStageMetadata = &retryStageMetadata{r.AutoRetries, r.ManualRetries, r.LatestRetryTrigger}
	}
}

// conditionStateOf renders a condition's latest evaluation, with its rules.
func conditionStateOf(c service.StageCondition) *stageConditionState {
	run := c.Run
	cs := conditionState{LatestExecution: &conditionSummary{string(run.Status), run.Summary, ts(run.LastStatusChange)}, RuleStates: []ruleState{}}
	for _, r := range c.Rules {
		rs := ruleState{RuleName: r.Name}
		if r.Run != nil {
			rs.LatestExecution = ruleExecutionOf(r.Run)
		}
		cs.RuleStates = append(cs.RuleStates, rs)
	}
	return &stageConditionState{LatestExecution: &conditionSummary{Status: string(run.Status), Summary: run.Summary},
		ConditionStates: []conditionState{cs}}
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
