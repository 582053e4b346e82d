package main

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"sync"
	"time"
)

// receiver is the HTTP endpoint events are delivered to: it notes when each arrives, by the
// "seq" of its detail (PutEvents) or its execution id (pipeline events).
type receiver struct {
	url  string
	srv  *http.Server
	mu   sync.Mutex
	at   map[string]time.Time
	wait map[string]chan struct{}
}

func newReceiver() (*receiver, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	r := &receiver{url: "http://" + l.Addr().String(), at: map[string]time.Time{}, wait: map[string]chan struct{}{}}
	r.srv = &http.Server{Handler: r}
	go r.srv.Serve(l)
	return r, nil
}

func (r *receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	now := time.Now()
	body, _ := io.ReadAll(req.Body)
	var ev struct {
		DetailType string `json:"detail-type"`
		Detail     struct {
			Seq         string `json:"seq"`
			ExecutionID string `json:"execution-id"`
			State       string `json:"state"`
		} `json:"detail"`
	}
	_ = json.Unmarshal(body, &ev)
	key := ev.Detail.Seq
	if key == "" && ev.DetailType == "CodePipeline Pipeline Execution State Change" && ev.Detail.State == "STARTED" {
		key = ev.Detail.ExecutionID
	}
	if key != "" {
		r.arrived(key, now)
	}
	w.WriteHeader(http.StatusOK)
}

func (r *receiver) arrived(key string, at time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.at[key]; ok {
		return // a redelivery
	}
	r.at[key] = at
	if c, ok := r.wait[key]; ok {
		close(c)
		delete(r.wait, key)
	}
}

// waitFor returns when key arrived (at once if it has).
func (r *receiver) waitFor(key string, timeout time.Duration) (time.Time, bool) {
	r.mu.Lock()
	if at, ok := r.at[key]; ok {
		r.mu.Unlock()
		return at, true
	}
	c, ok := r.wait[key]
	if !ok {
		c = make(chan struct{})
		r.wait[key] = c
	}
	r.mu.Unlock()
	select {
	case <-c:
	case <-time.After(timeout):
		return time.Time{}, false
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.at[key], true
}

func (r *receiver) close() { _ = r.srv.Close() }
