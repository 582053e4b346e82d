package keylock_test

import (
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
