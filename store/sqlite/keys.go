package sqlite

import (
	"context"
	"database/sql"
	"errors"

	"sluice"
)

const (
	qAccessKey    = `SELECT id, secret, principal, created FROM access_keys WHERE id = ?`
	qPutAccessKey = `INSERT INTO access_keys (id, secret, principal, created) VALUES (?, ?, ?, ?)
ON CONFLICT (id) DO UPDATE SET secret = excluded.secret, principal = excluded.principal,
created = excluded.created`
)

// GetAccessKey returns the access key with that id (ENotFound/AccessKey).
func (e executor) GetAccessKey(ctx context.Context, id string) (*sluice.AccessKey, error) {
	var (
		k       sluice.AccessKey
		created int64
	)
	err := e.rd().queryRow(ctx, qAccessKey, id).Scan(&k.ID, &k.Secret, &k.Principal, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, sluice.Errorf(sluice.ENotFound, "AccessKey", "access key %s not found", id)
	}
	if err != nil {
		return nil, err
	}
	k.Created = tm(created)
	if k.Secret, err = e.db.open(colAccessKeySecret, k.ID, k.Secret); err != nil {
		return nil, err
	}
	return &k, nil
}

// PutAccessKey stores k, replacing a key with the same id.
func (e executor) PutAccessKey(ctx context.Context, k *sluice.AccessKey) error {
	secret, err := e.db.seal(colAccessKeySecret, k.ID, k.Secret)
	if err != nil {
		return err
	}
	_, err = e.wr().exec(ctx, qPutAccessKey, k.ID, secret, k.Principal, ts(k.Created))
	return err
}
