package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"sluice"
)

const (
	deliveryCols  = `seq, connection_arn, delivery_id, event, repository, ref, result, reason, executions, received`
	qSeenDelivery = `SELECT 1 FROM webhook_deliveries
WHERE connection_arn = ?1 AND (delivery_id = ?2 OR (?3 <> '' AND body_digest = ?3)) AND refused = 0 LIMIT 1`
	qInsertDelivery = `INSERT INTO webhook_deliveries
(connection_arn, delivery_id, event, repository, ref, result, reason, executions, received, refused, body_digest)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq`
	// qPruneDeliveries drops what lies past the newest ?3 deliveries of one kind (accepted or
	// refused); with fewer, the subquery is NULL and nothing matches.
	qPruneDeliveries = `DELETE FROM webhook_deliveries WHERE connection_arn = ?1 AND refused = ?2 AND seq <= (
  SELECT seq FROM webhook_deliveries WHERE connection_arn = ?1 AND refused = ?2 ORDER BY seq DESC LIMIT 1 OFFSET ?3)`
	qFinishDelivery = `UPDATE webhook_deliveries SET result = ?, reason = ?, executions = ?
WHERE seq = ? AND result = '` + sluice.DeliveryReceived + `'`
	qDeliveries = `SELECT ` + deliveryCols + ` FROM webhook_deliveries
WHERE connection_arn = ? AND seq < ? ORDER BY seq DESC LIMIT ?`
	qDeleteConnDeliveries = `DELETE FROM webhook_deliveries WHERE connection_arn = ?`
	qInterruptDeliveries  = `UPDATE webhook_deliveries SET result = '` + sluice.DeliveryInterrupted + `',
reason = 'the server stopped before the delivery was handled; a redelivery is taken again', refused = 1
WHERE result = '` + sluice.DeliveryReceived + `' AND received < ?`
)

func scanDelivery(sc scanner) (*sluice.WebhookDelivery, error) {
	var (
		d          sluice.WebhookDelivery
		executions string
		received   int64
	)
	err := sc.Scan(&d.Seq, &d.ConnectionARN, &d.DeliveryID, &d.Event, &d.Repository, &d.Ref, &d.Result, &d.Reason,
		&executions, &received)
	if err != nil {
		return nil, err
	}
	d.Received = tm(received)
	return &d, fromJSON(executions, &d.Executions)
}

// AddWebhookDelivery stores d, refusing a received delivery whose id the connection has
// accepted before, and prunes the connection's log; all in one transaction.
func (e executor) AddWebhookDelivery(ctx context.Context, d *sluice.WebhookDelivery, keep int) error {
	executions, err := toJSON(d.Executions)
	if err != nil {
		return err
	}
	// Duplicates are kept with the refusals: they take no id and cannot push accepted
	// deliveries (whose ids and bodies refuse replays) out of the log.
	refused := bit(d.Result == sluice.DeliveryRefused || d.Result == sluice.DeliveryDuplicate)
	return e.write(ctx, func(c conn) error {
		if d.Result == sluice.DeliveryReceived {
			if q := c.p.d.lockDeliveries; q != "" {
				if _, err := c.exec(ctx, q, d.ConnectionARN); err != nil {
					return err
				}
			}
			var one int
			err := c.queryRow(ctx, qSeenDelivery, d.ConnectionARN, d.DeliveryID, d.BodyDigest).Scan(&one)
			if err == nil {
				return sluice.Errorf(sluice.EAlreadyExists, "WebhookDelivery", "Delivery %s was received before.", d.DeliveryID)
			}
			if !errors.Is(err, sql.ErrNoRows) {
				return err
			}
		}
		err := c.queryRow(ctx, qInsertDelivery, d.ConnectionARN, d.DeliveryID, d.Event, d.Repository, d.Ref, d.Result,
			d.Reason, executions, ts(d.Received), refused, d.BodyDigest).Scan(&d.Seq)
		if err != nil {
			return err
		}
		if keep <= 0 {
			return nil
		}
		_, err = c.exec(ctx, qPruneDeliveries, d.ConnectionARN, refused, keep)
		return err
	})
}

// FinishWebhookDelivery records what came of a received delivery (EConflict/WebhookDelivery
// when it is not received any more).
func (e executor) FinishWebhookDelivery(ctx context.Context, d *sluice.WebhookDelivery) error {
	executions, err := toJSON(d.Executions)
	if err != nil {
		return err
	}
	ok, err := e.wr().execOne(ctx, qFinishDelivery, d.Result, d.Reason, executions, d.Seq)
	if err != nil || ok {
		return err
	}
	return sluice.Errorf(sluice.EConflict, "WebhookDelivery", "Delivery %d is not being received.", d.Seq)
}

// ListWebhookDeliveries returns one page of a connection's deliveries, newest first.
func (e executor) ListWebhookDeliveries(ctx context.Context, connectionARN string, p sluice.Page) ([]*sluice.WebhookDelivery, string, error) {
	limit, cur, err := parsePage(p, "webhook-deliveries")
	if err != nil {
		return nil, "", err
	}
	rows, err := queryAll(ctx, e.rd(), scanDelivery, qDeliveries, connectionARN, cur.Row, limit+1)
	if err != nil {
		return nil, "", err
	}
	rows, next := trim(rows, limit, func(last *sluice.WebhookDelivery) cursor {
		return cursor{Kind: "webhook-deliveries", Row: last.Seq}
	})
	return rows, next, nil
}

// InterruptWebhookDeliveries marks the deliveries received before before and never
// finished as interrupted and releases their ids.
func (e executor) InterruptWebhookDeliveries(ctx context.Context, before time.Time) (int, error) {
	var n int
	err := e.write(ctx, func(c conn) error {
		res, err := c.exec(ctx, qInterruptDeliveries, ts(before))
		if err != nil {
			return err
		}
		m, err := res.RowsAffected()
		n = int(m)
		return err
	})
	return n, err
}
