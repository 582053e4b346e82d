package engine

import (
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
)

func TestRegistered(t *testing.T) {
	t.Parallel()
	id := func(owner, provider string) sluice.ActionTypeID {
		return sluice.ActionTypeID{Category: sluice.CategoryInvoke, Owner: owner, Provider: provider, Version: "1"}
	}
	require.True(t, Registered(id(sluice.OwnerCustom, "Anything")))
	require.True(t, Registered(id(sluice.OwnerThirdParty, "Probe")), "a partner type an operator registers")
	require.True(t, Registered(id(sluice.OwnerThirdParty, "Snyk")), "a built-in partner type")
	require.False(t, Registered(sluice.ActionTypeID{Category: sluice.CategorySource, Owner: sluice.OwnerThirdParty, Provider: "GitHub", Version: "1"}),
		"CodePipeline's own ThirdParty action")
	require.False(t, Registered(id(sluice.OwnerAWS, "Lambda")))
}

// TestDecidePartnerTypeWaitsForItsWorker: a partner type's job is queued for the partner's
// job worker, though no Sluice worker runs it.
func TestDecidePartnerTypeWaitsForItsWorker(t *testing.T) {
	t.Parallel()
	decl := threeStages("")
	a := &decl.Stages[1].Actions[0]
	a.ActionTypeID = sluice.ActionTypeID{Category: sluice.CategoryInvoke, Owner: sluice.OwnerThirdParty, Provider: "Snyk", Version: "1"}
	a.Commands = nil
	h := newHarness(t, decl)
	h.runnable = func(id sluice.ActionTypeID) bool { return id.Provider == "CodeCommit" }
	e := h.start()
	h.pass(e, "Source")
	require.Equal(t, sluice.ActionInProgress, h.run(e, "S2", "A").Status)
	job := h.openJob(e, "S2", "A")
	require.NotNil(t, job)
	require.Equal(t, a.ActionTypeID, job.ActionType)
}
