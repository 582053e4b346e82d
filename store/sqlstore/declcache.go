package sqlstore

import (
	"sync"

	"sluice"
)

// declCache remembers decoded pipeline declarations by their stored JSON text. A stored
// version never changes, and keying by content cannot go stale, so every snapshot of a busy
// pipeline skips decoding the same declaration again (it dominated the per-action cost).
// Declarations from it are shared: callers must treat them as read-only.
type declCache struct {
	mu sync.Mutex
	m  map[string]sluice.PipelineDeclaration
}

const declCacheMax = 256

func (c *declCache) decode(text string) (sluice.PipelineDeclaration, error) {
	c.mu.Lock()
	d, ok := c.m[text]
	c.mu.Unlock()
	if ok {
		return d, nil
	}
	if err := fromJSON(text, &d); err != nil {
		return d, err
	}
	c.mu.Lock()
	if c.m == nil || len(c.m) >= declCacheMax {
		c.m = make(map[string]sluice.PipelineDeclaration) // simple bound: start over
	}
	c.m[text] = d
	c.mu.Unlock()
	return d, nil
}

// decls is shared by every DB of the process: the key is the content, so sharing is safe.
var decls declCache
