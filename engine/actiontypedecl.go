package engine

import (
	"context"

	"sluice"
)

// UpdateActionType replaces the declaration of a registered partner (ThirdParty) action
// type with t and d (UpdateActionType, SEMANTICS §9.3): what pipelines may configure and
// how many artifacts they pass from then on. Built-in, custom and unknown ids are
// ENotFound/ActionType (the model's UpdateActionType takes owners AWS and ThirdParty, and
// only registered partner types are the caller's to change); a definition custom types'
// rules refuse (checkCustomType) or an executor without its configuration is EInvalid.
func (e *Engine) UpdateActionType(ctx context.Context, t sluice.ActionType, d sluice.ActionTypeDeclared) (*sluice.CustomActionType, error) {
	if t.ID.Owner != sluice.OwnerThirdParty || !Registered(t.ID) {
		return nil, sluice.Errorf(sluice.ENotFound, "ActionType", "Action type %s is not a registered partner action type.", t.ID)
	}
	if err := checkCustomType(&t); err != nil {
		return nil, err
	}
	if err := checkExecutor(d.Executor); err != nil {
		return nil, err
	}
	old, err := e.Store.GetActionType(ctx, t.ID)
	switch {
	case err != nil:
		return nil, err
	case old.Deleted:
		return nil, sluice.Errorf(sluice.ENotFound, "ActionType", "Action type %s was deleted.", t.ID)
	}
	n := &sluice.CustomActionType{ActionType: t, Declared: &d, Created: old.Created}
	return n, e.Store.UpdateActionType(ctx, n)
}

// checkExecutor holds an executor to the configuration of its type.
func checkExecutor(x sluice.ActionTypeExecutor) error {
	switch {
	case x.Type == sluice.ExecutorLambda && x.LambdaFunctionARN == "":
		return sluice.Errorf(sluice.EInvalid, "", "A Lambda executor needs configuration.lambdaExecutorConfiguration.lambdaFunctionArn.")
	case x.Type == sluice.ExecutorJobWorker && x.LambdaFunctionARN != "":
		return sluice.Errorf(sluice.EInvalid, "", "A JobWorker executor takes configuration.jobWorkerExecutorConfiguration, not lambdaExecutorConfiguration.")
	case x.Type == sluice.ExecutorLambda && len(x.PollingAccounts)+len(x.PollingServicePrincipals) > 0:
		return sluice.Errorf(sluice.EInvalid, "", "A Lambda executor takes configuration.lambdaExecutorConfiguration, not jobWorkerExecutorConfiguration.")
	}
	return nil
}

// DeclaredActionType returns a registered (custom or partner) action type as
// GetActionType declares it, with what UpdateActionType declared (nil before);
// ENotFound/ActionType when it is not registered or was deleted.
func (e *Engine) DeclaredActionType(ctx context.Context, id sluice.ActionTypeID) (*sluice.ActionType, *sluice.ActionTypeDeclared, error) {
	if !Registered(id) {
		return nil, nil, sluice.Errorf(sluice.ENotFound, "ActionType", "Action type %s was not found.", id)
	}
	t, err := e.Store.GetActionType(ctx, id)
	switch {
	case err != nil:
		return nil, nil, err
	case t.Deleted:
		return nil, nil, sluice.Errorf(sluice.ENotFound, "ActionType", "Action type %s was deleted.", id)
	}
	return &t.ActionType, t.Declared, nil
}
