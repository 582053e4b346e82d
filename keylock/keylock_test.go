package keylock_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice/keylock"
)

func TestLocks(t *testing.T) {
	t.Parallel()
	var l keylock.Locks
	unlockA := l.Lock("a")
	unlockB := l.Lock("b") // another key does not wait for a
	acquired := make(chan struct{})
	go func() {
		unlock := l.Lock("a")
		close(acquired)
		unlock()
	}()
	select {
	case <-acquired:
		t.Fatal("a second holder of a got it while the first held it")
	default:
	}
	unlockA()
	<-acquired
	unlockB()
	require.NotNil(t, l.Lock("a"))
}

// A key's lock goes with the last that used it, held or given up while waiting.
func TestLocksForget(t *testing.T) {
	t.Parallel()
	var l keylock.Locks
	unlock := l.Lock("app")
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := l.LockContext(ctx, "app")
	require.ErrorIs(t, err, context.Canceled, "the key is held: a cancelled taker gives up")
	require.Equal(t, 1, l.Users("app"), "still held")
	unlock()
	require.Zero(t, l.Keys())
	for i := range 100 {
		unlock := l.Lock("typo-" + string(rune('a'+i%26)))
		unlock()
	}
	require.Zero(t, l.Keys())
}
