package storetest

import (
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
)

// queuedWith stores one queued job of type t whose configuration is config.
func (f *fixture) queuedWith(pipelineName string, t sluice.ActionTypeID, config map[string]string) *sluice.Job {
	f.t.Helper()
	e := f.execution(pipelineName, sluice.ExecutionInProgress)
	r := f.actionRun(e, "Build", "Compile", sluice.ActionInProgress)
	j := f.job(r, pipelineName, t)
	j.Data.Configuration = config
	f.apply(pipelineName, insert(e, r, j))
	return j
}

// testClaimFilters checks sluice.JobStore.ClaimJobs with sluice.ClaimParams Types, Match and
// Labels.
func testClaimFilters(t *testing.T, open func(*testing.T) sluice.Store) {
	t.Run("Labels", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		f.createPipeline("app")
		plain := f.queuedWith("app", buildType, map[string]string{"ProjectName": "a"})
		gpu := f.queuedWith("app", buildType, map[string]string{"WorkerLabel": "gpu"})
		arm := f.queuedWith("app", buildType, map[string]string{"WorkerLabel": "arm"})

		got := claim(f, sluice.ClaimParams{Limit: 5, Labels: []string{""}})
		require.Equal(t, []string{plain.ID}, ids(got, jobID))
		got = claim(f, sluice.ClaimParams{Limit: 5, Labels: []string{"", "gpu"}})
		require.Equal(t, []string{gpu.ID}, ids(got, jobID))
		got = claim(f, sluice.ClaimParams{Limit: 5}) // nil Labels: any label
		require.Equal(t, []string{arm.ID}, ids(got, jobID))
	})

	t.Run("Match", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		f.createPipeline("app")
		a := f.queuedWith("app", customType, map[string]string{"ProjectName": "a", "Other key": "x"})
		b := f.queuedWith("app", customType, map[string]string{"ProjectName": "b"})
		types := []sluice.ActionTypeID{customType}

		require.Empty(t, claim(f, sluice.ClaimParams{Limit: 5, Types: types, Match: map[string]string{"ProjectName": "c"}}))
		require.Empty(t, claim(f, sluice.ClaimParams{Limit: 5, Types: types, Match: map[string]string{"Missing": "a"}}))
		got := claim(f, sluice.ClaimParams{Limit: 5, Types: types, Match: map[string]string{"ProjectName": "b"}})
		require.Equal(t, []string{b.ID}, ids(got, jobID))
		got = claim(f, sluice.ClaimParams{Limit: 5, Types: types, Match: map[string]string{"Other key": "x", "ProjectName": "a"}})
		require.Equal(t, []string{a.ID}, ids(got, jobID))
	})
}

func customActionType(provider string) *sluice.CustomActionType {
	return &sluice.CustomActionType{ActionType: sluice.ActionType{
		ID:                      sluice.ActionTypeID{Category: "Build", Owner: "Custom", Provider: provider, Version: "1"},
		ConfigurationProperties: []sluice.ActionConfigurationProperty{{Name: "ProjectName", Required: true, Key: true, Queryable: true}},
		InputArtifactDetails:    sluice.ArtifactDetails{MaximumCount: 1},
		OutputArtifactDetails:   sluice.ArtifactDetails{MaximumCount: 1},
	}, Created: at(1)}
}

// testActionTypes checks sluice.ActionTypeStore.
func testActionTypes(t *testing.T, open func(*testing.T) sluice.Store) {
	t.Run("Lifecycle", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		b, a := customActionType("B"), customActionType("A")
		require.NoError(t, f.s.CreateActionType(f.ctx, b))
		require.NoError(t, f.s.CreateActionType(f.ctx, a))
		requireCode(t, f.s.CreateActionType(f.ctx, customActionType("A")), sluice.EAlreadyExists, "ActionType")
		got, err := f.s.GetActionType(f.ctx, a.ID)
		require.NoError(t, err)
		require.Equal(t, a, got)

		require.NoError(t, f.s.DeleteActionType(f.ctx, a.ID))
		requireCode(t, f.s.DeleteActionType(f.ctx, a.ID), sluice.ENotFound, "ActionType")
		requireCode(t, f.s.CreateActionType(f.ctx, customActionType("A")), sluice.EAlreadyExists, "ActionType")
		all, err := f.s.ListActionTypes(f.ctx)
		require.NoError(t, err)
		require.Len(t, all, 2)
		require.Equal(t, "A", all[0].ID.Provider)
		require.True(t, all[0].Deleted)
		require.False(t, all[1].Deleted)

		require.NoError(t, f.s.RestoreActionType(f.ctx, a.ID))
		requireCode(t, f.s.RestoreActionType(f.ctx, a.ID), sluice.ENotFound, "ActionType")
		got, err = f.s.GetActionType(f.ctx, a.ID)
		require.NoError(t, err)
		require.False(t, got.Deleted)
		_, err = f.s.GetActionType(f.ctx, customActionType("C").ID)
		requireCode(t, err, sluice.ENotFound, "ActionType")
	})

	t.Run("Update", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		a := customActionType("A")
		require.NoError(t, f.s.CreateActionType(f.ctx, a))
		a.InputArtifactDetails.MaximumCount = 7
		a.Declared = &sluice.ActionTypeDeclared{Description: "d", AllowedAccounts: []string{"*"},
			Executor: sluice.ActionTypeExecutor{Type: sluice.ExecutorJobWorker, PollingAccounts: []string{"111111111111"}, JobTimeout: 600}}
		require.NoError(t, f.s.UpdateActionType(f.ctx, a))
		got, err := f.s.GetActionType(f.ctx, a.ID)
		require.NoError(t, err)
		require.Equal(t, a, got)

		require.NoError(t, f.s.DeleteActionType(f.ctx, a.ID))
		requireCode(t, f.s.UpdateActionType(f.ctx, a), sluice.ENotFound, "ActionType")
		requireCode(t, f.s.UpdateActionType(f.ctx, customActionType("C")), sluice.ENotFound, "ActionType")
	})
}
