package engine

import (
	"fmt"

	"sluice"
)

// OverrideCondition lets a stage run past a condition still being evaluated
// (OverrideStageCondition): its running rules are abandoned and it ends Overridden, so an
// entry condition lets the actions start and an onSuccess condition lets the stage succeed.
type OverrideCondition struct {
	ExecutionID string
	Stage       string
	Type        sluice.ConditionType
	By          string
}

func (cmd OverrideCondition) apply(d *decider) error {
	e, _, err := d.executionStage(cmd.ExecutionID, cmd.Stage)
	if err != nil {
		return err
	}
	if cmd.Type != sluice.ConditionBeforeEntry && cmd.Type != sluice.ConditionOnSuccess {
		return sluice.Errorf(sluice.ENotOverridable, "", "Only BEFORE_ENTRY and ON_SUCCESS conditions can be overridden, not %s.", cmd.Type)
	}
	if latest := d.stageState(cmd.Stage).LatestExecutionID; latest != e.ID && e.Mode != sluice.ModeParallel {
		return sluice.Errorf(sluice.ENotLatest, "", "Execution %s is not the latest execution in stage %s (%s is).", e.ID, cmd.Stage, latest)
	}
	r := d.stageRun(e.ID, cmd.Stage)
	var c *sluice.ConditionRun
	if r != nil {
		c = r.Condition(cmd.Type)
	}
	switch {
	case c == nil || c.Attempt != r.Attempt || c.Status != sluice.ConditionInProgress || !r.Status.Holds():
		return sluice.Errorf(sluice.ENotOverridable, "", "Stage %s of execution %s has no %s condition being evaluated to override.", cmd.Stage, e.ID, cmd.Type)
	case c.Result == sluice.ResultSkip:
		return sluice.Errorf(sluice.ENotOverridable, "", "The %s condition of stage %s skips the stage when it fails; a condition with result SKIP cannot be overridden.", cmd.Type, cmd.Stage)
	}
	msg := fmt.Sprintf("The condition was overridden by %s.", firstNonEmpty(cmd.By, "a user"))
	d.abandonRules(d.conditionRules(r, c), msg)
	d.setCondition(r, c, sluice.ConditionOverridden, msg)
	c.OverriddenBy = cmd.By
	return nil
}
