package storetest

import (
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
)

// testConflicts checks the guards of sluice.Tx.Apply.
func testConflicts(t *testing.T, open func(*testing.T) sluice.Store) {
	// setup stores one row of each kind, all InProgress (the job Dispatched).
	type rows struct {
		f  *fixture
		e  *sluice.Execution
		sr *sluice.StageRun
		r  *sluice.ActionRun
		rr *sluice.RuleRun
		j  *sluice.Job
	}
	setupRows := func(t *testing.T) rows {
		f := setup(t, open)
		f.createPipeline("app")
		e := f.execution("app", sluice.ExecutionInProgress)
		sr := f.stageRun(e, "Build", sluice.StageInProgress)
		r := f.actionRun(e, "Build", "Compile", sluice.ActionInProgress)
		rr := f.ruleRun(e, "Build", sluice.ConditionOnSuccess, "Alarm", sluice.RuleInProgress)
		j := f.job(r, "app", buildType)
		j.Status = sluice.JobDispatched
		f.apply("app", insert(e, sr, r, rr, j))
		return rows{f, e, sr, r, rr, j}
	}

	// Each stale update sits after an insert in the same plan: the conflict must undo both.
	cases := []struct {
		name, resource string
		stale          func(rows) *sluice.Plan
	}{
		{"Execution", "PipelineExecution", func(x rows) *sluice.Plan {
			e := *x.e
			e.Status = sluice.ExecutionSucceeded
			return update(&e, "Stopping")
		}},
		{"StageRun", "Stage", func(x rows) *sluice.Plan {
			sr := *x.sr
			sr.Status = sluice.StageSucceeded
			return update(&sr, "Failed")
		}},
		{"ActionRun", "Action", func(x rows) *sluice.Plan {
			r := *x.r
			r.Status = sluice.ActionSucceeded
			return update(&r, "Succeeded")
		}},
		{"RuleRun", "Rule", func(x rows) *sluice.Plan {
			rr := *x.rr
			rr.Status = sluice.RuleSucceeded
			return update(&rr, "Failed")
		}},
		{"Job", "Job", func(x rows) *sluice.Plan {
			j := *x.j
			j.Status = sluice.JobSucceeded
			return update(&j, "Queued")
		}},
	}
	for _, c := range cases {
		t.Run("StaleFrom"+c.name, func(t *testing.T) {
			t.Parallel()
			x := setupRows(t)
			f := x.f
			// Apply writes executions first, so the new execution is written before any guard.
			extra := f.execution("app", sluice.ExecutionInProgress)
			err := f.applyErr("app", join(insert(extra, f.actionRun(x.e, "Build", "Test", sluice.ActionInProgress)), c.stale(x)))
			requireCode(t, err, sluice.EConflict, c.resource)

			snap := f.snapshot("app")
			require.Equal(t, []*sluice.Execution{x.e}, snap.Executions)
			require.Equal(t, []*sluice.StageRun{x.sr}, snap.StageRuns)
			require.Equal(t, []*sluice.ActionRun{x.r}, snap.ActionRuns)
			require.Equal(t, []*sluice.RuleRun{x.rr}, snap.RuleRuns)
			require.Equal(t, []*sluice.Job{x.j}, snap.Jobs)
		})
	}

	t.Run("UpdateOfMissingRow", func(t *testing.T) {
		t.Parallel()
		x := setupRows(t)
		ghost := x.f.actionRun(x.e, "Build", "Test", sluice.ActionSucceeded)
		requireCode(t, x.f.applyErr("app", update(ghost, "InProgress")), sluice.EConflict, "Action")
		ghostRule := x.f.ruleRun(x.e, "Build", sluice.ConditionOnSuccess, "Other", sluice.RuleSucceeded)
		requireCode(t, x.f.applyErr("app", update(ghostRule, "InProgress")), sluice.EConflict, "Rule")
	})

	t.Run("InsertOfExistingRow", func(t *testing.T) {
		t.Parallel()
		x := setupRows(t)
		f := x.f
		e := *x.e
		requireCode(t, f.applyErr("app", insert(&e)), sluice.EConflict, "PipelineExecution")
		sr := *x.sr
		requireCode(t, f.applyErr("app", insert(&sr)), sluice.EConflict, "Stage")
		r := *x.r
		requireCode(t, f.applyErr("app", insert(&r)), sluice.EConflict, "Action")
		rr := *x.rr
		requireCode(t, f.applyErr("app", insert(&rr)), sluice.EConflict, "Rule")
		j := *x.j
		requireCode(t, f.applyErr("app", insert(&j)), sluice.EConflict, "Job")
	})

	t.Run("UpdateOfAnotherPipelinesRow", func(t *testing.T) {
		t.Parallel()
		x := setupRows(t)
		f := x.f
		f.createPipeline("other")
		e := *x.e
		e.Status = sluice.ExecutionStopped
		requireCode(t, f.applyErr("other", update(&e, "InProgress")), sluice.EConflict, "PipelineExecution")
		got, err := f.s.GetExecution(f.ctx, "app", e.ID)
		require.NoError(t, err)
		require.Equal(t, sluice.ExecutionInProgress, got.Status)
		rr := *x.rr
		rr.Status = sluice.RuleFailed
		requireCode(t, f.applyErr("other", update(&rr, "InProgress")), sluice.EConflict, "Rule")
		require.Equal(t, []*sluice.RuleRun{x.rr}, f.snapshot("app").RuleRuns)
	})
}
