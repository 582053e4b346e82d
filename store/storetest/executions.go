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
	// seedRuns' runs: other's, then a1 a2 b1 a3 b2.
	runs := []struct {
		stage, action string
		status        sluice.ActionStatus
	}{
		{"Build", "Compile", sluice.ActionInProgress},
		{"Source", "Checkout", sluice.ActionSucceeded},
		{"Build", "Compile", sluice.ActionSucceeded},
		{"Source", "Checkout", sluice.ActionSucceeded},
		{"Build", "Test", sluice.ActionSucceeded},
		{"Build", "Compile", sluice.ActionInProgress},
	}
	setupRuns := func(t *testing.T) runListing {
		return seedRuns(t, open, func(f *fixture, e *sluice.Execution, i int) *sluice.ActionRun {
			r := runs[i]
			return f.actionRun(e, r.stage, r.action, r.status)
		}, runID)
	}
	testRunPages(t, setupRuns, func(t *testing.T, x runListing, execID string, limit int) []string {
		return pageIDs(t, 10, runID, func(token string) ([]*sluice.ActionRun, string, error) {
			return x.f.s.ListActionRuns(x.f.ctx, "app", sluice.ActionRunFilter{ExecutionID: execID, Page: sluice.Page{Token: token, Limit: limit}})
		})
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
