package spare_test

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice/spare"
)

func TestPool(t *testing.T) {
	t.Parallel()
	// counter makes "s1", "s2", ... and counts its calls.
	counter := func(n *atomic.Int32) func() (string, error) {
		return func() (string, error) { return fmt.Sprintf("s%d", n.Add(1)), nil }
	}

	t.Run("RefillsToMaxCountingLent", func(t *testing.T) {
		t.Parallel()
		p := &spare.Pool{Max: 3}
		var bg sync.WaitGroup
		var made atomic.Int32
		p.Lend() // one in use that comes back
		p.Refill(&bg, counter(&made))
		bg.Wait()
		require.EqualValues(t, 2, made.Load(), "the lent one counts")
		require.False(t, p.Full())
		require.True(t, p.Put("back")) // the lent one came back
		p.Back()
		require.True(t, p.Full())
		require.False(t, p.Put("more"), "a fourth is the caller's to dispose of")
		require.Equal(t, "back", p.Take(), "the last put is taken first")
		p.Refill(&bg, counter(&made))
		bg.Wait()
		require.EqualValues(t, 3, made.Load())
		for range 3 {
			require.NotEmpty(t, p.Take())
		}
		require.Empty(t, p.Take(), "none ready")
	})
	t.Run("OneMakerAtATime", func(t *testing.T) {
		t.Parallel()
		p := &spare.Pool{Max: 2}
		var bg sync.WaitGroup
		var made atomic.Int32
		release := make(chan struct{})
		slow := func() (string, error) { <-release; return counter(&made)() }
		p.Refill(&bg, slow)
		p.Refill(&bg, slow) // left to the maker at work
		close(release)
		bg.Wait()
		require.EqualValues(t, 2, made.Load())
	})
	t.Run("AFailureEndsTheRound", func(t *testing.T) {
		t.Parallel()
		p := &spare.Pool{Max: 2}
		var bg sync.WaitGroup
		var tries atomic.Int32
		p.Refill(&bg, func() (string, error) { tries.Add(1); return "", errors.New("disk full") })
		bg.Wait()
		require.EqualValues(t, 1, tries.Load())
		require.Empty(t, p.Take())
		var made atomic.Int32
		p.Refill(&bg, counter(&made)) // the next round tries again
		bg.Wait()
		require.EqualValues(t, 2, made.Load())
	})
}

// TestName: names in one directory never collide, and keep their prefix.
func TestName(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for range 100 {
		name := spare.Name("/work", ".spare-")
		require.Regexp(t, `^/work/\.spare-[0-9a-f]{16}$`, name)
		require.False(t, seen[name], name)
		seen[name] = true
	}
}
