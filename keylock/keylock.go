// Package keylock serializes work per key (a repository, a pipeline, a URL) without one
// lock for all: Lock blocks only while another holder of the same key runs. A key's mutex
// is kept once made; the keys of one process are few.
package keylock

import "sync"

// Locks is a set of mutexes by key; the zero value is ready to use.
type Locks struct {
	mu    sync.Mutex
	locks map[string]*sync.Mutex
}

// Lock locks key and returns its unlock.
func (l *Locks) Lock(key string) (unlock func()) {
	l.mu.Lock()
	if l.locks == nil {
		l.locks = map[string]*sync.Mutex{}
	}
	m, ok := l.locks[key]
	if !ok {
		m = &sync.Mutex{}
		l.locks[key] = m
	}
	l.mu.Unlock()
	m.Lock()
	return m.Unlock
}
