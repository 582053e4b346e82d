package engine

import (
	"fmt"

	"sluice"
)

// Stage conditions (SEMANTICS §5.10). A condition's evaluation is a sluice.ConditionRun on
// the stage run, one per condition type and stage attempt; its rules are RuleRuns. The stage
// stays InProgress, holding its lock, while a condition is evaluated; a rollback execution
// evaluates none (it only puts a known-good revision back).

// declaredCondition returns stage's condition of type t and the result it engages when it
// fails, or nil. The model allows one condition per hook.
func declaredCondition(st *sluice.StageDeclaration, t sluice.ConditionType) (*sluice.Condition, string) {
	var conds []sluice.Condition
	fallback := ""
	switch t {
	case sluice.ConditionBeforeEntry:
		if st.BeforeEntry != nil {
			conds = st.BeforeEntry.Conditions
		}
	case sluice.ConditionOnSuccess:
		if st.OnSuccess != nil {
			conds = st.OnSuccess.Conditions
		}
	case sluice.ConditionOnFailure:
		if st.OnFailure != nil {
			conds, fallback = st.OnFailure.Conditions, st.OnFailure.Result
		}
	}
	if len(conds) == 0 {
		return nil, ""
	}
	return &conds[0], firstNonEmpty(conds[0].Result, fallback)
}

// evaluates reports whether e evaluates the stage's conditions: rollbacks do not.
func evaluates(e *sluice.Execution) bool { return e.ExecutionType() != sluice.ExecutionRollback }

// due reports whether condition type t must be (re-)evaluated in r's current attempt: it has
// not run in this attempt, and no earlier attempt let the stage past it.
func due(r *sluice.StageRun, t sluice.ConditionType) bool {
	c := r.Condition(t)
	return c == nil || (c.Attempt < r.Attempt && c.Status != sluice.ConditionSucceeded && c.Status != sluice.ConditionOverridden)
}

// stepEntry evaluates the beforeEntry condition before any action of the stage runs; it
// reports true while the condition holds the stage (evaluating, or just engaged).
func (d *decider) stepEntry(e *sluice.Execution, r *sluice.StageRun, stage *sluice.StageDeclaration) bool {
	cond, _ := declaredCondition(stage, sluice.ConditionBeforeEntry)
	if cond == nil || !evaluates(e) {
		return false
	}
	if due(r, sluice.ConditionBeforeEntry) && !d.actionsStarted(r) {
		d.startCondition(e, r, sluice.ConditionBeforeEntry, cond)
		return true
	}
	c := r.Condition(sluice.ConditionBeforeEntry)
	if c == nil || c.Attempt != r.Attempt {
		return false // passed in an earlier attempt
	}
	switch c.Status {
	case sluice.ConditionInProgress:
		return true
	case sluice.ConditionFailed:
		if c.Result == sluice.ResultSkip {
			d.setStageStatus(e, r, sluice.StageSkipped)
			return true
		}
		d.failStage(e, r, fmt.Sprintf("Stage %s did not pass its entry condition: %s", r.StageName, c.Summary))
		return true
	}
	return false
}

// actionsStarted reports whether any action ran in r's current attempt (a FAILED_ACTIONS
// retry restarts its actions before the stage is stepped).
func (d *decider) actionsStarted(r *sluice.StageRun) bool {
	for _, a := range d.s.ActionRuns {
		if a.ExecutionID == r.ExecutionID && a.StageName == r.StageName && a.StageAttempt == r.Attempt {
			return true
		}
	}
	return false
}

// stageActionsSucceeded ends a stage whose actions all succeeded: through its onSuccess
// condition when it has one.
func (d *decider) stageActionsSucceeded(e *sluice.Execution, r *sluice.StageRun, stage *sluice.StageDeclaration) {
	cond, _ := declaredCondition(stage, sluice.ConditionOnSuccess)
	if cond == nil || !evaluates(e) {
		d.setStageStatus(e, r, sluice.StageSucceeded)
		return
	}
	if due(r, sluice.ConditionOnSuccess) {
		d.startCondition(e, r, sluice.ConditionOnSuccess, cond)
		return
	}
	c := r.Condition(sluice.ConditionOnSuccess)
	switch c.Status {
	case sluice.ConditionInProgress:
	case sluice.ConditionFailed:
		msg := fmt.Sprintf("Stage %s failed its onSuccess condition: %s", r.StageName, c.Summary)
		d.failStage(e, r, msg)
		if c.Result == sluice.ResultRollback {
			d.autoRollback(e, r.StageName)
		}
	default:
		d.setStageStatus(e, r, sluice.StageSucceeded)
	}
}

// stageFailed ends a stage whose action failed, after its onFailure hook: one automatic
// retry, or a rollback (gated by the hook's condition when it has one).
func (d *decider) stageFailed(e *sluice.Execution, r *sluice.StageRun, stage *sluice.StageDeclaration, failed *sluice.ActionRun) {
	summary := failureSummary(failed)
	of := stage.OnFailure
	if of == nil || !evaluates(e) {
		d.failStage(e, r, summary)
		return
	}
	if cond, _ := declaredCondition(stage, sluice.ConditionOnFailure); cond != nil {
		if due(r, sluice.ConditionOnFailure) {
			d.startCondition(e, r, sluice.ConditionOnFailure, cond)
			return
		}
		c := r.Condition(sluice.ConditionOnFailure)
		switch {
		case c.Status == sluice.ConditionInProgress:
		case c.Status == sluice.ConditionFailed && c.Result == sluice.ResultRollback:
			d.failStage(e, r, summary)
			d.autoRollback(e, r.StageName)
		default:
			d.failStage(e, r, summary)
		}
		return
	}
	switch {
	case of.Result == sluice.ResultRetry && r.LatestRetryTrigger != sluice.RetryTriggerAutomated:
		mode := sluice.RetryFailedActions
		if of.RetryConfiguration != nil && of.RetryConfiguration.RetryMode != "" {
			mode = of.RetryConfiguration.RetryMode
		}
		d.retryStage(e, r, stage, mode, sluice.RetryTriggerAutomated)
	case of.Result == sluice.ResultRollback:
		d.failStage(e, r, summary)
		d.autoRollback(e, r.StageName)
	default:
		d.failStage(e, r, summary)
	}
}

// startCondition begins evaluating cond of type t in r's current attempt and starts its rules.
func (d *decider) startCondition(e *sluice.Execution, r *sluice.StageRun, t sluice.ConditionType, cond *sluice.Condition) {
	_, result := declaredCondition(d.stageDecl(e, r), t)
	d.touchStage(r)
	r.Conditions = append(r.Conditions, sluice.ConditionRun{Type: t, Attempt: r.Attempt,
		Status: sluice.ConditionInProgress, Result: result, LastStatusChange: d.now()})
	r.LastUpdateTime = d.now()
	d.condMoves++
	for i := range cond.Rules {
		d.startRule(e, r, t, &cond.Rules[i])
	}
}

func (d *decider) stageDecl(e *sluice.Execution, r *sluice.StageRun) *sluice.StageDeclaration {
	st, _ := d.decl(e).Stage(r.StageName)
	return st
}

// conditionRules returns the rule runs of r's evaluation of condition c.
func (d *decider) conditionRules(r *sluice.StageRun, c *sluice.ConditionRun) []*sluice.RuleRun {
	var out []*sluice.RuleRun
	for _, rr := range d.s.RuleRuns {
		if rr.ExecutionID == r.ExecutionID && rr.StageName == r.StageName && rr.Condition == c.Type && rr.StageAttempt == c.Attempt {
			out = append(out, rr)
		}
	}
	return out
}

// settleConditions ends every condition of r still being evaluated whose rules decided: the
// first failed rule fails it (the rules still running are abandoned), all succeeded
// succeed it.
func (d *decider) settleConditions(r *sluice.StageRun) {
	for i := range r.Conditions {
		c := &r.Conditions[i]
		if c.Status != sluice.ConditionInProgress {
			continue
		}
		rules := d.conditionRules(r, c)
		var failed *sluice.RuleRun
		running := false
		for _, rr := range rules {
			switch rr.Status {
			case sluice.RuleFailed:
				if failed == nil {
					failed = rr
				}
			case sluice.RuleInProgress:
				running = true
			}
		}
		switch {
		case failed != nil:
			d.abandonRules(rules, "The rule was abandoned because another rule of its condition failed.")
			d.setCondition(r, c, sluice.ConditionFailed, fmt.Sprintf("Rule %s failed: %s", failed.RuleName, firstNonEmpty(failed.ErrorMessage, failed.Summary)))
		case !running:
			d.setCondition(r, c, sluice.ConditionSucceeded, "All rules succeeded.")
		}
	}
}

func (d *decider) setCondition(r *sluice.StageRun, c *sluice.ConditionRun, st sluice.ConditionStatus, summary string) {
	d.touchStage(r)
	c.Status, c.Summary, c.LastStatusChange = st, summary, d.now()
	r.LastUpdateTime = d.now()
	d.condMoves++
}

// closeConditions ends every condition of r still being evaluated with status st,
// abandoning its running rules.
func (d *decider) closeConditions(r *sluice.StageRun, st sluice.ConditionStatus, msg string) {
	for i := range r.Conditions {
		c := &r.Conditions[i]
		if c.Status != sluice.ConditionInProgress {
			continue
		}
		d.abandonRules(d.conditionRules(r, c), msg)
		d.setCondition(r, c, st, msg)
	}
}

// abandonRules ends the running rules among rules as Abandoned and closes their jobs, so a
// late result is refused.
func (d *decider) abandonRules(rules []*sluice.RuleRun, msg string) {
	for _, rr := range rules {
		if rr.Status != sluice.RuleInProgress {
			continue
		}
		for _, j := range d.openJobs(rr.ID) {
			d.touchJob(j)
			j.Status = sluice.JobFailed
			j.UpdatedAt = d.now()
		}
		d.finishRule(rr, sluice.RuleAbandoned, "", msg)
	}
}

// retryStage starts the next attempt of stage run r: ALL_ACTIONS runs every action again,
// FAILED_ACTIONS restarts the failed ones (later groups follow). trigger says who asked.
func (d *decider) retryStage(e *sluice.Execution, r *sluice.StageRun, stage *sluice.StageDeclaration, mode sluice.RetryMode, trigger string) {
	d.touchStage(r)
	r.Attempt++
	if mode == sluice.RetryAllActions {
		r.BaseAttempt = r.Attempt
	}
	if trigger == sluice.RetryTriggerAutomated {
		r.AutoRetries++
	} else {
		r.ManualRetries++
	}
	r.LatestRetryTrigger = trigger
	r.Status, r.LastUpdateTime = sluice.StageInProgress, d.now()
	d.event(sluice.DetailStage, "RESUMED", e, r.StageName, nil)
	d.touchExec(e)
	e.Attempt++ // every retry is an attempt, also one beside still-running siblings
	e.LastUpdateTime = d.now()
	if e.Status != sluice.ExecutionInProgress {
		e.Status, e.StatusSummary, e.StopReason, e.StopAbandon = sluice.ExecutionInProgress, "", "", false
		d.event(sluice.DetailExecution, "RESUMED", e, "", nil)
	}
	d.stageState(r.StageName).LatestExecutionID = e.ID
	d.saveStageState(r.StageName)
	if mode == sluice.RetryFailedActions {
		for i := range stage.Actions {
			if run := d.latestRun(r, stage.Actions[i].Name); run != nil && (run.Status == sluice.ActionFailed || run.Status == sluice.ActionAbandoned) {
				d.startAction(e, r, &stage.Actions[i])
			}
		}
	}
}
