package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"sluice"
)

const subARN = "arn:aws:sns:us-east-1:123456789012:alerts:0b5e1c55-0000-4000-8000-00000000000"

func outbound(target, id string, next time.Time) *sluice.Delivery {
	return &sluice.Delivery{ID: id, Target: target, TopicARN: "arn:aws:sns:us-east-1:123456789012:alerts",
		Protocol: "https", Endpoint: "https://example.com/hook", Type: "Notification", Subject: "s", Message: "m " + id,
		Attributes:       map[string]sluice.MessageAttribute{"k": {DataType: "String", StringValue: "v"}},
		SignatureVersion: "1", Created: at(1), NextAttempt: next,
		Policy: sluice.RetryPolicy{NumRetries: 3, MinDelay: 20 * time.Second, MaxDelay: 20 * time.Second, Backoff: "linear"}}
}

func deliveryID(r *sluice.DeliveryRecord) string { return r.Delivery.ID }

func claimedIDs(ds []*sluice.Delivery) []string {
	return ids(ds, func(d *sluice.Delivery) string { return d.ID })
}

// tried is d after one more attempt that ended in status, next due at next.
func tried(d *sluice.Delivery, status sluice.DeliveryStatus, next time.Time, msg string) (*sluice.Delivery, sluice.DeliveryAttempt) {
	c := *d
	c.Attempts++
	c.Status, c.NextAttempt, c.LastError = status, next, msg
	return &c, sluice.DeliveryAttempt{DeliveryID: d.ID, N: c.Attempts, At: next, Duration: 3 * time.Millisecond,
		StatusCode: 500, Error: msg}
}

// testDeliveries checks sluice.DeliveryStore.
func testDeliveries(t *testing.T, open func(*testing.T) sluice.Store) {
	t.Run("EnqueueClaimRecord", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		woken, err := f.s.Listen(f.ctx, sluice.TopicDeliveries)
		require.NoError(t, err)
		a, b := outbound(subARN+"1", "m-1", at(10)), outbound(subARN+"2", "m-1", at(5))
		b.Key = "evt-1/" + b.Target
		require.NoError(t, f.s.EnqueueDeliveries(f.ctx, a, b))
		<-woken

		due, ok, err := f.s.NextDeliveryDue(f.ctx)
		require.NoError(t, err)
		require.True(t, ok)
		require.Equal(t, at(5), due)

		got, err := f.s.ClaimDeliveries(f.ctx, at(4), time.Minute, 10)
		require.NoError(t, err)
		require.Empty(t, got, "nothing is due yet")
		got, err = f.s.ClaimDeliveries(f.ctx, at(10), time.Minute, 10)
		require.NoError(t, err)
		require.Equal(t, []*sluice.Delivery{b, a}, got, "by NextAttempt, whole")
		again, err := f.s.ClaimDeliveries(f.ctx, at(20), time.Minute, 10)
		require.NoError(t, err)
		require.Empty(t, again, "leased")
		due, _, _ = f.s.NextDeliveryDue(f.ctx)
		require.Equal(t, at(70), due, "due again when the lease ends")

		a2, att := tried(a, sluice.DeliveryPending, at(30), "503 Service Unavailable")
		require.NoError(t, f.s.RecordDeliveryAttempt(f.ctx, a2, att))
		requireCode(t, f.s.RecordDeliveryAttempt(f.ctx, a2, att), sluice.EConflict, "Delivery")
		b2, batt := tried(b, sluice.DeliveryDelivered, at(11), "")
		batt.StatusCode = 200
		require.NoError(t, f.s.RecordDeliveryAttempt(f.ctx, b2, batt))
		ghost, gatt := tried(outbound(subARN+"9", "none", at(1)), sluice.DeliveryFailed, at(1), "x")
		requireCode(t, f.s.RecordDeliveryAttempt(f.ctx, ghost, gatt), sluice.ENotFound, "Delivery")

		due, _, _ = f.s.NextDeliveryDue(f.ctx)
		require.Equal(t, at(30), due, "the lease is freed; the delivered one is not due")
		got, err = f.s.ClaimDeliveries(f.ctx, at(30), time.Minute, 10)
		require.NoError(t, err)
		require.Equal(t, []*sluice.Delivery{a2}, got)
		a3, att3 := tried(a2, sluice.DeliveryFailed, at(31), "gave up")
		require.NoError(t, f.s.RecordDeliveryAttempt(f.ctx, a3, att3))
		_, ok, err = f.s.NextDeliveryDue(f.ctx)
		require.NoError(t, err)
		require.False(t, ok, "no Pending delivery left")
	})

	t.Run("EnqueueIsIdempotent", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		a := outbound(subARN+"1", "m-1", at(1))
		a.Key = "evt/rule/" + a.Target
		require.NoError(t, f.s.EnqueueDeliveries(f.ctx, a))
		sameKey := outbound(subARN+"1", "m-2", at(1))
		sameKey.Key = a.Key
		sameID := outbound(subARN+"1", "m-1", at(1))
		require.NoError(t, f.s.EnqueueDeliveries(f.ctx, sameKey, sameID))
		log, _, err := f.s.ListDeliveries(f.ctx, sluice.DeliveryFilter{Target: a.Target})
		require.NoError(t, err)
		require.Equal(t, []string{"m-1"}, ids(log, deliveryID))
		requireCode(t, f.s.EnqueueDeliveries(f.ctx, outbound("", "m", at(1))), sluice.EInvalid, "Delivery")
	})

	t.Run("EnqueueInTx", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		a := outbound(subARN+"1", "m-1", time.Time{})
		err := f.s.InTx(f.ctx, func(x sluice.Executor) error {
			require.NoError(t, x.EnqueueDeliveries(f.ctx, a))
			return fmt.Errorf("rolled back")
		})
		require.Error(t, err)
		_, ok, err := f.s.NextDeliveryDue(f.ctx)
		require.NoError(t, err)
		require.False(t, ok, "a rolled-back enqueue leaves nothing")
		require.NoError(t, f.s.InTx(f.ctx, func(x sluice.Executor) error { return x.EnqueueDeliveries(f.ctx, a) }))
		require.False(t, a.NextAttempt.IsZero(), "a zero NextAttempt is now")
		_, ok, err = f.s.NextDeliveryDue(f.ctx)
		require.NoError(t, err)
		require.True(t, ok)
	})

	t.Run("ClaimLimitAndExpiredLease", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		for i := range 3 {
			require.NoError(t, f.s.EnqueueDeliveries(f.ctx, outbound(subARN+"1", fmt.Sprintf("m-%d", i), at(i+1))))
		}
		got, err := f.s.ClaimDeliveries(f.ctx, at(10), 30*time.Second, 2)
		require.NoError(t, err)
		require.Equal(t, []string{"m-0", "m-1"}, claimedIDs(got))
		got, err = f.s.ClaimDeliveries(f.ctx, at(40), 30*time.Second, 5)
		require.NoError(t, err)
		require.Equal(t, []string{"m-0", "m-1", "m-2"}, claimedIDs(got), "a lease that ended is claimed again")
	})

	t.Run("LogPagesAndAttempts", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		target := subARN + "1"
		for i := range 3 {
			d := outbound(target, fmt.Sprintf("m-%d", i), at(1))
			d.Created = at(i + 1)
			require.NoError(t, f.s.EnqueueDeliveries(f.ctx, d))
		}
		require.NoError(t, f.s.EnqueueDeliveries(f.ctx, outbound(subARN+"2", "other", at(1))))
		got, err := f.s.ClaimDeliveries(f.ctx, at(1), time.Minute, 1)
		require.NoError(t, err)
		d := got[0]
		for n := 1; n <= 7; n++ {
			var a sluice.DeliveryAttempt
			d, a = tried(d, sluice.DeliveryPending, at(1), fmt.Sprintf("try %d", n))
			require.NoError(t, f.s.RecordDeliveryAttempt(f.ctx, d, a))
		}

		page1, next, err := f.s.ListDeliveries(f.ctx, sluice.DeliveryFilter{Target: target, Limit: 2})
		require.NoError(t, err)
		require.Equal(t, []string{"m-2", "m-1"}, ids(page1, deliveryID), "newest first")
		page2, next2, err := f.s.ListDeliveries(f.ctx, sluice.DeliveryFilter{Target: target, Limit: 2, NextToken: next})
		require.NoError(t, err)
		require.Empty(t, next2)
		require.Equal(t, []string{"m-0"}, ids(page2, deliveryID))
		rec := page2[0]
		require.Equal(t, 7, rec.Delivery.Attempts)
		require.Equal(t, "try 7", rec.Delivery.LastError)
		require.Len(t, rec.Attempts, 5, "the five latest attempts")
		require.Equal(t, 7, rec.Attempts[0].N)
		require.Equal(t, sluice.DeliveryAttempt{DeliveryID: "m-0", N: 3, At: at(1), Duration: 3 * time.Millisecond,
			StatusCode: 500, Error: "try 3"}, rec.Attempts[4])

		failed, _, err := f.s.ListDeliveries(f.ctx, sluice.DeliveryFilter{Target: target, Status: sluice.DeliveryFailed})
		require.NoError(t, err)
		require.Empty(t, failed)
		pending, _, err := f.s.ListDeliveries(f.ctx, sluice.DeliveryFilter{Target: target, Status: sluice.DeliveryPending})
		require.NoError(t, err)
		require.Len(t, pending, 3)
		_, _, err = f.s.ListDeliveries(f.ctx, sluice.DeliveryFilter{Target: target, NextToken: "bogus"})
		requireCode(t, err, sluice.EInvalid, "NextToken")
	})
}
