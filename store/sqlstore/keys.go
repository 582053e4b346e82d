package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"sluice"
)

const (
	keyCols       = `id, secret, principal, created, user_name, status`
	qAccessKey    = `SELECT ` + keyCols + ` FROM access_keys WHERE id = ?`
	qPutAccessKey = `INSERT INTO access_keys (` + keyCols + `) VALUES (?, ?, ?, ?, ?, ?)
ON CONFLICT (id) DO UPDATE SET secret = excluded.secret, principal = excluded.principal,
created = excluded.created, user_name = excluded.user_name, status = excluded.status`
)

// scanKey reads a key row and opens its sealed secret.
func (e executor) scanKey(sc scanner) (*sluice.AccessKey, error) {
	var (
		k       sluice.AccessKey
		created int64
		status  string
	)
	if err := sc.Scan(&k.ID, &k.Secret, &k.Principal, &created, &k.UserName, &status); err != nil {
		return nil, err
	}
	k.Created, k.Status = tm(created), sluice.KeyStatus(status)
	var err error
	if k.Secret, err = e.db.open(colAccessKeySecret, k.ID, k.Secret); err != nil {
		return nil, err
	}
	return &k, nil
}

// GetAccessKey returns the access key with that id (ENotFound/AccessKey).
func (e executor) GetAccessKey(ctx context.Context, id string) (*sluice.AccessKey, error) {
	k, err := e.scanKey(e.rd().queryRow(ctx, qAccessKey, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, sluice.Errorf(sluice.ENotFound, "AccessKey", "access key %s not found", id)
	}
	return k, err
}

// PutAccessKey stores k, replacing a key with the same id; Status "" is KeyActive.
func (e executor) PutAccessKey(ctx context.Context, k *sluice.AccessKey) error {
	if k.Status == "" {
		k.Status = sluice.KeyActive
	}
	secret, err := e.db.seal(colAccessKeySecret, k.ID, k.Secret)
	if err != nil {
		return err
	}
	_, err = e.wr().exec(ctx, qPutAccessKey, k.ID, secret, k.Principal, ts(k.Created), k.UserName, string(k.Status))
	return err
}
