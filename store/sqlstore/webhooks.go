package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"sluice"
)

const (
	webhookCols = `name, arn, target_pipeline, target_action, filters, authentication, secret_token, allowed_ip_range,
token, last_triggered, error_code, error_message, created`
	qWebhookCount = `SELECT count(*) FILTER (WHERE name = ?), count(*) FROM webhooks`
	// qPutWebhook replaces only the definition of a webhook it finds, and returns what it
	// keeps.
	qPutWebhook = `INSERT INTO webhooks (` + webhookCols + `) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (name) DO UPDATE SET target_pipeline = excluded.target_pipeline, target_action = excluded.target_action,
  filters = excluded.filters, authentication = excluded.authentication, secret_token = excluded.secret_token,
  allowed_ip_range = excluded.allowed_ip_range
RETURNING arn, token, last_triggered, error_code, error_message, created`
	qWebhook        = `SELECT ` + webhookCols + ` FROM webhooks WHERE name = ?`
	qWebhookByToken = `SELECT ` + webhookCols + ` FROM webhooks WHERE token = ?`
	qWebhooks       = `SELECT ` + webhookCols + ` FROM webhooks WHERE name > ? ORDER BY name LIMIT ?`
	qDeleteWebhook  = `DELETE FROM webhooks WHERE name = ? RETURNING arn`
	// qWebhookOutcome keeps the stored last_triggered when given 0.
	qWebhookOutcome = `UPDATE webhooks SET last_triggered = CASE WHEN ?1 = 0 THEN last_triggered ELSE ?1 END,
  error_code = ?2, error_message = ?3 WHERE name = ?4`
)

func scanWebhook(sc scanner) (*sluice.Webhook, error) {
	var (
		w                      sluice.Webhook
		filters                string
		lastTriggered, created int64
	)
	err := sc.Scan(&w.Name, &w.ARN, &w.TargetPipeline, &w.TargetAction, &filters, &w.Authentication, &w.SecretToken,
		&w.AllowedIPRange, &w.Token, &lastTriggered, &w.ErrorCode, &w.ErrorMessage, &created)
	if err != nil {
		return nil, err
	}
	w.LastTriggered, w.Created = tm(lastTriggered), tm(created)
	return &w, fromJSON(filters, &w.Filters)
}

// openWebhook opens the secret of a webhook read from its row.
func (e executor) openWebhook(w *sluice.Webhook, err error) (*sluice.Webhook, error) {
	if err != nil {
		return nil, err
	}
	return w, e.db.openAll(w.Name, sealedField{colWebhookSecret, &w.SecretToken})
}

func webhookNotFound(name string) error {
	return sluice.Errorf(sluice.ENotFound, "Webhook", "Webhook %s does not exist.", name)
}

// PutWebhook inserts or updates a webhook and adds its tags, refusing a new one past p.Max.
func (e executor) PutWebhook(ctx context.Context, p sluice.PutWebhookParams) error {
	w := p.Webhook
	filters, err := toJSON(w.Filters)
	if err != nil {
		return err
	}
	secret, err := e.db.seal(colWebhookSecret, w.Name, w.SecretToken)
	if err != nil {
		return err
	}
	return e.write(ctx, func(c conn) error {
		if p.Max > 0 {
			if err := checkWebhookCount(ctx, c, w.Name, p.Max); err != nil {
				return err
			}
		}
		var lastTriggered, created int64
		err := c.queryRow(ctx, qPutWebhook, w.Name, w.ARN, w.TargetPipeline, w.TargetAction, filters, w.Authentication,
			secret, w.AllowedIPRange, w.Token, ts(w.LastTriggered), w.ErrorCode, w.ErrorMessage, ts(w.Created)).
			Scan(&w.ARN, &w.Token, &lastTriggered, &w.ErrorCode, &w.ErrorMessage, &created)
		if err != nil {
			return err
		}
		w.LastTriggered, w.Created = tm(lastTriggered), tm(created)
		return putTags(ctx, c, w.ARN, p.Tags)
	})
}

// checkWebhookCount refuses a new webhook when max exist already; an update is no new one.
func checkWebhookCount(ctx context.Context, c conn, name string, max int) error {
	var exists, n int
	if err := c.queryRow(ctx, qWebhookCount, name).Scan(&exists, &n); err != nil {
		return err
	}
	if exists == 0 && n >= max {
		return sluice.Errorf(sluice.ELimit, "Webhooks", "The account already has %d webhooks, the most it may have.", n)
	}
	return nil
}

// GetWebhook returns the named webhook (ENotFound/Webhook).
func (e executor) GetWebhook(ctx context.Context, name string) (*sluice.Webhook, error) {
	w, err := scanWebhook(e.rd().queryRow(ctx, qWebhook, name))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, webhookNotFound(name)
	}
	return e.openWebhook(w, err)
}

// WebhookByToken returns the webhook whose URL holds token (ENotFound/Webhook).
func (e executor) WebhookByToken(ctx context.Context, token string) (*sluice.Webhook, error) {
	w, err := scanWebhook(e.rd().queryRow(ctx, qWebhookByToken, token))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, sluice.Errorf(sluice.ENotFound, "Webhook", "No webhook has this URL.")
	}
	return e.openWebhook(w, err)
}

// ListWebhooks returns one page of webhooks by name.
func (e executor) ListWebhooks(ctx context.Context, p sluice.Page) ([]*sluice.Webhook, string, error) {
	const kind = "webhooks"
	limit, cur, err := parsePage(p, kind)
	if err != nil {
		return nil, "", err
	}
	ws, err := queryAll(ctx, e.rd(), scanWebhook, qWebhooks, cur.Name, limit+1)
	if err != nil {
		return nil, "", err
	}
	ws, next := trim(ws, limit, func(w *sluice.Webhook) cursor { return cursor{Kind: kind, Name: w.Name} })
	for _, w := range ws {
		if _, err := e.openWebhook(w, nil); err != nil {
			return nil, "", err
		}
	}
	return ws, next, nil
}

// DeleteWebhook removes the named webhook and its tags (ENotFound/Webhook).
func (e executor) DeleteWebhook(ctx context.Context, name string) error {
	return e.write(ctx, func(c conn) error {
		var arn string
		err := c.queryRow(ctx, qDeleteWebhook, name).Scan(&arn)
		if errors.Is(err, sql.ErrNoRows) {
			return webhookNotFound(name)
		}
		if err != nil {
			return err
		}
		_, err = c.exec(ctx, qDeleteTags, arn)
		return err
	})
}

// SetWebhookOutcome records what the last matching POST to a webhook did.
func (e executor) SetWebhookOutcome(ctx context.Context, w *sluice.Webhook) error {
	ok, err := e.wr().execOne(ctx, qWebhookOutcome, ts(w.LastTriggered), w.ErrorCode, w.ErrorMessage, w.Name)
	if err != nil || ok {
		return err
	}
	return webhookNotFound(w.Name)
}

var _ sluice.WebhookStore = (*DB)(nil)
