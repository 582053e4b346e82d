package storetest

import (
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
)

func deployTarget(run *sluice.ActionRun, id, status string, sec int) *sluice.DeployTarget {
	return &sluice.DeployTarget{ActionRunID: run.ID, TargetID: id, TargetType: "EC2Instance", Status: status,
		StartTime: at(sec), Events: []sluice.DeployTargetEvent{}}
}

func targetIDs(ts []*sluice.DeployTarget) []string { return ids(ts, targetID) }

func targetID(t *sluice.DeployTarget) string { return t.TargetID }

// testDeployTargets checks sluice.DeployTargetStore.
func testDeployTargets(t *testing.T, open func(*testing.T) sluice.Store) {
	// setupTargets stores a deploy action run of app with no targets yet.
	setupTargets := func(t *testing.T) (*fixture, *sluice.ActionRun) {
		f := setup(t, open)
		f.createPipeline("app")
		e := f.execution("app", sluice.ExecutionInProgress)
		run := f.actionRun(e, "Deploy", "Hosts", sluice.ActionInProgress)
		f.apply("app", insert(e, run))
		return f, run
	}

	t.Run("PutReplacesAndLists", func(t *testing.T) {
		t.Parallel()
		f, run := setupTargets(t)
		got, next, err := f.s.ListDeployTargets(f.ctx, sluice.DeployTargetFilter{ActionRunID: run.ID})
		require.NoError(t, err)
		require.Empty(t, got)
		require.Empty(t, next)

		b := deployTarget(run, "i-b", "InProgress", 3)
		b.Events = []sluice.DeployTargetEvent{{Name: "DownloadBundle", Status: "Succeeded", StartTime: at(3), EndTime: at(4), SSMCommandID: "cmd-1", Message: "ok"}}
		require.NoError(t, f.s.PutDeployTarget(f.ctx, b))
		require.NoError(t, f.s.PutDeployTarget(f.ctx, deployTarget(run, "i-a", "Pending", 0)))
		b.Status, b.EndTime = "Succeeded", at(9)
		require.NoError(t, f.s.PutDeployTarget(f.ctx, b))

		got, _, err = f.s.ListDeployTargets(f.ctx, sluice.DeployTargetFilter{ActionRunID: run.ID})
		require.NoError(t, err)
		require.Equal(t, []string{"i-a", "i-b"}, targetIDs(got))
		require.Equal(t, b, got[1])
		require.True(t, got[0].EndTime.IsZero())
	})

	t.Run("FiltersByStatusInPages", func(t *testing.T) {
		t.Parallel()
		f, run := setupTargets(t)
		for i, s := range []string{"Succeeded", "Failed", "Succeeded", "InProgress", "Succeeded"} {
			require.NoError(t, f.s.PutDeployTarget(f.ctx, deployTarget(run, string(rune('a'+i)), s, i+1)))
		}
		filter := sluice.DeployTargetFilter{ActionRunID: run.ID, Statuses: []string{"Succeeded", "Failed"}, Page: sluice.Page{Limit: 2}}
		all := pageIDs(t, 5, targetID, func(token string) ([]*sluice.DeployTarget, string, error) {
			filter.Token = token
			return f.s.ListDeployTargets(f.ctx, filter)
		})
		require.Equal(t, []string{"a", "b", "c", "e"}, all)
	})

	t.Run("ErrUnknownRun", func(t *testing.T) {
		t.Parallel()
		f, run := setupTargets(t)
		requireCode(t, f.s.PutDeployTarget(f.ctx, deployTarget(&sluice.ActionRun{ID: "nope"}, "i-a", "Pending", 1)), sluice.ENotFound, "ActionExecution")
		name, err := f.s.ActionRunPipeline(f.ctx, run.ID)
		require.NoError(t, err)
		require.Equal(t, "app", name)
		_, err = f.s.ActionRunPipeline(f.ctx, "nope")
		requireCode(t, err, sluice.ENotFound, "ActionExecution")
		_, _, err = f.s.ListDeployTargets(f.ctx, sluice.DeployTargetFilter{ActionRunID: run.ID, Page: sluice.Page{Token: "bogus"}})
		requireCode(t, err, sluice.EInvalid, "NextToken")
	})

	t.Run("GoWithTheirPipeline", func(t *testing.T) {
		t.Parallel()
		f, run := setupTargets(t)
		require.NoError(t, f.s.PutDeployTarget(f.ctx, deployTarget(run, "i-a", "Succeeded", 1)))
		f.update("app", func(tx sluice.Tx) error { return tx.DeletePipeline(f.ctx) })
		got, _, err := f.s.ListDeployTargets(f.ctx, sluice.DeployTargetFilter{ActionRunID: run.ID})
		require.NoError(t, err)
		require.Empty(t, got)
	})
}
