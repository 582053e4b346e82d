package storetest

import (
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
)

// testSnapshotRollback checks what sluice.Tx.Snapshot reads for stage conditions and
// rollbacks: RuleRuns, RollbackTargets, and the executions a rollback needs.
func testSnapshotRollback(t *testing.T, open func(*testing.T) sluice.Store) {
	t.Run("RuleRunsOfLoadedExecutions", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		f.createPipeline("app")
		running := f.execution("app", sluice.ExecutionInProgress)
		done := f.execution("app", sluice.ExecutionSucceeded)
		included := f.execution("app", sluice.ExecutionFailed)
		gate := f.ruleRun(running, "Build", sluice.ConditionBeforeEntry, "Gate", sluice.RuleSucceeded)
		alarm1 := f.ruleRun(running, "Build", sluice.ConditionOnSuccess, "Alarm", sluice.RuleFailed)
		alarm2 := f.ruleRun(running, "Build", sluice.ConditionOnSuccess, "Alarm", sluice.RuleInProgress)
		doneRule := f.ruleRun(done, "Build", sluice.ConditionOnSuccess, "Alarm", sluice.RuleSucceeded)
		failedRule := f.ruleRun(included, "Build", sluice.ConditionOnFailure, "Check", sluice.RuleFailed)
		gate.StartTime = at(-10)
		alarm1.StartTime, alarm2.StartTime = at(-5), at(-5) // insertion breaks the tie
		f.apply("app", insert(running, done, included, failedRule, doneRule, alarm1, alarm2, gate))

		s := f.snapshot("app", included.ID)
		require.Equal(t, []string{gate.ID, alarm1.ID, alarm2.ID, failedRule.ID}, ids(s.RuleRuns, ruleID))
		require.Equal(t, alarm2, s.RuleRuns[2])
		require.Empty(t, f.snapshot("app", done.ID, included.ID).RollbackTargets, "app declares no rollback")
	})

	t.Run("RollbackTargets", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		v1 := rollbackPipeline("app", 1)
		f.update("app", func(tx sluice.Tx) error { return tx.CreatePipeline(f.ctx, v1, nil) })
		oldVersion := f.stagedExecution("app", 1, 6, sluice.ExecutionSucceeded, "Build", "Deploy")
		f.update("app", func(tx sluice.Tx) error { return tx.SavePipeline(f.ctx, rollbackPipeline("app", 2)) })
		f.createPipeline("other")
		f.stagedExecution("other", 1, 9, sluice.ExecutionSucceeded, "Build", "Deploy")

		deployed := f.stagedExecution("app", 2, 2, sluice.ExecutionSucceeded, "Build", "Deploy")
		built := f.stagedExecution("app", 2, 4, sluice.ExecutionFailed, "Build")
		f.apply("app", insert(f.stageRun(built, "Deploy", sluice.StageFailed)))
		rollback := f.stagedExecution("app", 2, 5, sluice.ExecutionSucceeded, "Build", "Deploy")
		rollback.Type, rollback.RollbackTarget, rollback.RollbackStage = sluice.ExecutionRollback, deployed.ID, "Deploy"
		f.apply("app", update(rollback, string(rollback.Status)))
		failed := f.stagedExecution("app", 2, 7, sluice.ExecutionFailed)
		f.apply("app", insert(f.stageRun(failed, "Build", sluice.StageFailed)))
		active := f.stagedExecution("app", 2, 8, sluice.ExecutionInProgress)
		f.apply("app", insert(f.stageRun(active, "Build", sluice.StageInProgress)))

		s := f.snapshot("app")
		require.Equal(t, map[string]string{"Build": built.ID, "Deploy": deployed.ID}, s.RollbackTargets)
		require.Equal(t, []string{deployed.ID, built.ID, active.ID}, ids(s.Executions, execID))
		require.Equal(t, deployed, s.Executions[0])
		requireRunsOf(t, s, deployed.ID, 2, 2, 2)
		requireRunsOf(t, s, built.ID, 2, 1, 1)
		require.NotContains(t, ids(s.Executions, execID), oldVersion.ID)
	})

	t.Run("TargetOfLoadedRollback", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		f.createPipeline("app")
		target := f.stagedExecution("app", 1, 1, sluice.ExecutionSucceeded, "Build")
		other := f.stagedExecution("app", 1, 2, sluice.ExecutionSucceeded, "Build")
		f.stagedExecution("app", 1, 3, sluice.ExecutionSucceeded, "Build")
		v2 := pipeline("app")
		v2.Declaration.Version = 2
		f.update("app", func(tx sluice.Tx) error { return tx.SavePipeline(f.ctx, v2) })
		rollback := f.execution("app", sluice.ExecutionInProgress)
		rollback.PipelineVersion, rollback.Seq = 2, 4
		rollback.Type, rollback.RollbackTarget, rollback.RollbackStage = sluice.ExecutionRollback, target.ID, "Build"
		done := f.execution("app", sluice.ExecutionFailed)
		done.PipelineVersion, done.Seq = 2, 5
		done.Type, done.RollbackTarget, done.RollbackStage = sluice.ExecutionRollback, other.ID, "Build"
		f.apply("app", insert(rollback, done))

		s := f.snapshot("app")
		require.Equal(t, []string{target.ID, rollback.ID}, ids(s.Executions, execID))
		require.Equal(t, rollback, s.Executions[1])
		requireRunsOf(t, s, target.ID, 1, 1, 1)
		require.Len(t, s.Declarations, 2, "the target's version is loaded with it")
		require.Empty(t, s.RollbackTargets)

		s = f.snapshot("app", done.ID)
		require.Equal(t, []string{target.ID, other.ID, rollback.ID, done.ID}, ids(s.Executions, execID))
	})
}

// rollbackPipeline is pipeline(name) at version with a Deploy stage after Build: Build rolls
// back on failure, Deploy when an onSuccess condition fails, and Source cannot roll back
// (its conditions engage FAIL).
func rollbackPipeline(name string, version int) *sluice.Pipeline {
	p := pipeline(name)
	d := &p.Declaration
	d.Version = version
	gate := sluice.RuleDeclaration{Name: "Gate", RuleTypeID: alarmRule, Configuration: map[string]string{"AlarmName": "a"}}
	d.Stages[0].BeforeEntry = &sluice.BeforeEntryCondition{Conditions: []sluice.Condition{{Result: sluice.ResultFail, Rules: []sluice.RuleDeclaration{gate}}}}
	d.Stages[0].OnFailure = &sluice.FailureConditions{Result: sluice.ResultRetry}
	d.Stages[1].OnFailure = &sluice.FailureConditions{Result: sluice.ResultRollback}
	d.Stages = append(d.Stages, sluice.StageDeclaration{
		Name:      "Deploy",
		Actions:   []sluice.ActionDeclaration{{Name: "Ship", ActionTypeID: customType}},
		OnSuccess: &sluice.SuccessConditions{Conditions: []sluice.Condition{{Result: sluice.ResultRollback, Rules: []sluice.RuleDeclaration{gate}}}},
	})
	return p
}

// stagedExecution stores an execution of version with seq and status, and for each of
// stages a succeeded stage run, action run and rule run.
func (f *fixture) stagedExecution(name string, version int, seq int64, status sluice.ExecutionStatus, stages ...string) *sluice.Execution {
	f.t.Helper()
	e := f.execution(name, status)
	e.PipelineVersion, e.Seq = version, seq
	rows := []any{e}
	for _, stage := range stages {
		rows = append(rows, f.stageRun(e, stage, sluice.StageSucceeded),
			f.actionRun(e, stage, "Act", sluice.ActionSucceeded),
			f.ruleRun(e, stage, sluice.ConditionOnSuccess, "Gate", sluice.RuleSucceeded))
	}
	f.apply(name, insert(rows...))
	return e
}

// requireRunsOf checks how many stage, action and rule runs of execution id s holds.
func requireRunsOf(t *testing.T, s *sluice.Snapshot, id string, stageRuns, actionRuns, ruleRuns int) {
	t.Helper()
	var n [3]int
	for _, r := range s.StageRuns {
		if r.ExecutionID == id {
			n[0]++
		}
	}
	for _, r := range s.ActionRuns {
		if r.ExecutionID == id {
			n[1]++
		}
	}
	for _, r := range s.RuleRuns {
		if r.ExecutionID == id {
			n[2]++
		}
	}
	require.Equal(t, [3]int{stageRuns, actionRuns, ruleRuns}, n, "stage, action and rule runs of %s", id)
}
