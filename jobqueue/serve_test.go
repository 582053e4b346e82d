package jobqueue

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestServe(t *testing.T) {
	t.Parallel()

	// claims hands the test each claim's limit and answers it with the test's reply.
	type claimCall struct {
		limit int
		reply chan []int
	}
	t.Run("ClaimsOnlyTheRoomThereIs", func(t *testing.T) {
		t.Parallel()
		ctx, cancel := context.WithCancel(t.Context())
		claims, started, finish := make(chan claimCall), make(chan int), make(chan struct{})
		served := make(chan error, 1)
		go func() {
			served <- Serve(ctx, 3, func(ctx context.Context, limit int) ([]int, error) {
				c := claimCall{limit, make(chan []int)}
				select {
				case claims <- c:
					return <-c.reply, nil
				case <-ctx.Done():
					return nil, nil
				}
			}, func(j int) {
				started <- j
				<-finish
			})
		}()
		c := <-claims
		require.Equal(t, 3, c.limit)
		c.reply <- []int{1, 2}
		require.ElementsMatch(t, []int{1, 2}, []int{<-started, <-started})
		c = <-claims
		require.Equal(t, 1, c.limit, "two of three slots run jobs")
		c.reply <- nil
		c = <-claims
		require.Equal(t, 1, c.limit, "an empty claim gives its room back")
		c.reply <- []int{3}
		require.Equal(t, 3, <-started)
		finish <- struct{}{} // one job ends: its slot is free again
		c = <-claims
		require.Equal(t, 1, c.limit)
		cancel()
		c.reply <- nil
		close(finish)
		require.NoError(t, <-served)
	})

	t.Run("ClaimErrorEndsAfterRunningJobs", func(t *testing.T) {
		t.Parallel()
		refused := errors.New("refused")
		started, finish := make(chan int), make(chan struct{})
		served := make(chan error, 1)
		calls := 0
		go func() {
			served <- Serve(t.Context(), 2, func(ctx context.Context, limit int) ([]int, error) {
				if calls++; calls == 1 {
					return []int{1}, nil
				}
				return nil, refused
			}, func(j int) {
				started <- j
				<-finish
			})
		}()
		require.Equal(t, 1, <-started)
		select {
		case err := <-served:
			t.Fatalf("Serve returned %v while a job ran", err)
		default:
		}
		close(finish)
		require.ErrorIs(t, <-served, refused)
	})
}
