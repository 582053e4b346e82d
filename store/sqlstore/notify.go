package sqlstore

import (
	"context"
	"sync"
)

// notifier delivers wake-ups within the process. On SQLite there is no other process to
// tell (a second process on the same file learns of changes by its own polling); on
// PostgreSQL the listener (pgnotify.go) feeds it what other processes commit.
type notifier struct {
	mu   sync.Mutex
	subs map[string]map[chan struct{}]struct{}
}

// publish wakes every listener of topic without blocking: a listener that has a wake-up
// waiting unread gets no second one.
func (n *notifier) publish(topic string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	for ch := range n.subs[topic] {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
}

// Listen subscribes to topic until ctx ends; see sluice.Notifier.
func (db *DB) Listen(ctx context.Context, topic string) (<-chan struct{}, error) {
	n := &db.notes
	ch := make(chan struct{}, 1)
	n.mu.Lock()
	if n.subs == nil {
		n.subs = map[string]map[chan struct{}]struct{}{}
	}
	if n.subs[topic] == nil {
		n.subs[topic] = map[chan struct{}]struct{}{}
	}
	n.subs[topic][ch] = struct{}{}
	n.mu.Unlock()
	context.AfterFunc(ctx, func() {
		n.mu.Lock()
		defer n.mu.Unlock()
		delete(n.subs[topic], ch)
		close(ch)
	})
	return ch, nil
}

// publishAll wakes every listener of every topic.
func (n *notifier) publishAll() {
	n.mu.Lock()
	topics := make([]string, 0, len(n.subs))
	for t := range n.subs {
		topics = append(topics, t)
	}
	n.mu.Unlock()
	for _, t := range topics {
		n.publish(t)
	}
}
