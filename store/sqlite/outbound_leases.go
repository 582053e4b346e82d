package sqlite

import "context"

const qReleaseDeliveryLeases = `UPDATE deliveries SET lease_until = 0 WHERE status = 'Pending' AND lease_until > 0`

// ReleaseDeliveryLeases frees every claim on a Pending delivery.
func (e executor) ReleaseDeliveryLeases(ctx context.Context) (int, error) {
	var n int64
	err := e.write(ctx, func(c conn) error {
		res, err := c.exec(ctx, qReleaseDeliveryLeases)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return int(n), err
}
