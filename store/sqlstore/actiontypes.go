package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"

	"sluice"
)

const (
	actionTypeKey     = `category = ? AND owner = ? AND provider = ? AND version = ?`
	qInsertActionType = `INSERT INTO action_types (category, owner, provider, version, definition, created)
VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`
	qRestoreActionType = `UPDATE action_types SET deleted = 0 WHERE ` + actionTypeKey + ` AND deleted = 1`
	qDeleteActionType  = `UPDATE action_types SET deleted = 1 WHERE ` + actionTypeKey + ` AND deleted = 0`
	qUpdateActionType  = `UPDATE action_types SET definition = ? WHERE ` + actionTypeKey + ` AND deleted = 0`
	qActionType        = `SELECT definition, deleted, created FROM action_types WHERE ` + actionTypeKey
	qActionTypes       = `SELECT definition, deleted, created FROM action_types
ORDER BY category, owner, provider, version`
)

func keyArgs(id sluice.ActionTypeID) []any {
	return []any{id.Category, id.Owner, id.Provider, id.Version}
}

func actionTypeNotFound(id sluice.ActionTypeID) error {
	return sluice.Errorf(sluice.ENotFound, "ActionType", "Action type %s was not found.", id)
}

// definition is the JSON a type is kept as: the ActionType's members, plus what
// UpdateActionType declared under one more member (absent in rows written before it).
type definition struct {
	sluice.ActionType
	Declared *sluice.ActionTypeDeclared `json:"sluiceDeclared,omitempty"`
}

func encodeDefinition(t *sluice.CustomActionType) (string, error) {
	return toJSON(definition{t.ActionType, t.Declared})
}

func scanActionType(sc scanner) (*sluice.CustomActionType, error) {
	var (
		def     string
		deleted bool
		created int64
	)
	if err := sc.Scan(&def, &deleted, &created); err != nil {
		return nil, err
	}
	var d definition
	if err := json.Unmarshal([]byte(def), &d); err != nil {
		return nil, err
	}
	return &sluice.CustomActionType{ActionType: d.ActionType, Declared: d.Declared, Deleted: deleted, Created: tm(created)}, nil
}

// CreateActionType stores t (EAlreadyExists/ActionType when its id exists, even deleted).
func (e executor) CreateActionType(ctx context.Context, t *sluice.CustomActionType) error {
	def, err := encodeDefinition(t)
	if err != nil {
		return err
	}
	ok, err := e.wr().execOne(ctx, qInsertActionType, append(keyArgs(t.ID), def, ts(t.Created))...)
	if err != nil || ok {
		return err
	}
	return sluice.Errorf(sluice.EAlreadyExists, "ActionType", "Action type %s already exists.", t.ID)
}

// RestoreActionType undeletes a deleted type (ENotFound/ActionType when none is deleted).
func (e executor) RestoreActionType(ctx context.Context, id sluice.ActionTypeID) error {
	ok, err := e.wr().execOne(ctx, qRestoreActionType, keyArgs(id)...)
	if err != nil || ok {
		return err
	}
	return actionTypeNotFound(id)
}

// DeleteActionType marks a type deleted (ENotFound/ActionType when none is active).
func (e executor) DeleteActionType(ctx context.Context, id sluice.ActionTypeID) error {
	ok, err := e.wr().execOne(ctx, qDeleteActionType, keyArgs(id)...)
	if err != nil || ok {
		return err
	}
	return actionTypeNotFound(id)
}

// UpdateActionType replaces the definition and Declared of an active type
// (ENotFound/ActionType when none is active).
func (e executor) UpdateActionType(ctx context.Context, t *sluice.CustomActionType) error {
	def, err := encodeDefinition(t)
	if err != nil {
		return err
	}
	ok, err := e.wr().execOne(ctx, qUpdateActionType, append([]any{def}, keyArgs(t.ID)...)...)
	if err != nil || ok {
		return err
	}
	return actionTypeNotFound(t.ID)
}

// GetActionType returns a type, deleted or not (ENotFound/ActionType).
func (e executor) GetActionType(ctx context.Context, id sluice.ActionTypeID) (*sluice.CustomActionType, error) {
	t, err := scanActionType(e.rd().queryRow(ctx, qActionType, keyArgs(id)...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, actionTypeNotFound(id)
	}
	return t, err
}

// ListActionTypes returns every type, deleted ones included, by id.
func (e executor) ListActionTypes(ctx context.Context) ([]*sluice.CustomActionType, error) {
	return queryAll(ctx, e.rd(), scanActionType, qActionTypes)
}
