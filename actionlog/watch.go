package actionlog

import "sync"

// watchers wakes the readers of logs: a channel per log that someone waits on, closed by
// the next change. Channels exist only between a Changed and the next Notify of their log,
// so a map entry never outlives the next write or the end of the action run.
type watchers struct {
	mu sync.Mutex
	ch map[string]chan struct{}
}

// Changed returns a channel closed at the next Notify of id: a write to its log, or the
// end of its action run. Take it before reading, so a change in between is not missed.
func (w *watchers) Changed(id string) <-chan struct{} {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.ch == nil {
		w.ch = map[string]chan struct{}{}
	}
	c := w.ch[id]
	if c == nil {
		c = make(chan struct{})
		w.ch[id] = c
	}
	return c
}

// Notify wakes the readers waiting on id. Writers call it after every write; the server
// calls it when the action run ends, so followers stop.
func (w *watchers) Notify(id string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if c := w.ch[id]; c != nil {
		close(c)
		delete(w.ch, id)
	}
}
