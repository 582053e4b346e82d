package sqlstore

import (
	"context"
	"sync"
)

// turns lets one Update of each pipeline at a time through, in this process, before it
// takes a connection. On PostgreSQL an Update waiting for its pipeline's advisory lock holds
// a pooled connection idle; a burst on a few pipelines (50 starts of each, their jobs'
// results) then held every connection but one or two, and every other read and write of the
// process, the access key lookup that authenticates each request among them, queued for
// those. Waiting here, the pool's connections stay with transactions that can run; the
// advisory lock still orders the Updates of different processes.
type turns struct {
	mu    sync.Mutex
	byKey map[string]*turn // kept once made: the pipelines of one process are few
}

type turn struct {
	ch      chan struct{} // holds a token while an Update of the pipeline runs
	waiting int           // Updates in take, for tests
}

// take waits for pipeline's turn, or for ctx, and returns the turn's release.
func (t *turns) take(ctx context.Context, pipeline string) (release func(), err error) {
	t.mu.Lock()
	if t.byKey == nil {
		t.byKey = map[string]*turn{}
	}
	tu := t.byKey[pipeline]
	if tu == nil {
		tu = &turn{ch: make(chan struct{}, 1)}
		t.byKey[pipeline] = tu
	}
	tu.waiting++
	t.mu.Unlock()
	defer func() {
		t.mu.Lock()
		tu.waiting--
		t.mu.Unlock()
	}()
	select {
	case tu.ch <- struct{}{}:
		return func() { <-tu.ch }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// waiting counts the Updates of pipeline in take: waiting for their turn, or just given it.
func (t *turns) waiting(pipeline string) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	if tu := t.byKey[pipeline]; tu != nil {
		return tu.waiting
	}
	return 0
}
