package githost

import (
	"context"
	"sync"

	"sluice"
)

// notifier delivers push notifications asynchronously, so a slow onPush never holds up a git
// client, and one at a time per repository in push order, so a trigger never sees an older
// push after a newer one. Repositories do not wait for each other.
type notifier struct {
	mu     sync.Mutex
	queues map[string][]pendingPush // a key is present while its worker runs
	wg     sync.WaitGroup
}

type pendingPush struct {
	ctx     context.Context
	updates []sluice.RefUpdate
	fn      PushFunc
	report  chan []string // fn's lines; buffered, so nobody need read them
}

// enqueue queues the notification; the channel gives fn's lines once it has run.
func (n *notifier) enqueue(ctx context.Context, repo string, updates []sluice.RefUpdate, fn PushFunc) <-chan []string {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.queues == nil {
		n.queues = map[string][]pendingPush{}
	}
	q, running := n.queues[repo]
	report := make(chan []string, 1)
	n.queues[repo] = append(q, pendingPush{ctx: ctx, updates: updates, fn: fn, report: report})
	if !running {
		n.wg.Add(1)
		go n.drain(repo)
	}
	return report
}

// drain delivers a repository's notifications until its queue is empty.
func (n *notifier) drain(repo string) {
	defer n.wg.Done()
	for {
		n.mu.Lock()
		q := n.queues[repo]
		if len(q) == 0 {
			delete(n.queues, repo)
			n.mu.Unlock()
			return
		}
		next := q[0]
		n.queues[repo] = q[1:]
		n.mu.Unlock()
		next.report <- next.fn(next.ctx, repo, next.updates)
	}
}

// Wait blocks until every push received so far has been handled and its notification
// delivered. Call it once the HTTP server has shut down, so that no push notification is
// lost at exit; tests call it after a push to handle it before going on.
func (h *Host) Wait() { h.notify.wg.Wait() }
