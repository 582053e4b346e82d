package storetest

import (
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
)

// testLeaderLeases checks sluice.LeaseStore and sluice.RepositoryLocker.
func testLeaderLeases(t *testing.T, open func(*testing.T) sluice.Store) {
	t.Run("OneHolderUntilItRunsOut", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		held, err := f.s.HoldLease(f.ctx, "leader", "a", at(0), at(10))
		require.NoError(t, err)
		require.True(t, held, "a free lease is taken")
		held, err = f.s.HoldLease(f.ctx, "leader", "b", at(5), at(15))
		require.NoError(t, err)
		require.False(t, held, "another holder's lease that has not run out is left alone")
		held, err = f.s.HoldLease(f.ctx, "leader", "a", at(6), at(16))
		require.NoError(t, err)
		require.True(t, held, "the holder renews")
		held, err = f.s.HoldLease(f.ctx, "leader", "b", at(12), at(22))
		require.NoError(t, err)
		require.False(t, held, "the renewal moved the end: at 12 a still holds it")
		held, err = f.s.HoldLease(f.ctx, "leader", "b", at(16), at(26))
		require.NoError(t, err)
		require.True(t, held, "a lease that ran out is taken over")
		held, err = f.s.HoldLease(f.ctx, "leader", "a", at(17), at(27))
		require.NoError(t, err)
		require.False(t, held, "the old holder does not get it back by renewing")
		held, err = f.s.HoldLease(f.ctx, "other", "a", at(17), at(27))
		require.NoError(t, err)
		require.True(t, held, "leases are by name")
	})

	t.Run("ReleaseFreesAtOnce", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		_, err := f.s.HoldLease(f.ctx, "leader", "a", at(0), at(100))
		require.NoError(t, err)
		require.NoError(t, f.s.ReleaseLease(f.ctx, "leader", "b"), "another holder's release changes nothing")
		held, err := f.s.HoldLease(f.ctx, "leader", "b", at(1), at(101))
		require.NoError(t, err)
		require.False(t, held)
		require.NoError(t, f.s.ReleaseLease(f.ctx, "leader", "a"))
		held, err = f.s.HoldLease(f.ctx, "leader", "b", at(2), at(102))
		require.NoError(t, err)
		require.True(t, held, "a released lease is free before it would have run out")
	})

	t.Run("ConcurrentTakersGetOne", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		var wg sync.WaitGroup
		won := make(chan string, 8)
		for i := range 8 {
			holder := string(rune('a' + i))
			wg.Go(func() {
				held, err := f.s.HoldLease(f.ctx, "leader", holder, at(0), at(10))
				if err != nil && !sluice.IsCode(err, sluice.EConflict) {
					t.Error(err)
				}
				if held {
					won <- holder
				}
			})
		}
		wg.Wait()
		close(won)
		require.Len(t, won, 1, "exactly one of the concurrent takers holds the lease")
	})

	t.Run("RepositoryLockIsPerName", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		unlock, err := f.s.LockRepository(f.ctx, "app")
		require.NoError(t, err)
		other, err := f.s.LockRepository(f.ctx, "lib")
		require.NoError(t, err, "another repository's lock is free")
		other()
		unlock()
		again, err := f.s.LockRepository(f.ctx, "app")
		require.NoError(t, err, "an unlocked repository can be locked again")
		again()
	})
}
