package service

import (
	"context"

	"sluice"
	"sluice/engine"
)

// CreateCustomActionType checks a custom action type's artifact bounds, properties and
// tags, and creates it (or restores a deleted one) with its tags in one transaction. It
// returns the type and all its tags.
func (s *Service) CreateCustomActionType(ctx context.Context, _ sluice.Caller, t sluice.ActionType, tags []sluice.Tag) (*sluice.ActionType, map[string]string, error) {
	if err := engine.CheckCustomActionType(t); err != nil {
		return nil, nil, err
	}
	if err := CheckTags(tags); err != nil {
		return nil, nil, err
	}
	var created *sluice.ActionType
	var all map[string]string
	err := s.Store.InTx(ctx, func(x sluice.Executor) (err error) {
		if created, err = s.Engine.CreateCustomActionTypeTx(ctx, x, t); err != nil {
			return err
		}
		arn := s.Scope().ARN(sluice.ActionTypeARN, sluice.ActionTypeResource(created.ID))
		if len(tags) > 0 {
			if err := x.TagResource(ctx, arn, tagMap(tags)); err != nil {
				return err
			}
		}
		all, err = x.ListTags(ctx, arn)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	return created, all, nil
}

// DeleteCustomActionType marks a custom action type deleted (ENotFound/ActionType).
func (s *Service) DeleteCustomActionType(ctx context.Context, _ sluice.Caller, id sluice.ActionTypeID) error {
	return s.Engine.DeleteCustomActionType(ctx, id)
}

// ActionType returns a built-in or active custom action type (ENotFound/ActionType).
func (s *Service) ActionType(_ context.Context, _ sluice.Caller, id sluice.ActionTypeID) (*sluice.ActionType, error) {
	t, ok := s.Lookup(id)
	if !ok {
		return nil, sluice.Errorf(sluice.ENotFound, "ActionType", "Action type %s was not found.", id)
	}
	return t, nil
}

// ListActionTypes lists the action types of an owner ("" for every owner).
func (s *Service) ListActionTypes(ctx context.Context, _ sluice.Caller, owner string) ([]sluice.ActionType, error) {
	list := s.ActionTypes
	if list == nil {
		list = s.Engine.ActionTypes
	}
	types, err := list(ctx)
	if err != nil {
		return nil, err
	}
	out := []sluice.ActionType{}
	for _, t := range types {
		if owner == "" || t.ID.Owner == owner {
			out = append(out, t)
		}
	}
	return out, nil
}
