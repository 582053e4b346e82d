package storetest

import (
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
)

// testPipelines checks sluice.Tx Pipeline, CreatePipeline and SavePipeline, and sluice.Reader
// GetPipeline and ListPipelines.
func testPipelines(t *testing.T, open func(*testing.T) sluice.Store) {
	t.Run("CreateAndGet", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		p := pipeline("app")
		tags := map[string]string{"team": "core", "env": "prod"}
		f.update("app", func(tx sluice.Tx) error { return tx.CreatePipeline(f.ctx, p, tags) })

		got, err := f.s.GetPipeline(f.ctx, "app", 0)
		require.NoError(t, err)
		require.Equal(t, p, got)
		got, err = f.s.GetPipeline(f.ctx, "app", 1)
		require.NoError(t, err)
		require.Equal(t, p, got)
		f.update("app", func(tx sluice.Tx) error {
			got, err := tx.Pipeline(f.ctx)
			require.Equal(t, p, got)
			return err
		})
		stored, err := f.s.ListTags(f.ctx, p.ARN)
		require.NoError(t, err)
		require.Equal(t, tags, stored)
	})

	t.Run("CreateStoresVersionOne", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		p := pipeline("app")
		p.Declaration.Version = 7
		f.update("app", func(tx sluice.Tx) error { return tx.CreatePipeline(f.ctx, p, nil) })
		got, err := f.s.GetPipeline(f.ctx, "app", 0)
		require.NoError(t, err)
		require.Equal(t, 1, got.Declaration.Version)
	})

	t.Run("ErrNameInUse", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		f.createPipeline("app")
		err := f.s.Update(f.ctx, "app", func(tx sluice.Tx) error { return tx.CreatePipeline(f.ctx, pipeline("app"), nil) })
		requireCode(t, err, sluice.EAlreadyExists, "Pipeline")
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		_, err := f.s.GetPipeline(f.ctx, "nope", 0)
		requireCode(t, err, sluice.ENotFound, "Pipeline")
		require.Contains(t, err.Error(), "does not have a pipeline with name 'nope'")
		err = f.s.Update(f.ctx, "nope", func(tx sluice.Tx) error {
			_, err := tx.Pipeline(f.ctx)
			return err
		})
		requireCode(t, err, sluice.ENotFound, "Pipeline")
		require.Contains(t, err.Error(), "does not have a pipeline with name 'nope'")
		_, err = f.s.GetPipeline(f.ctx, "nope", 2)
		requireCode(t, err, sluice.ENotFound, "Pipeline")
	})

	t.Run("ErrVersionNotFound", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		f.createPipeline("app")
		_, err := f.s.GetPipeline(f.ctx, "app", 2)
		requireCode(t, err, sluice.ENotFound, "PipelineVersion")
	})

	t.Run("SaveNewVersion", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		v1 := f.createPipeline("app")
		v2 := pipeline("app")
		v2.Declaration.Version = 2
		v2.Declaration.Stages = v2.Declaration.Stages[:1]
		v2.Updated = at(60)
		f.update("app", func(tx sluice.Tx) error { return tx.SavePipeline(f.ctx, v2) })

		got, err := f.s.GetPipeline(f.ctx, "app", 0)
		require.NoError(t, err)
		require.Equal(t, v2, got)
		old, err := f.s.GetPipeline(f.ctx, "app", 1)
		require.NoError(t, err)
		require.Equal(t, v1.Declaration, old.Declaration)
		require.Equal(t, base, old.Created)
	})

	t.Run("SaveErrVersionExists", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		p := f.createPipeline("app")
		err := f.s.Update(f.ctx, "app", func(tx sluice.Tx) error { return tx.SavePipeline(f.ctx, p) })
		requireCode(t, err, sluice.EConflict, "Pipeline")
	})

	t.Run("SaveErrNotFound", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		p := pipeline("app")
		p.Declaration.Version = 2
		err := f.s.Update(f.ctx, "app", func(tx sluice.Tx) error { return tx.SavePipeline(f.ctx, p) })
		requireCode(t, err, sluice.ENotFound, "Pipeline")
	})

	t.Run("ListByNameInPages", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		for _, name := range []string{"d", "b", "e", "a", "c"} {
			f.createPipeline(name)
		}
		names := pageIDs(t, 3, declName, func(token string) ([]*sluice.Pipeline, string, error) {
			ps, next, err := f.s.ListPipelines(f.ctx, sluice.Page{Token: token, Limit: 2})
			require.LessOrEqual(t, len(ps), 2)
			return ps, next, err
		})
		require.Equal(t, []string{"a", "b", "c", "d", "e"}, names)

		all, next, err := f.s.ListPipelines(f.ctx, sluice.Page{})
		require.NoError(t, err)
		require.Len(t, all, 5)
		require.Empty(t, next)
		require.Equal(t, pipeline("a"), all[0])
	})

	t.Run("ListErrForeignToken", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		_, _, err := f.s.ListPipelines(f.ctx, sluice.Page{Token: "not-a-token"})
		requireCode(t, err, sluice.EInvalid, "NextToken")
	})
}

// testDelete checks sluice.Tx.DeletePipeline.
func testDelete(t *testing.T, open func(*testing.T) sluice.Store) {
	t.Run("Cascades", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		p := pipeline("app")
		f.update("app", func(tx sluice.Tx) error { return tx.CreatePipeline(f.ctx, p, map[string]string{"k": "v"}) })
		v2 := pipeline("app")
		v2.Declaration.Version = 2
		f.update("app", func(tx sluice.Tx) error { return tx.SavePipeline(f.ctx, v2) })
		e := f.execution("app", sluice.ExecutionInProgress)
		r := f.actionRun(e, "Build", "Compile", sluice.ActionInProgress)
		r.Deadline = at(1)
		j := f.job(r, "app", buildType)
		rr := f.ruleRun(e, "Build", sluice.ConditionOnSuccess, "Gate", sluice.RuleInProgress)
		rr.Deadline = at(2)
		plan := insert(e, f.stageRun(e, "Build", sluice.StageInProgress), r, rr, j)
		plan.Stages = map[string]*sluice.StageState{"Build": {LatestExecutionID: e.ID}}
		f.apply("app", plan)
		keep := f.createPipeline("keep")
		f.queuedJobs("keep", 1, buildType)

		f.update("app", func(tx sluice.Tx) error { return tx.DeletePipeline(f.ctx) })

		_, err := f.s.GetPipeline(f.ctx, "app", 0)
		requireCode(t, err, sluice.ENotFound, "Pipeline")
		_, err = f.s.GetExecution(f.ctx, "app", e.ID)
		requireCode(t, err, sluice.ENotFound, "PipelineExecution")
		_, err = f.s.GetJob(f.ctx, j.ID)
		requireCode(t, err, sluice.ENotFound, "Job")
		tags, err := f.s.ListTags(f.ctx, p.ARN)
		require.NoError(t, err)
		require.Empty(t, tags)
		active, err := f.s.ActivePipelines(f.ctx)
		require.NoError(t, err)
		require.Equal(t, []string{"keep"}, active)
		due, err := f.s.DueActions(f.ctx, at(1000))
		require.NoError(t, err)
		require.Empty(t, due)
		depth, err := f.s.QueueDepth(f.ctx)
		require.NoError(t, err)
		require.Equal(t, 1, depth)

		// The name is free again, with nothing of the old pipeline behind it.
		f.createPipeline("app")
		_, err = f.s.GetPipeline(f.ctx, "app", 2)
		requireCode(t, err, sluice.ENotFound, "PipelineVersion")
		execs, _, err := f.s.ListExecutions(f.ctx, "app", sluice.ExecutionFilter{})
		require.NoError(t, err)
		require.Empty(t, execs)
		runs, _, err := f.s.ListActionRuns(f.ctx, "app", sluice.ActionRunFilter{})
		require.NoError(t, err)
		require.Empty(t, runs)
		rules, _, err := f.s.ListRuleRuns(f.ctx, "app", sluice.RuleRunFilter{})
		require.NoError(t, err)
		require.Empty(t, rules)
		st, err := f.s.PipelineState(f.ctx, "app")
		require.NoError(t, err)
		require.Empty(t, st.Stages)
		require.Empty(t, st.LatestStageRuns)
		_, err = f.s.GetPipeline(f.ctx, keep.Declaration.Name, 0)
		require.NoError(t, err)
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		err := f.s.Update(f.ctx, "nope", func(tx sluice.Tx) error { return tx.DeletePipeline(f.ctx) })
		requireCode(t, err, sluice.ENotFound, "Pipeline")
	})
}
