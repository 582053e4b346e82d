package preauth_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"sluice/preauth"
)

// clock is a settable time for the window.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func newClock() *clock { return &clock{now: time.Date(2026, 12, 7, 8, 0, 0, 0, time.UTC)} }

func TestGateInFlight(t *testing.T) {
	t.Parallel()
	g := preauth.New(preauth.Limits{InFlight: 2}, nil)
	a, err := g.Enter(t.Context(), "192.0.2.1:1000")
	require.NoError(t, err)
	b, err := g.Enter(t.Context(), "192.0.2.2:1000")
	require.NoError(t, err)
	_, err = g.Enter(t.Context(), "192.0.2.3:1000")
	require.ErrorIs(t, err, preauth.ErrBusy, "a third request waits for no slot")
	a.Verified()
	a.Failed() // a pass ends once: this frees no second slot
	c, err := g.Enter(t.Context(), "192.0.2.3:1000")
	require.NoError(t, err, "a verified request frees its slot")
	_, err = g.Enter(t.Context(), "192.0.2.4:1000")
	require.ErrorIs(t, err, preauth.ErrBusy)
	b.Done()
	c.Failed()
	for i := 0; i < 2; i++ {
		_, err := g.Enter(t.Context(), "192.0.2.5:1000")
		require.NoError(t, err)
	}
}

// TestGateWaits: past InFlight, up to Waiting requests wait for a slot; more, and those
// whose wait runs out or whose client goes, are refused.
func TestGateWaits(t *testing.T) {
	t.Parallel()
	g := preauth.New(preauth.Limits{InFlight: 1, Waiting: 1, Wait: time.Hour}, nil)
	held, err := g.Enter(t.Context(), "192.0.2.1:1")
	require.NoError(t, err)
	admitted := make(chan error, 1)
	go func() {
		p, err := g.Enter(t.Context(), "192.0.2.2:1")
		admitted <- err
		p.Verified()
	}()
	require.Eventually(t, func() bool { return g.Waiting() == 1 }, 10*time.Second, time.Millisecond)
	_, err = g.Enter(t.Context(), "192.0.2.3:1")
	require.ErrorIs(t, err, preauth.ErrBusy, "one may wait: the second is refused at once")
	held.Verified()
	require.NoError(t, <-admitted, "the waiting request takes the freed slot")
	require.Eventually(t, func() bool { return g.Waiting() == 0 }, 10*time.Second, time.Millisecond)

	t.Run("ClientGone", func(t *testing.T) {
		held, err := g.Enter(t.Context(), "192.0.2.1:1")
		require.NoError(t, err)
		defer held.Done()
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		_, err = g.Enter(ctx, "192.0.2.4:1")
		require.ErrorIs(t, err, preauth.ErrBusy)
		require.Zero(t, g.Waiting())
	})
	t.Run("WaitRunsOut", func(t *testing.T) {
		short := preauth.New(preauth.Limits{InFlight: 1, Waiting: 1, Wait: time.Millisecond}, nil)
		held, err := short.Enter(t.Context(), "192.0.2.1:1")
		require.NoError(t, err)
		defer held.Done()
		_, err = short.Enter(t.Context(), "192.0.2.5:1")
		require.ErrorIs(t, err, preauth.ErrBusy)
	})
}

func TestGateFailures(t *testing.T) {
	t.Parallel()
	clk := newClock()
	g := preauth.New(preauth.Limits{Failures: 3, Window: time.Minute}, clk.Now)
	fail := func(addr string) {
		p, err := g.Enter(t.Context(), addr)
		require.NoError(t, err)
		p.Failed()
	}
	for i := 0; i < 3; i++ {
		fail("198.51.100.7:4000")
		clk.Add(10 * time.Second)
	}
	_, err := g.Enter(t.Context(), "198.51.100.7:5000")
	require.ErrorIs(t, err, preauth.ErrThrottled, "the fourth attempt within the window is refused, from any port")
	ok, err := g.Enter(t.Context(), "198.51.100.8:5000")
	require.NoError(t, err, "another address is not affected")
	ok.Verified()
	for i := 0; i < 10; i++ {
		p, err := g.Enter(t.Context(), "198.51.100.9:1")
		require.NoError(t, err, "successful requests do not count")
		p.Verified()
	}
	clk.Add(30 * time.Second) // the first failure is now exactly a window old
	p, err := g.Enter(t.Context(), "198.51.100.7:5000")
	require.NoError(t, err, "admitted again once the oldest failure left the window")
	p.Failed()
	_, err = g.Enter(t.Context(), "198.51.100.7:5000")
	require.ErrorIs(t, err, preauth.ErrThrottled, "the window slides: three failures within it again")
}

func TestGateIPv6CountsPer64(t *testing.T) {
	t.Parallel()
	g := preauth.New(preauth.Limits{Failures: 2, Window: time.Minute}, newClock().Now)
	for _, a := range []string{"[2001:db8:1:2::1]:80", "[2001:db8:1:2:ffff::9]:81"} {
		p, err := g.Enter(t.Context(), a)
		require.NoError(t, err)
		p.Failed()
	}
	_, err := g.Enter(t.Context(), "[2001:db8:1:2::77]:82")
	require.ErrorIs(t, err, preauth.ErrThrottled)
	_, err = g.Enter(t.Context(), "[2001:db8:1:3::1]:80")
	require.NoError(t, err, "another /64")
}

func TestGateTableIsBounded(t *testing.T) {
	t.Parallel()
	g := preauth.New(preauth.Limits{Failures: 1, Window: time.Hour, Addresses: 100}, newClock().Now)
	for i := 0; i < 1000; i++ {
		p, err := g.Enter(t.Context(), fmt.Sprintf("10.0.%d.%d:1", i/256, i%256))
		require.NoError(t, err)
		p.Failed()
	}
	throttled := 0
	for i := 0; i < 1000; i++ {
		if _, err := g.Enter(t.Context(), fmt.Sprintf("10.0.%d.%d:1", i/256, i%256)); err != nil {
			throttled++
		}
	}
	require.Equal(t, 100, throttled, "the table remembers at most Addresses addresses")
}

func TestNilGateAdmitsAll(t *testing.T) {
	t.Parallel()
	var g *preauth.Gate
	p, err := g.Enter(t.Context(), "x")
	require.NoError(t, err)
	p.Failed()
	p.Verified()
}
