package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"sluice"
)

const (
	qPutThirdPartyClient = `INSERT INTO thirdparty_clients (category, owner, provider, version, client_id, token_hash, created)
VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (category, owner, provider, version) DO UPDATE SET
client_id = excluded.client_id, token_hash = excluded.token_hash, created = excluded.created`
	qThirdPartyClient = `SELECT client_id, token_hash, created FROM thirdparty_clients WHERE ` + actionTypeKey
)

// PutThirdPartyClient stores c as its type's client, replacing the previous one.
func (e executor) PutThirdPartyClient(ctx context.Context, c *sluice.ThirdPartyClient) error {
	_, err := e.wr().exec(ctx, qPutThirdPartyClient, append(keyArgs(c.Type), c.ID, c.TokenHash, ts(c.Created))...)
	return err
}

// GetThirdPartyClient returns the client of a type (ENotFound/ThirdPartyClient).
func (e executor) GetThirdPartyClient(ctx context.Context, t sluice.ActionTypeID) (*sluice.ThirdPartyClient, error) {
	c := &sluice.ThirdPartyClient{Type: t}
	var created int64
	err := e.rd().queryRow(ctx, qThirdPartyClient, keyArgs(t)...).Scan(&c.ID, &c.TokenHash, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, sluice.Errorf(sluice.ENotFound, "ThirdPartyClient", "Action type %s has no third-party client.", t)
	}
	c.Created = tm(created)
	return c, err
}
