package sqlstore

import (
	"context"

	"sluice"
)

const (
	qUserKeys      = `SELECT ` + keyCols + ` FROM access_keys WHERE user_name = ? AND status != 'Retired' ORDER BY created, id`
	qSetKeyStatus  = `UPDATE access_keys SET status = ? WHERE id = ?`
	qDeleteKey     = `DELETE FROM access_keys WHERE id = ?`
	qRetireRootKey = `UPDATE access_keys SET status = 'Retired' WHERE user_name = '' AND principal LIKE 'arn:%:iam::%:root' AND id != ?`
)

func keyNotFound(id string) error {
	return sluice.Errorf(sluice.ENotFound, "AccessKey", "The Access Key with id %s cannot be found", id)
}

// UserAccessKeys returns a user's keys (RootUserName: the root's), oldest first.
func (e executor) UserAccessKeys(ctx context.Context, user string) ([]*sluice.AccessKey, error) {
	return queryAll(ctx, e.rd(), e.scanKey, qUserKeys, user)
}

// SetAccessKeyStatus changes a key's status (ENotFound/AccessKey).
func (e executor) SetAccessKeyStatus(ctx context.Context, id string, status sluice.KeyStatus) error {
	ok, err := e.wr().execOne(ctx, qSetKeyStatus, string(status), id)
	if err != nil || ok {
		return err
	}
	return keyNotFound(id)
}

// DeleteAccessKey removes a key (ENotFound/AccessKey).
func (e executor) DeleteAccessKey(ctx context.Context, id string) error {
	ok, err := e.wr().execOne(ctx, qDeleteKey, id)
	if err != nil || ok {
		return err
	}
	return keyNotFound(id)
}

// RetireRootKeys retires every root key but keep.
func (e executor) RetireRootKeys(ctx context.Context, keep string) error {
	_, err := e.wr().exec(ctx, qRetireRootKey, keep)
	return err
}
