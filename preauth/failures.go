package preauth

import "net/netip"

// throttled says whether key has made Limits.Failures failed attempts within the window.
func (g *Gate) throttled(key netip.Prefix) bool {
	if g.limits.Failures <= 0 {
		return false
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	recent := g.recent(key)
	return len(recent) >= g.limits.Failures
}

// fail records a failed attempt of key.
func (g *Gate) fail(key netip.Prefix) {
	if g.limits.Failures <= 0 {
		return
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	recent := g.recent(key)
	if recent == nil && len(g.failed) >= g.limits.Addresses {
		g.evict()
	}
	if len(recent) >= g.limits.Failures { // keep the newest Failures: enough to decide
		recent = recent[1:]
	}
	g.failed[key] = append(recent, g.now().UnixNano())
}

// recent drops key's failures that left the window and returns the rest (nil: none).
func (g *Gate) recent(key netip.Prefix) []int64 {
	times := g.failed[key]
	cut := g.now().Add(-g.limits.Window).UnixNano()
	i := 0
	for i < len(times) && times[i] <= cut {
		i++
	}
	if i == len(times) {
		delete(g.failed, key)
		return nil
	}
	times = times[i:]
	g.failed[key] = times
	return times
}

// evict makes room in a full table by forgetting one address, the first the map's
// randomised order yields: O(1), and an attacker with many addresses gains nothing from it
// that those addresses did not already give.
func (g *Gate) evict() {
	for k := range g.failed {
		delete(g.failed, k)
		return
	}
}
