package storetest

import (
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"sluice"
)

const lease = 5 * time.Minute

func claim(f *fixture, p sluice.ClaimParams) []*sluice.Job {
	f.t.Helper()
	if p.Worker == "" {
		p.Worker = "worker-1"
	}
	if p.Now.IsZero() {
		p.Now, p.LeaseFor = at(100), lease
	}
	jobs, err := f.s.ClaimJobs(f.ctx, p)
	require.NoError(f.t, err)
	return jobs
}

// testClaims checks sluice.JobStore.ClaimJobs.
func testClaims(t *testing.T, open func(*testing.T) sluice.Store) {
	t.Run("OldestFirstWithLease", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		f.createPipeline("app")
		queued := f.queuedJobs("app", 3, buildType)

		got := claim(f, sluice.ClaimParams{Limit: 2})
		require.Equal(t, ids(queued[:2], jobID), ids(got, jobID))
		require.NotEqual(t, got[0].Nonce, got[1].Nonce)
		for _, j := range got {
			require.Equal(t, sluice.JobDispatched, j.Status)
			require.Equal(t, "worker-1", j.Worker)
			require.NotEmpty(t, j.Nonce)
			require.Equal(t, at(100).Add(lease), j.LeaseExpiresAt)
			stored, err := f.s.GetJob(f.ctx, j.ID)
			require.NoError(t, err)
			require.Equal(t, j, stored)
		}
		requireDepth(t, f, 1)
	})

	t.Run("Acknowledge", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		f.createPipeline("app")
		f.queuedJobs("app", 1, buildType)
		got := claim(f, sluice.ClaimParams{Limit: 5, Acknowledge: true})
		require.Len(t, got, 1)
		require.Equal(t, sluice.JobInProgress, got[0].Status)
		require.Empty(t, claim(f, sluice.ClaimParams{Limit: 5}))
	})

	t.Run("ByType", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		f.createPipeline("app")
		custom := f.queuedJobs("app", 1, customType)
		build := f.queuedJobs("app", 1, buildType)
		source := f.queuedJobs("app", 1, sourceType)
		otherVersion := customType
		otherVersion.Version = "3"

		require.Empty(t, claim(f, sluice.ClaimParams{Limit: 5, Types: []sluice.ActionTypeID{otherVersion}}))
		got := claim(f, sluice.ClaimParams{Limit: 5, Types: []sluice.ActionTypeID{sourceType, customType}})
		require.ElementsMatch(t, []string{custom[0].ID, source[0].ID}, ids(got, jobID))
		f.queuedJobs("app", 1, customType)
		got = claim(f, sluice.ClaimParams{Limit: 5}) // no types: anything but Custom
		require.Equal(t, []string{build[0].ID}, ids(got, jobID))
		requireDepth(t, f, 1)
	})

	t.Run("NothingQueued", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		require.Empty(t, claim(f, sluice.ClaimParams{Limit: 5}))
	})

	t.Run("Exclusive", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		f.createPipeline("app")
		const n, claimers = 40, 4
		f.queuedJobs("app", n, buildType)
		start := make(chan struct{})
		results := make(chan []string, claimers)
		errs := make(chan error, claimers)
		var wg sync.WaitGroup
		for w := range claimers {
			wg.Go(func() {
				<-start
				var mine []string
				for {
					jobs, err := f.s.ClaimJobs(f.ctx, sluice.ClaimParams{
						Worker: string(rune('a' + w)), Limit: 3, Now: at(100), LeaseFor: lease,
					})
					if err != nil || len(jobs) == 0 {
						errs <- err
						results <- mine
						return
					}
					mine = append(mine, ids(jobs, jobID)...)
				}
			})
		}
		close(start)
		wg.Wait()
		close(results)
		close(errs)
		for err := range errs {
			require.NoError(t, err)
		}
		seen := map[string]bool{}
		for mine := range results {
			for _, id := range mine {
				require.False(t, seen[id], "job %s claimed twice", id)
				seen[id] = true
			}
		}
		require.Len(t, seen, n)
		requireDepth(t, f, 0)
	})
}

func requireDepth(t *testing.T, f *fixture, want int) {
	t.Helper()
	depth, err := f.s.QueueDepth(f.ctx)
	require.NoError(t, err)
	require.Equal(t, want, depth)
}
