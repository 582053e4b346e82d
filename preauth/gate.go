// Package preauth bounds the work a server does for a request before it knows who sent it:
// a cap on the requests being authenticated at once, a sliding window of failed attempts per
// source address (Gate), and a spool that holds an unverified body on disk rather than in
// memory (ReadBody). It is mechanism only: each HTTP surface answers its refusals in its own
// protocol.
package preauth

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"
)

// Refusals of Gate.Enter.
var (
	// ErrBusy: Limits.InFlight requests are being authenticated and no place to wait for
	// one of them came free; answer at once (503).
	ErrBusy = errors.New("too many requests are being authenticated; retry shortly")
	// ErrThrottled: the address failed authentication Limits.Failures times within
	// Limits.Window; answer 429 (ThrottlingException) until the window has passed.
	ErrThrottled = errors.New("too many failed authentication attempts from this address")
)

// Limits are a Gate's settings; a zero InFlight or Failures turns that limit off, a zero
// Waiting lets no request wait.
type Limits struct {
	InFlight  int           // requests whose sender is not yet verified, at once
	Waiting   int           // requests past InFlight that may wait for a slot, at once
	Wait      time.Duration // how long such a request waits before it is refused
	Failures  int           // failed attempts an address may make within Window
	Window    time.Duration // the sliding window of Failures
	Addresses int           // addresses whose failures are remembered (0: DefaultAddresses)
}

// Defaults of the server's settings (docs/security.md, "Before authentication").
const (
	DefaultInFlight  = 64
	WaitingPerSlot   = 4 // a server lets Waiting = WaitingPerSlot × InFlight wait
	DefaultWait      = time.Second
	DefaultFailures  = 50
	DefaultWindow    = time.Minute
	DefaultAddresses = 10000
)

// Gate admits requests to authentication. A nil *Gate admits everything. Safe for
// concurrent use.
type Gate struct {
	limits  Limits
	now     func() time.Time
	slots   chan struct{}
	waiting atomic.Int64

	mu sync.Mutex
	// failed holds, per address, the times (Unix ns) of its failures within the window, oldest
	// first, at most Failures of them: the table takes at most Addresses × Failures × 8 bytes.
	failed map[netip.Prefix][]int64
}

// New returns a Gate with limits; now is the clock (nil: time.Now).
func New(limits Limits, now func() time.Time) *Gate {
	if now == nil {
		now = time.Now
	}
	if limits.Addresses <= 0 {
		limits.Addresses = DefaultAddresses
	}
	g := &Gate{limits: limits, now: now, failed: map[netip.Prefix][]int64{}}
	if limits.InFlight > 0 {
		g.slots = make(chan struct{}, limits.InFlight)
	}
	return g
}

// Pass is one admitted request; exactly one of Verified, Failed or Done ends it (later
// calls do nothing). A nil *Pass does nothing.
type Pass struct {
	g    *Gate
	key  netip.Prefix
	once sync.Once
}

// Enter admits a request from remote (an http.Request's RemoteAddr) to authentication, or
// refuses it with ErrThrottled or ErrBusy. When every slot is taken it waits for one, up
// to Limits.Wait or until ctx ends, if fewer than Limits.Waiting requests wait already.
func (g *Gate) Enter(ctx context.Context, remote string) (*Pass, error) {
	if g == nil {
		return nil, nil
	}
	key := addressKey(remote)
	if g.throttled(key) {
		return nil, ErrThrottled
	}
	if g.slots != nil {
		select {
		case g.slots <- struct{}{}:
		default:
			if err := g.wait(ctx); err != nil {
				return nil, err
			}
		}
	}
	return &Pass{g: g, key: key}, nil
}

// wait queues for a slot, so a burst of clients that start at once (a fleet's deploys, a
// load test) is served a moment later instead of refused and retried, which costs the
// server each request twice. The queue is bounded: a request waiting has read no body,
// and a flood is refused at once past it.
func (g *Gate) wait(ctx context.Context) error {
	if g.waiting.Add(1) > int64(g.limits.Waiting) {
		g.waiting.Add(-1)
		return ErrBusy
	}
	defer g.waiting.Add(-1)
	t := time.NewTimer(g.limits.Wait)
	defer t.Stop()
	select {
	case g.slots <- struct{}{}:
		return nil
	case <-t.C:
		return ErrBusy
	case <-ctx.Done():
		return ErrBusy
	}
}

// Waiting tells how many requests wait for a slot now.
func (g *Gate) Waiting() int { return int(g.waiting.Load()) }

// Verified ends the unauthenticated part of the request: its slot is freed.
func (p *Pass) Verified() { p.end(false) }

// Failed ends it as a failed attempt of its address.
func (p *Pass) Failed() { p.end(true) }

// Done ends it neither verified nor failed (a request refused for its size, say).
func (p *Pass) Done() { p.end(false) }

func (p *Pass) end(failed bool) {
	if p == nil {
		return
	}
	p.once.Do(func() {
		if p.g.slots != nil {
			<-p.g.slots
		}
		if failed {
			p.g.fail(p.key)
		}
	})
}

// addressKey is the unit failures are counted per: an IPv4 address, or the /64 of an IPv6
// one (what one host is usually given). An unparsable address counts as one unit.
func addressKey(remote string) netip.Prefix {
	host, _, err := net.SplitHostPort(remote)
	if err != nil {
		host = remote
	}
	a, err := netip.ParseAddr(host)
	if err != nil {
		return netip.Prefix{}
	}
	a = a.Unmap().WithZone("")
	if a.Is4() {
		return netip.PrefixFrom(a, 32)
	}
	p, _ := a.Prefix(64)
	return p
}
