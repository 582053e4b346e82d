package storetest

import (
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"sluice"
)

// testPipelineState checks sluice.Reader.PipelineState.
func testPipelineState(t *testing.T, open func(*testing.T) sluice.Store) {
	t.Run("LatestRunsAndWaiting", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		p := f.createPipeline("app")
		old := f.execution("app", sluice.ExecutionSucceeded)
		cur := f.execution("app", sluice.ExecutionInProgress)
		waitB := f.execution("app", sluice.ExecutionInProgress)
		waitA := f.execution("app", sluice.ExecutionInProgress)
		doneWaiting := f.execution("app", sluice.ExecutionFailed)
		waitA.WaitingAt, waitB.WaitingAt, doneWaiting.WaitingAt = "Build", "Source", "Build"
		waitA.Seq, waitB.Seq = 7, 8

		oldBuild := f.stageRun(old, "Build", sluice.StageSucceeded)
		curSource := f.stageRun(cur, "Source", sluice.StageSucceeded)
		curBuild := f.stageRun(cur, "Build", sluice.StageInProgress)
		oldBuild.StartTime = at(1000) // started last, although inserted first
		oldCompile := f.actionRun(old, "Build", "Compile", sluice.ActionSucceeded)
		compile1 := f.actionRun(cur, "Build", "Compile", sluice.ActionFailed)
		compile2 := f.actionRun(cur, "Build", "Compile", sluice.ActionInProgress)
		checkout := f.actionRun(cur, "Source", "Checkout", sluice.ActionSucceeded)
		gone := f.actionRun(cur, "Deploy", "Ship", sluice.ActionSucceeded) // not in the declaration
		plan := insert(old, cur, waitB, waitA, doneWaiting, oldBuild, curSource, curBuild,
			oldCompile, compile1, compile2, checkout, gone)
		build := &sluice.StageState{Transition: sluice.TransitionState{Enabled: true}, LatestExecutionID: cur.ID}
		plan.Stages = map[string]*sluice.StageState{"Build": build}
		f.apply("app", plan)

		st, err := f.s.PipelineState(f.ctx, "app")
		require.NoError(t, err)
		require.Equal(t, p, st.Pipeline)
		require.Equal(t, map[string]*sluice.StageState{"Build": build}, st.Stages)
		require.Equal(t, map[string]*sluice.StageRun{"Source": curSource, "Build": oldBuild}, st.LatestStageRuns)
		require.ElementsMatch(t, []string{cur.ID, old.ID}, slices.Collect(maps.Keys(st.LatestExecutions)), "the latest stage runs' executions")
		require.Equal(t, old.Status, st.LatestExecutions[old.ID].Status)
		require.Equal(t, map[string]*sluice.ActionRun{"Build/Compile": compile2, "Source/Checkout": checkout}, st.LatestActionRuns)
		require.Equal(t, []*sluice.Execution{waitA, waitB}, st.Waiting)
	})

	t.Run("LatestRuleRuns", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		p := rollbackPipeline("app", 1) // Source and Deploy declare a rule named Gate
		f.update("app", func(tx sluice.Tx) error { return tx.CreatePipeline(f.ctx, p, nil) })
		old := f.execution("app", sluice.ExecutionSucceeded)
		cur := f.execution("app", sluice.ExecutionInProgress)
		oldDeploy := f.ruleRun(old, "Deploy", sluice.ConditionOnSuccess, "Gate", sluice.RuleSucceeded)
		oldDeploy.StartTime = at(1000) // started last, although inserted first
		gate1 := f.ruleRun(cur, "Source", sluice.ConditionBeforeEntry, "Gate", sluice.RuleFailed)
		gate2 := f.ruleRun(cur, "Source", sluice.ConditionBeforeEntry, "Gate", sluice.RuleInProgress)
		curDeploy := f.ruleRun(cur, "Deploy", sluice.ConditionOnSuccess, "Gate", sluice.RuleInProgress)
		// Rules no longer declared still show in a stage of the declaration; a stage that is
		// gone does not.
		retired1 := f.ruleRun(old, "Source", sluice.ConditionOnSuccess, "Alarm", sluice.RuleFailed)
		retired2 := f.ruleRun(old, "Source", sluice.ConditionOnSuccess, "Alarm", sluice.RuleSucceeded)
		onFailure := f.ruleRun(old, "Build", sluice.ConditionOnFailure, "Gate", sluice.RuleSucceeded)
		alpha := f.ruleRun(old, "Source", sluice.ConditionBeforeEntry, "Alpha", sluice.RuleSucceeded)
		gone := f.ruleRun(cur, "Gone", sluice.ConditionBeforeEntry, "Gate", sluice.RuleSucceeded)
		f.apply("app", insert(old, cur, oldDeploy, gate1, gate2, curDeploy, retired1, retired2, onFailure, alpha, gone))

		st, err := f.s.PipelineState(f.ctx, "app")
		require.NoError(t, err)
		require.Equal(t, map[string]*sluice.RuleRun{
			"Source/BEFORE_ENTRY/Gate": gate2, "Source/BEFORE_ENTRY/Alpha": alpha, "Source/ON_SUCCESS/Alarm": retired2,
			"Build/ON_FAILURE/Gate": onFailure, "Deploy/ON_SUCCESS/Gate": oldDeploy,
		}, st.LatestRuleRuns)

		// The runs of one pipeline are not another's.
		f.createPipeline("plain")
		st, err = f.s.PipelineState(f.ctx, "plain")
		require.NoError(t, err)
		require.Empty(t, st.LatestRuleRuns)
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		_, err := f.s.PipelineState(f.ctx, "nope")
		requireCode(t, err, sluice.ENotFound, "Pipeline")
	})
}

// testTimers checks sluice.Reader ActivePipelines, DueActions and NextDeadline.
func testTimers(t *testing.T, open func(*testing.T) sluice.Store) {
	t.Run("ActivePipelines", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		for name, status := range map[string]sluice.ExecutionStatus{
			"running": sluice.ExecutionInProgress, "stopping": sluice.ExecutionStopping,
			"done": sluice.ExecutionSucceeded, "stopped": sluice.ExecutionStopped,
		} {
			f.createPipeline(name)
			f.apply(name, insert(f.execution(name, status), f.execution(name, status)))
		}
		f.createPipeline("idle")
		names, err := f.s.ActivePipelines(f.ctx)
		require.NoError(t, err)
		require.ElementsMatch(t, []string{"running", "stopping"}, names)
	})

	t.Run("DueActionsAndNextDeadline", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		_, ok, err := f.s.NextDeadline(f.ctx)
		require.NoError(t, err)
		require.False(t, ok)

		f.createPipeline("app")
		f.createPipeline("other")
		e := f.execution("app", sluice.ExecutionInProgress)
		x := f.execution("other", sluice.ExecutionInProgress)
		past := f.actionRun(e, "Build", "Compile", sluice.ActionInProgress)
		now := f.actionRun(x, "Build", "Compile", sluice.ActionInProgress)
		future := f.actionRun(e, "Build", "Test", sluice.ActionInProgress)
		none := f.actionRun(e, "Source", "Checkout", sluice.ActionInProgress)
		finished := f.actionRun(e, "Build", "Compile", sluice.ActionFailed)
		past.Deadline, now.Deadline, future.Deadline, finished.Deadline = at(10), at(20), at(30), at(1)
		f.apply("app", insert(e, past, future, none, finished))
		f.apply("other", insert(x, now))

		due, err := f.s.DueActions(f.ctx, at(20))
		require.NoError(t, err)
		require.ElementsMatch(t, []sluice.ActionRef{{PipelineName: "app", ActionRunID: past.ID},
			{PipelineName: "other", ActionRunID: now.ID}}, due)
		requireNext(t, f, at(10))

		done := *past
		done.Status = sluice.ActionSucceeded
		f.apply("app", update(&done, "InProgress"))
		requireNext(t, f, at(20))
		due, err = f.s.DueActions(f.ctx, at(19))
		require.NoError(t, err)
		require.Empty(t, due)
	})

	t.Run("RuleRunDeadlines", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		f.createPipeline("app")
		e := f.execution("app", sluice.ExecutionInProgress)
		action := f.actionRun(e, "Build", "Compile", sluice.ActionInProgress)
		rule := f.ruleRun(e, "Build", sluice.ConditionOnSuccess, "Alarm", sluice.RuleInProgress)
		later := f.ruleRun(e, "Deploy", sluice.ConditionBeforeEntry, "Gate", sluice.RuleInProgress)
		none := f.ruleRun(e, "Source", sluice.ConditionBeforeEntry, "Gate", sluice.RuleInProgress)
		finished := f.ruleRun(e, "Source", sluice.ConditionOnSuccess, "Gate", sluice.RuleFailed)
		rule.Deadline, action.Deadline, later.Deadline, finished.Deadline = at(10), at(20), at(30), at(1)
		f.apply("app", insert(e, action, rule, later, none, finished))

		requireNext(t, f, at(10))
		due, err := f.s.DueActions(f.ctx, at(20))
		require.NoError(t, err)
		require.ElementsMatch(t, []sluice.ActionRef{{PipelineName: "app", ActionRunID: rule.ID},
			{PipelineName: "app", ActionRunID: action.ID}}, due)

		done := *rule
		done.Status = sluice.RuleSucceeded
		f.apply("app", update(&done, "InProgress"))
		requireNext(t, f, at(20))
		stopped := *action
		stopped.Status = sluice.ActionAbandoned
		f.apply("app", update(&stopped, "InProgress"))
		requireNext(t, f, at(30))
		due, err = f.s.DueActions(f.ctx, at(29))
		require.NoError(t, err)
		require.Empty(t, due)
	})
}

func requireNext(t *testing.T, f *fixture, want time.Time) {
	t.Helper()
	next, ok, err := f.s.NextDeadline(f.ctx)
	require.NoError(t, err)
	require.True(t, ok)
	require.Equal(t, want, next)
}
