// Package jobqueue hands jobs to workers: claims with leases, wake-ups the instant a job is
// queued (no poll tick on the hot path), an in-process worker pool, and the rescuer that
// closes jobs whose worker went away.
package jobqueue

import "sync"

// Signal is a broadcast wake-up: every waiter holding the channel from C is released by
// the next Notify. Take C before checking for work so no wake-up is lost in between.
type Signal struct {
	mu sync.Mutex
	ch chan struct{}
}

// C returns the channel the next Notify closes.
func (s *Signal) C() <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ch == nil {
		s.ch = make(chan struct{})
	}
	return s.ch
}

// Notify releases every current waiter.
func (s *Signal) Notify() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ch != nil {
		close(s.ch)
		s.ch = nil
	}
}

// testSignal marks a point in a goroutine's life that tests wait for; it does nothing unless
// a test called init. It never blocks: a signal that finds the buffer full is dropped.
type testSignal struct{ ch chan struct{} }

func (s *testSignal) init() { s.ch = make(chan struct{}, 64) }

func (s *testSignal) signal() {
	if s.ch == nil {
		return
	}
	select {
	case s.ch <- struct{}{}:
	default:
	}
}
