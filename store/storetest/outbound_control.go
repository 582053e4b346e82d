package storetest

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"sluice"
)

// testDeliveryLeases checks that released claims are due at once.
func testDeliveryLeases(t *testing.T, open func(*testing.T) sluice.Store) {
	t.Run("ReleaseFreesClaims", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		a, b := outbound(subARN+"1", "m-1", at(5)), outbound(subARN+"2", "m-2", at(5))
		require.NoError(t, f.s.EnqueueDeliveries(f.ctx, a, b))
		got, err := f.s.ClaimDeliveries(f.ctx, at(10), time.Hour, 1)
		require.NoError(t, err)
		require.Len(t, got, 1)

		n, err := f.s.ReleaseDeliveryLeases(f.ctx)
		require.NoError(t, err)
		require.Equal(t, 1, n, "only the claimed one had a lease")
		again, err := f.s.ClaimDeliveries(f.ctx, at(11), time.Hour, 10)
		require.NoError(t, err)
		require.Len(t, again, 2, "both are due again at once")
	})
}

// testCancelDeliveries checks that a gone destination's pending deliveries end.
func testCancelDeliveries(t *testing.T, open func(*testing.T) sluice.Store) {
	t.Run("ByTargetAndByTopic", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		a, b, c := outbound(subARN+"1", "m-1", at(5)), outbound(subARN+"1", "m-2", at(5)), outbound(subARN+"2", "m-3", at(5))
		other := outbound(subARN+"3", "m-4", at(5))
		other.TopicARN = "arn:aws:sns:us-east-1:123456789012:other"
		require.NoError(t, f.s.EnqueueDeliveries(f.ctx, a, b, c, other))
		claimed, err := f.s.ClaimDeliveries(f.ctx, at(6), time.Hour, 1) // a, in flight
		require.NoError(t, err)

		n, err := f.s.CancelDeliveries(f.ctx, sluice.DeliveryCancel{Target: subARN + "1", Reason: "the subscription was deleted"})
		require.NoError(t, err)
		require.Equal(t, 2, n)
		sent, att := tried(claimed[0], sluice.DeliveryDelivered, at(7), "")
		requireCode(t, f.s.RecordDeliveryAttempt(f.ctx, sent, att), sluice.EConflict, "Delivery")
		log, _, err := f.s.ListDeliveries(f.ctx, sluice.DeliveryFilter{Target: subARN + "1"})
		require.NoError(t, err)
		for _, r := range log {
			require.Equal(t, sluice.DeliveryFailed, r.Delivery.Status)
			require.Equal(t, "the subscription was deleted", r.Delivery.LastError)
		}

		n, err = f.s.CancelDeliveries(f.ctx, sluice.DeliveryCancel{TopicARN: c.TopicARN, Reason: "the topic was deleted"})
		require.NoError(t, err)
		require.Equal(t, 1, n, "c; a and b are already ended, other is of another topic")
		left, err := f.s.ClaimDeliveries(f.ctx, at(8), time.Hour, 10)
		require.NoError(t, err)
		require.Equal(t, []string{"m-4"}, claimedIDs(left))
		_, err = f.s.CancelDeliveries(f.ctx, sluice.DeliveryCancel{})
		requireCode(t, err, sluice.EInvalid, "Delivery")
	})
}
