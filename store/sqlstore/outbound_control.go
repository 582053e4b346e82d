package sqlstore

import (
	"context"

	"sluice"
)

const (
	qReleaseDeliveryLeases = `UPDATE deliveries SET lease_until = 0 WHERE status = 'Pending' AND lease_until > 0`
	qCancelDeliveries      = `UPDATE deliveries SET status = 'Failed', last_error = ?1, lease_until = 0
WHERE status = 'Pending' AND ((?2 != '' AND target = ?2) OR (?3 != '' AND topic_arn = ?3))`
)

// ReleaseDeliveryLeases frees every claim on a Pending delivery.
func (e executor) ReleaseDeliveryLeases(ctx context.Context) (int, error) {
	return e.count(ctx, qReleaseDeliveryLeases)
}

// CancelDeliveries fails the Pending deliveries of a destination that is gone.
func (e executor) CancelDeliveries(ctx context.Context, f sluice.DeliveryCancel) (int, error) {
	if f.Target == "" && f.TopicARN == "" {
		return 0, sluice.Errorf(sluice.EInvalid, "Delivery", "CancelDeliveries needs a target or a topic")
	}
	return e.count(ctx, qCancelDeliveries, f.Reason, f.Target, f.TopicARN)
}

// count runs a write and returns how many rows it changed.
func (e executor) count(ctx context.Context, q string, args ...any) (int, error) {
	var n int64
	err := e.write(ctx, func(c conn) error {
		res, err := c.exec(ctx, q, args...)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return int(n), err
}
