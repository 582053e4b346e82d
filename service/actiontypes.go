package service

import (
	"context"

	"sluice"
	"sluice/engine"
)

// CreateCustomActionType checks a custom action type's artifact bounds, properties and
// tags, and creates it (or restores a deleted one) with its tags in one transaction. It
// returns the type and all its tags.
func (s *Service) CreateCustomActionType(ctx context.Context, c sluice.Caller, t sluice.ActionType, tags []sluice.Tag) (*sluice.ActionType, map[string]string, error) {
	if err := s.allow(ctx, c, actCreateCustomActionType, s.actionTypeARN(t.ID)); err != nil {
		return nil, nil, err
	}
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
		arn := s.actionTypeARN(created.ID)
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
func (s *Service) DeleteCustomActionType(ctx context.Context, c sluice.Caller, id sluice.ActionTypeID) error {
	id.Owner = sluice.OwnerCustom // the request names no owner: only custom types are deleted
	if err := s.allow(ctx, c, actDeleteCustomActionType, s.actionTypeARN(id)); err != nil {
		return err
	}
	return s.Engine.DeleteCustomActionType(ctx, id)
}

// ActionType returns a built-in or active custom action type (ENotFound/ActionType).
func (s *Service) ActionType(ctx context.Context, c sluice.Caller, id sluice.ActionTypeID) (*sluice.ActionType, error) {
	if err := s.allow(ctx, c, actGetActionType, anyResource); err != nil {
		return nil, err
	}
	t, ok := s.Lookup(id)
	if !ok {
		return nil, sluice.Errorf(sluice.ENotFound, "ActionType", "Action type %s was not found.", id)
	}
	return t, nil
}

// ActionTypeDeclaration returns an action type as GetActionType declares it: a registered
// type with what UpdateActionType declared of it (nil before), a built-in one with nil
// (ENotFound/ActionType when there is none).
func (s *Service) ActionTypeDeclaration(ctx context.Context, c sluice.Caller, id sluice.ActionTypeID) (*sluice.ActionType, *sluice.ActionTypeDeclared, error) {
	if err := s.allow(ctx, c, actGetActionType, anyResource); err != nil {
		return nil, nil, err
	}
	if engine.Registered(id) {
		return s.Engine.DeclaredActionType(ctx, id)
	}
	t, ok := s.Lookup(id)
	if !ok {
		return nil, nil, sluice.Errorf(sluice.ENotFound, "ActionType", "Action type %s was not found.", id)
	}
	return t, nil, nil
}

// UpdateActionType replaces a registered partner type's declaration (engine.UpdateActionType).
func (s *Service) UpdateActionType(ctx context.Context, c sluice.Caller, t sluice.ActionType, d sluice.ActionTypeDeclared) error {
	if err := s.allow(ctx, c, actUpdateActionType, s.actionTypeARN(t.ID)); err != nil {
		return err
	}
	_, err := s.Engine.UpdateActionType(ctx, t, d)
	return err
}

// ListActionTypes lists the action types of an owner ("" for every owner).
func (s *Service) ListActionTypes(ctx context.Context, c sluice.Caller, owner string) ([]sluice.ActionType, error) {
	if err := s.allow(ctx, c, actListActionTypes, anyResource); err != nil {
		return nil, err
	}
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
