package trigger

import (
	"sync"
	"time"
)

// backoffs is the one backoff of polling, for branches of connections' repositories and
// for S3 objects and image tags alike: after the k-th failure in a row of one key (a
// repository URL, a target), the key is left alone for 2^k intervals, at most limit. It is
// safe for concurrent use.
type backoffs struct {
	mu    sync.Mutex
	state map[string]*failure
}

// failure is a key's current streak of failed polls.
type failure struct {
	count int
	retry time.Time // leave the key alone until then
}

// due reports whether key may be polled at now.
func (b *backoffs) due(key string, now time.Time) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	f := b.state[key]
	return f == nil || !now.Before(f.retry)
}

// failed extends key's streak and returns it: twice the interval after the first failure,
// then four times, and so on up to limit.
func (b *backoffs) failed(key string, now time.Time, interval, limit time.Duration) failure {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.state == nil {
		b.state = map[string]*failure{}
	}
	f := b.state[key]
	if f == nil {
		f = &failure{}
		b.state[key] = f
	}
	f.count++
	wait := interval
	for i := 0; i < f.count && wait < limit; i++ {
		wait *= 2
	}
	f.retry = now.Add(min(wait, limit))
	return *f
}

// succeeded ends key's streak, returning the failures it had (0 for none).
func (b *backoffs) succeeded(key string) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	f := b.state[key]
	if f == nil {
		return 0
	}
	delete(b.state, key)
	return f.count
}

// keep forgets the keys live says are no longer polled.
func (b *backoffs) keep(live func(key string) bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for k := range b.state {
		if !live(k) {
			delete(b.state, k)
		}
	}
}
