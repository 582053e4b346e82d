// Package keylock serializes work per key (a repository, a pipeline, a URL) without one
// lock for all: Lock blocks only while another holder of the same key runs. A key's lock
// goes when nobody holds or waits for it, so keys a client sends once (a typo of a
// pipeline's name) leave nothing behind.
package keylock

import (
	"context"
	"sync"
)

// Locks is a set of locks by key; the zero value is ready to use.
type Locks struct {
	mu    sync.Mutex
	locks map[string]*lock
}

// lock is one key's: token holds a value while the key is held.
type lock struct {
	token chan struct{}
	users int // holders and waiters; the lock goes with the last
}

// Lock locks key and returns its unlock.
func (l *Locks) Lock(key string) (unlock func()) {
	unlock, _ = l.LockContext(context.Background(), key)
	return unlock
}

// LockContext locks key, or gives up when ctx ends first, returning ctx's error.
func (l *Locks) LockContext(ctx context.Context, key string) (unlock func(), err error) {
	k := l.use(key)
	select {
	case k.token <- struct{}{}:
		return func() {
			<-k.token
			l.drop(key, k)
		}, nil
	case <-ctx.Done():
		l.drop(key, k)
		return nil, ctx.Err()
	}
}

func (l *Locks) use(key string) *lock {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.locks == nil {
		l.locks = map[string]*lock{}
	}
	k := l.locks[key]
	if k == nil {
		k = &lock{token: make(chan struct{}, 1)}
		l.locks[key] = k
	}
	k.users++
	return k
}

func (l *Locks) drop(key string, k *lock) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if k.users--; k.users == 0 {
		delete(l.locks, key)
	}
}

// Users counts who holds or waits for key now.
func (l *Locks) Users(key string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	if k := l.locks[key]; k != nil {
		return k.users
	}
	return 0
}

// Keys counts the keys held or waited for now.
func (l *Locks) Keys() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.locks)
}
