// Package spare keeps a few things made ahead, named by their paths (workspace skeletons,
// empty log files), so that a job takes one instead of making it on its own path. They
// are made in the background, one maker at a time; some come back after use (Lend, Back).
package spare

import (
	"crypto/rand"
	"encoding/hex"
	"path/filepath"
	"sync"
)

// Name is a new path in dir for a spare: prefix and 16 random hex digits, so that the
// processes sharing dir do not collide.
func Name(dir, prefix string) string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return filepath.Join(dir, prefix+hex.EncodeToString(b[:]))
}

// Pool holds the spares of one place; the zero value keeps none (set Max).
type Pool struct {
	Max int // ready and lent together, beyond which Refill makes no more

	mu     sync.Mutex
	ready  []string
	lent   int
	making bool
}

// Take returns a ready spare's path, or "" when none is ready.
func (p *Pool) Take() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.ready) == 0 {
		return ""
	}
	name := p.ready[len(p.ready)-1]
	p.ready = p.ready[:len(p.ready)-1]
	return name
}

// Put adds a spare; it is false when Max are ready, and the caller disposes of name.
func (p *Pool) Put(name string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.ready) >= p.Max {
		return false
	}
	p.ready = append(p.ready, name)
	return true
}

// Full reports whether Max are ready.
func (p *Pool) Full() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.ready) >= p.Max
}

// Lend counts a thing in use that will come back as a spare; Back ends the count, whether
// it came back (Put) or not.
func (p *Pool) Lend() { p.add(1) }

// Back ends a Lend.
func (p *Pool) Back() { p.add(-1) }

func (p *Pool) add(n int) {
	p.mu.Lock()
	p.lent += n
	p.mu.Unlock()
}

// Refill makes spares with make in the background, counted in bg, until Max are ready or
// lent; a maker already at work is left to it, so a burst of takes does not start a
// burst of makers. A make that fails ends the round.
func (p *Pool) Refill(bg *sync.WaitGroup, make func() (string, error)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.making || len(p.ready)+p.lent >= p.Max {
		return
	}
	p.making = true
	bg.Go(func() {
		for {
			name, err := make()
			p.mu.Lock()
			if err == nil {
				p.ready = append(p.ready, name)
			}
			if err != nil || len(p.ready)+p.lent >= p.Max {
				p.making = false
				p.mu.Unlock()
				return
			}
			p.mu.Unlock()
		}
	})
}
