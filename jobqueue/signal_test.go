package jobqueue

import (
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func closed(ch <-chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

func TestSignal(t *testing.T) {
	t.Parallel()

	t.Run("NotifyReleasesEveryWaiter", func(t *testing.T) {
		t.Parallel()
		var s Signal
		const waiters = 5
		var ready, done sync.WaitGroup
		ready.Add(waiters)
		done.Add(waiters)
		for range waiters {
			go func() {
				defer done.Done()
				ch := s.C()
				ready.Done()
				<-ch
			}()
		}
		ready.Wait()
		s.Notify()
		released := make(chan struct{})
		go func() { done.Wait(); close(released) }()
		select {
		case <-released:
		case <-time.After(patience):
			t.Fatal("a waiter holding C was not released by Notify")
		}
	})

	t.Run("OneChannelUntilNotify", func(t *testing.T) {
		t.Parallel()
		var s Signal
		a, b := s.C(), s.C()
		require.Equal(t, a, b)
		require.False(t, closed(a))
		s.Notify()
		require.True(t, closed(a))
		require.True(t, closed(b))
	})

	t.Run("LaterWaiterNotReleasedByEarlierNotify", func(t *testing.T) {
		t.Parallel()
		var s Signal
		early := s.C()
		s.Notify()
		late := s.C()
		require.True(t, closed(early))
		require.False(t, closed(late), "a waiter that took C after Notify waits for the next one")
		s.Notify()
		require.True(t, closed(late))
	})

	t.Run("NotifyWithoutWaiters", func(t *testing.T) {
		t.Parallel()
		var s Signal
		s.Notify()
		s.Notify()
		require.False(t, closed(s.C()))
	})
}
