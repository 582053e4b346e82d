package storetest

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
)

// testExecutions checks sluice.Reader.GetExecution and ListExecutions, and sluice.Page.
func testExecutions(t *testing.T, open func(*testing.T) sluice.Store) {
	t.Run("GetErrNotFound", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		f.createPipeline("app")
		f.createPipeline("other")
		e := f.execution("other", sluice.ExecutionSucceeded)
		f.apply("other", insert(e))
		_, err := f.s.GetExecution(f.ctx, "app", "nope")
		requireCode(t, err, sluice.ENotFound, "PipelineExecution")
		_, err = f.s.GetExecution(f.ctx, "app", e.ID)
		requireCode(t, err, sluice.ENotFound, "PipelineExecution")
	})

	t.Run("ListNewestFirstInPages", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		f.createPipeline("app")
		f.createPipeline("other")
		var want []string
		for range 5 {
			e := f.execution("app", sluice.ExecutionSucceeded)
			f.apply("app", insert(e))
			want = append(want, e.ID)
		}
		f.apply("other", insert(f.execution("other", sluice.ExecutionSucceeded)))
		slices.Reverse(want)

		got := pageIDs(t, 3, execID, func(token string) ([]*sluice.Execution, string, error) {
			return f.s.ListExecutions(f.ctx, "app", sluice.ExecutionFilter{Page: sluice.Page{Token: token, Limit: 2}})
		})
		require.Equal(t, want, got)

		all, next, err := f.s.ListExecutions(f.ctx, "app", sluice.ExecutionFilter{})
		require.NoError(t, err)
		require.Equal(t, want, ids(all, execID))
		require.Empty(t, next)
	})

	t.Run("ListSucceededInStage", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		f.createPipeline("app")
		built := f.execution("app", sluice.ExecutionSucceeded)
		failed := f.execution("app", sluice.ExecutionFailed)
		sourced := f.execution("app", sluice.ExecutionInProgress)
		f.apply("app", insert(built, failed, sourced,
			f.stageRun(built, "Build", sluice.StageSucceeded),
			f.stageRun(failed, "Build", sluice.StageFailed),
			f.stageRun(sourced, "Source", sluice.StageSucceeded)))

		es, _, err := f.s.ListExecutions(f.ctx, "app", sluice.ExecutionFilter{SucceededInStage: "Build"})
		require.NoError(t, err)
		require.Equal(t, []string{built.ID}, ids(es, execID))
		es, _, err = f.s.ListExecutions(f.ctx, "app", sluice.ExecutionFilter{SucceededInStage: "Source"})
		require.NoError(t, err)
		require.Equal(t, []string{sourced.ID}, ids(es, execID))
	})

	t.Run("TypeAndRollbackTarget", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		f.createPipeline("app")
		plain := f.execution("app", sluice.ExecutionSucceeded)
		standard := f.execution("app", sluice.ExecutionSucceeded)
		standard.Type = sluice.ExecutionStandard
		rollback := f.execution("app", sluice.ExecutionInProgress)
		rollback.Type, rollback.RollbackTarget, rollback.RollbackStage = sluice.ExecutionRollback, plain.ID, "Build"
		f.apply("app", insert(plain, standard, rollback))

		got, err := f.s.GetExecution(f.ctx, "app", plain.ID)
		require.NoError(t, err)
		require.Equal(t, plain, got, "an unset type stays unset")
		require.Equal(t, sluice.ExecutionStandard, got.ExecutionType())
		es, _, err := f.s.ListExecutions(f.ctx, "app", sluice.ExecutionFilter{})
		require.NoError(t, err)
		require.Equal(t, []*sluice.Execution{rollback, standard, plain}, es)

		rollback.Status, rollback.RollbackStage = sluice.ExecutionSucceeded, "Deploy"
		f.apply("app", update(rollback, "InProgress"))
		got, err = f.s.GetExecution(f.ctx, "app", rollback.ID)
		require.NoError(t, err)
		require.Equal(t, rollback, got)
	})

	t.Run("ListErrForeignToken", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		f.createPipeline("app")
		_, _, err := f.s.ListExecutions(f.ctx, "app", sluice.ExecutionFilter{Page: sluice.Page{Token: "bogus"}})
		requireCode(t, err, sluice.EInvalid, "NextToken")
	})
}

// testActionRuns checks sluice.Reader.GetActionRun and ListActionRuns, and sluice.Page.
func testActionRuns(t *testing.T, open func(*testing.T) sluice.Store) {
	// setupRuns stores two executions of app with runs [a1 a2 b1 a3 b2] in start order, and
	// one run of another pipeline.
	type runs struct {
		f        *fixture
		a, b     *sluice.Execution
		all, ofA []string // newest first
	}
	setupRuns := func(t *testing.T) runs {
		f := setup(t, open)
		f.createPipeline("app")
		f.createPipeline("other")
		a, b := f.execution("app", sluice.ExecutionSucceeded), f.execution("app", sluice.ExecutionInProgress)
		x := f.execution("other", sluice.ExecutionInProgress)
		f.apply("other", insert(x, f.actionRun(x, "Build", "Compile", sluice.ActionInProgress)))
		a1 := f.actionRun(a, "Source", "Checkout", sluice.ActionSucceeded)
		a2 := f.actionRun(a, "Build", "Compile", sluice.ActionSucceeded)
		b1 := f.actionRun(b, "Source", "Checkout", sluice.ActionSucceeded)
		a3 := f.actionRun(a, "Build", "Test", sluice.ActionSucceeded)
		b2 := f.actionRun(b, "Build", "Compile", sluice.ActionInProgress)
		f.apply("app", insert(a, b, b2, a3, b1, a2, a1)) // insertion order must not matter
		return runs{f, a, b, []string{b2.ID, a3.ID, b1.ID, a2.ID, a1.ID}, []string{a3.ID, a2.ID, a1.ID}}
	}
	list := func(t *testing.T, f *fixture, filter sluice.ActionRunFilter) []string {
		return pageIDs(t, 10, runID, func(token string) ([]*sluice.ActionRun, string, error) {
			filter.Token = token
			return f.s.ListActionRuns(f.ctx, "app", filter)
		})
	}

	t.Run("NewestFirstInPages", func(t *testing.T) {
		t.Parallel()
		x := setupRuns(t)
		require.Equal(t, x.all, list(t, x.f, sluice.ActionRunFilter{Page: sluice.Page{Limit: 2}}))
		require.Equal(t, x.all, list(t, x.f, sluice.ActionRunFilter{}))
	})

	t.Run("OfOneExecution", func(t *testing.T) {
		t.Parallel()
		x := setupRuns(t)
		require.Equal(t, x.ofA, list(t, x.f, sluice.ActionRunFilter{ExecutionID: x.a.ID, Page: sluice.Page{Limit: 2}}))
	})

	t.Run("GetOne", func(t *testing.T) {
		t.Parallel()
		x := setupRuns(t)
		for _, id := range x.all {
			r, err := x.f.s.GetActionRun(x.f.ctx, "app", id)
			require.NoError(t, err)
			require.Equal(t, id, r.ID)
		}
		r, err := x.f.s.GetActionRun(x.f.ctx, "app", x.all[0])
		require.NoError(t, err)
		require.Equal(t, x.b.ID, r.ExecutionID)
		require.Equal(t, sluice.ActionInProgress, r.Status)
	})

	t.Run("ErrGetUnknownOrForeign", func(t *testing.T) {
		t.Parallel()
		x := setupRuns(t)
		_, err := x.f.s.GetActionRun(x.f.ctx, "app", "no-such-run")
		requireCode(t, err, sluice.ENotFound, "ActionExecution")
		_, err = x.f.s.GetActionRun(x.f.ctx, "other", x.all[0])
		requireCode(t, err, sluice.ENotFound, "ActionExecution")
	})

	t.Run("ErrForeignToken", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		_, _, err := f.s.ListActionRuns(f.ctx, "app", sluice.ActionRunFilter{Page: sluice.Page{Token: "bogus"}})
		requireCode(t, err, sluice.EInvalid, "NextToken")
	})
}
