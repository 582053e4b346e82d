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
