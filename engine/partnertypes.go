package engine

import (
	"context"

	"sluice"
	"sluice/catalog"
)

// Registered says whether t is run by the job workers that poll it by name, never by
// Sluice's: a custom type, or a partner type (a ThirdParty type that is not built in, or
// a built-in partner type, catalog.Partner). The engine queues their jobs whatever the
// node's providers run.
func Registered(t sluice.ActionTypeID) bool {
	switch t.Owner {
	case sluice.OwnerCustom:
		return true
	case sluice.OwnerThirdParty:
		_, builtIn := catalog.Lookup(t)
		return !builtIn || catalog.Partner(t)
	}
	return false
}

// CreatePartnerActionTypeTx registers t through x with owner ThirdParty (SEMANTICS §9.3): a
// partner action type, whose jobs partner job workers take with PollForThirdPartyJobs. It
// follows custom types' rules (checkCustomType); the same definition again returns the
// existing type, restored if deleted, and any other under a used id is refused. A built-in
// partner type (catalog.Partner) keeps the catalog's definition, whatever t says.
func (e *Engine) CreatePartnerActionTypeTx(ctx context.Context, x sluice.Executor, t sluice.ActionType) (*sluice.ActionType, error) {
	t.ID.Owner = sluice.OwnerThirdParty
	if builtIn, ok := catalog.Lookup(t.ID); ok {
		if !catalog.Partner(t.ID) {
			return nil, sluice.Errorf(sluice.EInvalid, "", "Action type %s is built in: Sluice runs it, not a partner's job worker.", t.ID)
		}
		return &builtIn, nil
	}
	if err := checkCustomType(&t); err != nil {
		return nil, err
	}
	old, err := x.GetActionType(ctx, t.ID)
	switch {
	case err == nil:
		return reuseActionType(ctx, x, old, &t)
	case !sluice.IsCode(err, sluice.ENotFound):
		return nil, err
	}
	if err := x.CreateActionType(ctx, &sluice.CustomActionType{ActionType: t, Created: e.Clock.Now()}); err != nil {
		return nil, err
	}
	return &t, nil
}
