package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"sluice"
)

const (
	connCols    = `arn, name, provider_type, host_arn, endpoint, status, username, secret, ssh_key, webhook_secret, created`
	qInsertConn = `INSERT INTO connections (` + connCols + `) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (arn) DO NOTHING`
	qConn       = `SELECT ` + connCols + ` FROM connections WHERE arn = ?`
	qConns      = `SELECT ` + connCols + ` FROM connections ORDER BY created, rowid`
	qUpdateConn = `UPDATE connections SET status = ?, username = ?, secret = ?, ssh_key = ?, webhook_secret = ?
WHERE arn = ?`
	qDeleteConn = `DELETE FROM connections WHERE arn = ?`

	hostCols    = `arn, name, provider_type, endpoint, status, created`
	qInsertHost = `INSERT INTO hosts (` + hostCols + `) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (arn) DO NOTHING`
	qHost       = `SELECT ` + hostCols + ` FROM hosts WHERE arn = ?`
	qHosts      = `SELECT ` + hostCols + ` FROM hosts ORDER BY created, rowid`
	qDeleteHost = `DELETE FROM hosts WHERE arn = ?`
)

func scanConn(sc scanner) (*sluice.Connection, error) {
	var (
		c       sluice.Connection
		created int64
	)
	err := sc.Scan(&c.ARN, &c.Name, &c.ProviderType, &c.HostARN, &c.Endpoint, &c.Status, &c.Username,
		&c.Secret, &c.SSHKey, &c.WebhookSecret, &created)
	c.Created = tm(created)
	return &c, err
}

func scanHost(sc scanner) (*sluice.Host, error) {
	var (
		h       sluice.Host
		created int64
	)
	err := sc.Scan(&h.ARN, &h.Name, &h.ProviderType, &h.Endpoint, &h.Status, &created)
	h.Created = tm(created)
	return &h, err
}

func connNotFound(arn string) error {
	return sluice.Errorf(sluice.ENotFound, "Connection", "Connection %s does not exist.", arn)
}

func hostNotFound(arn string) error {
	return sluice.Errorf(sluice.ENotFound, "Host", "Host %s does not exist.", arn)
}

// sealedConn returns a copy of c whose secrets are sealed, as the row holds them.
func (e executor) sealedConn(c *sluice.Connection) (*sluice.Connection, error) {
	out := *c
	var err error
	for _, f := range []sealedField{{colConnSecret, &out.Secret}, {colConnSSHKey, &out.SSHKey}, {colConnWebhook, &out.WebhookSecret}} {
		if *f.v, err = e.db.seal(f.col, c.ARN, *f.v); err != nil {
			return nil, err
		}
	}
	return &out, nil
}

// openConn opens the secrets of a connection read from its row.
func (e executor) openConn(c *sluice.Connection, err error) (*sluice.Connection, error) {
	if err != nil {
		return nil, err
	}
	return c, e.db.openAll(c.ARN, sealedField{colConnSecret, &c.Secret}, sealedField{colConnSSHKey, &c.SSHKey},
		sealedField{colConnWebhook, &c.WebhookSecret})
}

// CreateConnection stores c (EAlreadyExists/Connection when its ARN is taken).
func (e executor) CreateConnection(ctx context.Context, c *sluice.Connection) error {
	c, err := e.sealedConn(c)
	if err != nil {
		return err
	}
	ok, err := e.wr().execOne(ctx, qInsertConn, c.ARN, c.Name, c.ProviderType, c.HostARN, c.Endpoint, c.Status,
		c.Username, c.Secret, c.SSHKey, c.WebhookSecret, ts(c.Created))
	if err != nil || ok {
		return err
	}
	return sluice.Errorf(sluice.EAlreadyExists, "Connection", "Connection %s already exists.", c.ARN)
}

// GetConnection returns a connection by ARN (ENotFound/Connection).
func (e executor) GetConnection(ctx context.Context, arn string) (*sluice.Connection, error) {
	c, err := scanConn(e.rd().queryRow(ctx, qConn, arn))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, connNotFound(arn)
	}
	return e.openConn(c, err)
}

// ListConnections returns every connection, oldest first.
func (e executor) ListConnections(ctx context.Context) ([]*sluice.Connection, error) {
	cs, err := queryAll(ctx, e.rd(), scanConn, qConns)
	for _, c := range cs {
		if _, err = e.openConn(c, err); err != nil {
			return nil, err
		}
	}
	return cs, err
}

// UpdateConnection replaces the connection's status and credentials.
func (e executor) UpdateConnection(ctx context.Context, c *sluice.Connection) error {
	c, err := e.sealedConn(c)
	if err != nil {
		return err
	}
	ok, err := e.wr().execOne(ctx, qUpdateConn, c.Status, c.Username, c.Secret, c.SSHKey, c.WebhookSecret, c.ARN)
	if err != nil || ok {
		return err
	}
	return connNotFound(c.ARN)
}

// DeleteConnection removes a connection and its webhook deliveries (ENotFound/Connection).
func (e executor) DeleteConnection(ctx context.Context, arn string) error {
	return e.write(ctx, func(c conn) error {
		ok, err := c.execOne(ctx, qDeleteConn, arn)
		if err != nil {
			return err
		}
		if !ok {
			return connNotFound(arn)
		}
		_, err = c.exec(ctx, qDeleteConnDeliveries, arn)
		return err
	})
}

// CreateHost stores h (EAlreadyExists/Host when its ARN is taken).
func (e executor) CreateHost(ctx context.Context, h *sluice.Host) error {
	ok, err := e.wr().execOne(ctx, qInsertHost, h.ARN, h.Name, h.ProviderType, h.Endpoint, h.Status, ts(h.Created))
	if err != nil || ok {
		return err
	}
	return sluice.Errorf(sluice.EAlreadyExists, "Host", "Host %s already exists.", h.ARN)
}

// GetHost returns a host by ARN (ENotFound/Host).
func (e executor) GetHost(ctx context.Context, arn string) (*sluice.Host, error) {
	h, err := scanHost(e.rd().queryRow(ctx, qHost, arn))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, hostNotFound(arn)
	}
	return h, err
}

// ListHosts returns every host, oldest first.
func (e executor) ListHosts(ctx context.Context) ([]*sluice.Host, error) {
	return queryAll(ctx, e.rd(), scanHost, qHosts)
}

// DeleteHost removes a host (ENotFound/Host).
func (e executor) DeleteHost(ctx context.Context, arn string) error {
	ok, err := e.wr().execOne(ctx, qDeleteHost, arn)
	if err != nil || ok {
		return err
	}
	return hostNotFound(arn)
}
