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
	byKey map[string]*turn // the pipelines with an Update waiting or running; removed after
}

type turn struct {
	ch      chan struct{} // holds a token while an Update of the pipeline runs
	users   int           // Updates waiting or running: the turn goes when the last one does
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
	tu.users++
	tu.waiting++
	t.mu.Unlock()
	select {
	case tu.ch <- struct{}{}:
		t.update(pipeline, tu, -1, 0)
		return func() {
			<-tu.ch
			t.update(pipeline, tu, 0, -1)
		}, nil
	case <-ctx.Done():
		t.update(pipeline, tu, -1, -1)
		return nil, ctx.Err()
	}
}

// update moves tu's counts; a turn no Update uses any more is dropped, so that a name never
// seen again (a client's typo) leaves nothing behind.
func (t *turns) update(pipeline string, tu *turn, waiting, users int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	tu.waiting += waiting
	tu.users += users
	if tu.users == 0 {
		delete(t.byKey, pipeline)
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
