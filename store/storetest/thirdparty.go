package storetest

import (
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
)

// partnerType is a registered ThirdParty (partner) action type.
var partnerType = sluice.ActionTypeID{Category: sluice.CategoryTest, Owner: sluice.OwnerThirdParty, Provider: "Probe", Version: "1"}

// testThirdPartyClients checks sluice.ThirdPartyClientStore, and that ClaimJobs without
// types leaves the jobs of registered types (ClaimParams.Types) to their pollers.
func testThirdPartyClients(t *testing.T, open func(*testing.T) sluice.Store) {
	t.Run("PutReplaces", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		_, err := f.s.GetThirdPartyClient(f.ctx, partnerType)
		requireCode(t, err, sluice.ENotFound, "ThirdPartyClient")
		c := &sluice.ThirdPartyClient{ID: "00000000-0000-4000-8000-000000000001", Type: partnerType, TokenHash: "aa", Created: at(1)}
		require.NoError(t, f.s.PutThirdPartyClient(f.ctx, c))
		got, err := f.s.GetThirdPartyClient(f.ctx, partnerType)
		require.NoError(t, err)
		require.Equal(t, c, got)

		next := &sluice.ThirdPartyClient{ID: "00000000-0000-4000-8000-000000000002", Type: partnerType, TokenHash: "bb", Created: at(2)}
		require.NoError(t, f.s.PutThirdPartyClient(f.ctx, next))
		got, err = f.s.GetThirdPartyClient(f.ctx, partnerType)
		require.NoError(t, err)
		require.Equal(t, next, got)
	})

	t.Run("ClaimAnyLeavesRegisteredTypes", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		f.createPipeline("app")
		partner := f.queuedJobs("app", 1, partnerType)
		build := f.queuedJobs("app", 1, buildType)
		require.NoError(t, f.s.CreateActionType(f.ctx, &sluice.CustomActionType{ActionType: sluice.ActionType{ID: partnerType}, Created: at(1)}))

		require.Equal(t, []string{build[0].ID}, ids(claim(f, sluice.ClaimParams{Limit: 5}), jobID))
		got := claim(f, sluice.ClaimParams{Limit: 5, Types: []sluice.ActionTypeID{partnerType}})
		require.Equal(t, []string{partner[0].ID}, ids(got, jobID))
	})
}
