package console

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"time"

	"sluice"
)

// Change is what a page that follows the server is told: something of this pipeline (and
// this execution, when it is one's) changed. Pages refetch what they show; the change
// carries no state, so a missed or repeated one is harmless.
type Change struct {
	Pipeline    string `json:"pipeline"`
	ExecutionID string `json:"executionId,omitempty"`
}

// Hub hands changes to the pages that follow them. The node feeds it from an outbox
// consumer (Consume). A subscriber that falls behind loses changes, never blocks the hub:
// each subscription holds one pending value per pipeline.
type Hub struct {
	mu   sync.Mutex
	subs map[*subscription]struct{}
	done chan struct{} // closed by Close
}

// Close ends every stream that follows the hub, now and later: a server shutting down
// calls it (http.Server.RegisterOnShutdown), so open pages do not hold the shutdown up, nor
// stay attached to a server that stopped, but reconnect to the next one.
func (h *Hub) Close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	select {
	case <-h.closed():
	default:
		close(h.done)
	}
}

// closed is a channel Close closes. The caller holds mu.
func (h *Hub) closed() <-chan struct{} {
	if h.done == nil {
		h.done = make(chan struct{})
	}
	return h.done
}

type subscription struct {
	wake    chan struct{}
	mu      sync.Mutex
	pending map[Change]struct{}
}

// Subscribe follows changes until ctx ends.
func (h *Hub) Subscribe(ctx context.Context) *subscription {
	s := &subscription{wake: make(chan struct{}, 1), pending: map[Change]struct{}{}}
	h.mu.Lock()
	if h.subs == nil {
		h.subs = map[*subscription]struct{}{}
	}
	h.subs[s] = struct{}{}
	h.mu.Unlock()
	context.AfterFunc(ctx, func() {
		h.mu.Lock()
		delete(h.subs, s)
		h.mu.Unlock()
	})
	return s
}

// take returns the pending changes and clears them.
func (s *subscription) take() []Change {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Change, 0, len(s.pending))
	for c := range s.pending {
		out = append(out, c)
	}
	clear(s.pending)
	return out
}

// maxPending bounds what one slow subscriber holds; past it, it gets one "everything" change.
const maxPending = 256

// Publish hands changes to every subscriber.
func (h *Hub) Publish(changes ...Change) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for s := range h.subs {
		s.mu.Lock()
		for _, c := range changes {
			if len(s.pending) >= maxPending {
				clear(s.pending)
				c = Change{Pipeline: "*"}
			}
			s.pending[c] = struct{}{}
		}
		s.mu.Unlock()
		select {
		case s.wake <- struct{}{}:
		default:
		}
	}
}

// Consume is an outbox consumer's handler: each record is a change of its pipeline.
func (h *Hub) Consume(_ context.Context, recs []*sluice.OutboxRecord) error {
	changes := make([]Change, 0, len(recs))
	for _, r := range recs {
		if r.Event.PipelineName != "" {
			changes = append(changes, Change{Pipeline: r.Event.PipelineName, ExecutionID: r.Event.ExecutionID})
		}
	}
	h.Publish(changes...)
	return nil
}

// keepAlive is how often an idle stream sends a comment, so proxies keep it open and a
// closed browser is noticed.
const keepAlive = 25 * time.Second

// live streams changes as Server-Sent Events ("change", JSON Change), only of pipelines the
// caller may read, and of those named in ?pipeline= when given. The browser reconnects by
// itself after a restart; the first event after a connect is "hello", on which pages
// refetch what they show, since they may have missed changes meanwhile.
func (c *Console) live(w http.ResponseWriter, r *http.Request, s *session) {
	if c.Live == nil {
		http.Error(w, "live updates are off", http.StatusNotFound)
		return
	}
	want := r.URL.Query()["pipeline"]
	sub := c.Live.Subscribe(r.Context())
	c.Live.mu.Lock()
	closed := c.Live.closed()
	c.Live.mu.Unlock()
	rc := http.NewResponseController(w)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	_ = rc.SetWriteDeadline(time.Time{}) // a stream outlives the server's write timeout
	fmt.Fprint(w, "retry: 2000\nevent: hello\ndata: {}\n\n")
	_ = rc.Flush()
	readable := map[string]bool{}
	tick := time.NewTicker(keepAlive)
	defer tick.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-closed:
			return
		case <-tick.C:
			fmt.Fprint(w, ": keep-alive\n\n")
		case <-sub.wake:
			for _, ch := range sub.take() {
				if !c.follows(r, s, readable, want, ch.Pipeline) {
					continue
				}
				b, _ := json.Marshal(ch) // two strings
				fmt.Fprintf(w, "event: change\ndata: %s\n\n", b)
			}
		}
		if err := rc.Flush(); err != nil {
			return
		}
	}
}

// follows says whether a change of pipeline goes to this stream: named by the page (or the
// page follows all), and readable by the caller (asked once per stream and pipeline).
func (c *Console) follows(r *http.Request, s *session, readable map[string]bool, want []string, pipeline string) bool {
	if len(want) > 0 && pipeline != "*" && !slices.Contains(want, pipeline) {
		return false
	}
	if pipeline == "*" {
		return true
	}
	ok, seen := readable[pipeline]
	if !seen {
		_, err := c.Service.PipelineState(r.Context(), s.caller, pipeline)
		ok = err == nil
		readable[pipeline] = ok
	}
	return ok
}
