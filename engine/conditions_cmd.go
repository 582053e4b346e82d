package engine

import "sluice"

// OverrideCondition lets a stage run past a condition still being evaluated
// (OverrideStageCondition): its running rules are abandoned and it ends Overridden.
type OverrideCondition struct {
	ExecutionID string
	Stage       string
	Type        sluice.ConditionType
	By          string
}

func (cmd OverrideCondition) apply(d *decider) error {
	return sluice.Errorf(sluice.EUnsupported, "", "OverrideStageCondition is being built")
}

// Rollback starts a ROLLBACK execution (ExecutionID) that runs Stage again with the
// revisions, variables and artifacts of Target, an execution whose run of Stage succeeded
// (RollbackStage; the engine starts automatic rollbacks itself).
type Rollback struct {
	ExecutionID string
	Stage       string
	Target      string
	By          string
}

func (cmd Rollback) apply(d *decider) error {
	return sluice.Errorf(sluice.EUnsupported, "", "RollbackStage is being built")
}
