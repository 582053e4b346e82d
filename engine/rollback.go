package engine

import (
	"sluice"
)

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
	decl := &d.s.Pipeline.Declaration
	stage, _ := decl.Stage(cmd.Stage)
	if stage == nil {
		return sluice.Errorf(sluice.ENotFound, "Stage", "Stage %s was not found in pipeline %s.", cmd.Stage, decl.Name)
	}
	target, err := d.execution(cmd.Target)
	if err != nil {
		return err
	}
	if err := d.rollbackable(stage, target); err != nil {
		return err
	}
	d.startRollback(cmd.ExecutionID, target, cmd.Stage, sluice.Trigger{Type: sluice.TriggerManualRollback, Detail: cmd.By})
	return nil
}

// rollbackable checks SEMANTICS §5.9's refusals for rolling stage back to target.
func (d *decider) rollbackable(stage *sluice.StageDeclaration, target *sluice.Execution) error {
	decl := &d.s.Pipeline.Declaration
	for _, a := range stage.Actions {
		if a.ActionTypeID.Category == sluice.CategorySource {
			return sluice.Errorf(sluice.ENoRollback, "", "Stage %s holds source actions; a source stage cannot be rolled back.", stage.Name)
		}
	}
	switch {
	case decl.PipelineType != "V2":
		return sluice.Errorf(sluice.ENoRollback, "", "Pipeline %s is a V1 pipeline; rollback needs pipelineType V2.", decl.Name)
	case decl.Mode() == sluice.ModeParallel:
		return sluice.Errorf(sluice.ENoRollback, "", "Pipeline %s runs in PARALLEL mode, which does not support rollback.", decl.Name)
	case target.ExecutionType() == sluice.ExecutionRollback:
		return sluice.Errorf(sluice.ENoRollback, "", "Execution %s is itself a rollback; roll back to a STANDARD execution.", target.ID)
	case target.PipelineVersion != decl.Version:
		return sluice.Errorf(sluice.EOutdated, "", "Execution %s ran version %d of pipeline %s, which is now at version %d; roll back to an execution of the current version.", target.ID, target.PipelineVersion, decl.Name, decl.Version)
	}
	if r := d.stageRun(target.ID, stage.Name); r == nil || r.Status != sluice.StageSucceeded {
		return sluice.Errorf(sluice.ENoRollback, "", "Execution %s did not succeed in stage %s; ListPipelineExecutions with succeededInStage lists the executions to roll back to.", target.ID, stage.Name)
	}
	for _, o := range d.activeBySeq() {
		if r := d.stageRun(o.ID, stage.Name); r != nil && r.Status.Holds() {
			return sluice.Errorf(sluice.ENoRollback, "", "Stage %s is in progress (execution %s); roll back once it has finished.", stage.Name, o.ID)
		}
	}
	return nil
}

// autoRollback rolls stage back after e failed in it, to the newest execution that
// succeeded there; with none, nothing happens (SEMANTICS §5.9).
func (d *decider) autoRollback(e *sluice.Execution, stage string) {
	target := d.execs[d.s.RollbackTargets[stage]]
	if target == nil || target.ID == e.ID || target.PipelineVersion != e.PipelineVersion {
		return
	}
	d.startRollback(d.ids.NewID(), target, stage, sluice.Trigger{Type: sluice.TriggerAutomatedRollback, Detail: e.ID})
}

func (d *decider) startRollback(id string, target *sluice.Execution, stage string, trigger sluice.Trigger) {
	now := d.now()
	decl := &d.s.Pipeline.Declaration
	d.insertExec(&sluice.Execution{ID: id, PipelineName: decl.Name, PipelineVersion: decl.Version,
		Status: sluice.ExecutionInProgress, Mode: decl.Mode(), Trigger: trigger, Attempt: 1,
		Variables: target.Variables, Revisions: target.Revisions, Type: sluice.ExecutionRollback,
		RollbackTarget: target.ID, RollbackStage: stage, StartTime: now, LastUpdateTime: now})
	d.event(sluice.DetailExecution, "STARTED", d.execs[id], "", nil)
}

// producer names the execution whose runs of stage supply e's artifacts and variables: a
// rollback takes everything outside the stage it rolls back from its target.
func producer(e *sluice.Execution, stage string) string {
	if e.ExecutionType() == sluice.ExecutionRollback && stage != e.RollbackStage {
		return e.RollbackTarget
	}
	return e.ID
}
