package logclient

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"sluice"
)

// writer batches one job's log. Write never waits for the network: a timer sends what is
// pending FlushInterval after the first unsent write, at once when FlushBytes are
// pending, so a slow server slows no job. Close sends the rest and waits for it.
type writer struct {
	sink *Sink
	ctx  context.Context
	ref  sluice.ActionRef

	send sync.Mutex // held by the flush that is sending: batches arrive in order

	mu        sync.Mutex // guards the fields below
	buf       []byte
	timer     *time.Timer // the scheduled flush; nil when none is scheduled
	dropped   int64       // bytes dropped because the server did not take them in time
	failure   error       // the last failed send, while no send has succeeded since
	err       error       // the refusal that stopped sending
	closed    bool
	scheduled bool // timer will run flush, which has not taken buf yet
}

func (w *writer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.err != nil || w.closed {
		return len(p), nil
	}
	w.buf = append(w.buf, p...)
	w.trim()
	full := len(w.buf) >= w.sink.flushBytes()
	switch {
	case !w.scheduled:
		w.schedule(full)
	case full:
		w.timer.Reset(0)
	}
	return len(p), nil
}

// schedule runs flush after FlushInterval, or at once; mu is held.
func (w *writer) schedule(now bool) {
	d := w.sink.flushInterval()
	if now {
		d = 0
	}
	w.scheduled = true
	w.timer = time.AfterFunc(d, w.flush)
}

// trim keeps the pending bytes to maxPending, counting the oldest it drops; mu is held.
func (w *writer) trim() {
	if over := len(w.buf) - maxPending; over > 0 {
		w.dropped += int64(over)
		w.buf = append(w.buf[:0], w.buf[over:]...)
	}
}

// Close sends what is pending and returns the refusal that stopped sending, or the error
// of the last send when it failed.
func (w *writer) Close() error {
	w.mu.Lock()
	if w.closed {
		defer w.mu.Unlock()
		return w.closeErr()
	}
	w.closed = true
	if w.timer != nil {
		w.timer.Stop()
	}
	w.mu.Unlock()
	w.flush()
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.closeErr()
}

func (w *writer) closeErr() error {
	if w.err != nil {
		return w.err
	}
	return w.failure
}

// flush sends everything pending, in parts the server takes, the count of dropped bytes
// first as a marker line.
func (w *writer) flush() {
	w.send.Lock()
	defer w.send.Unlock()
	w.mu.Lock()
	data, dropped := w.buf, w.dropped
	w.buf, w.scheduled = nil, false
	w.mu.Unlock()
	for len(data) > 0 || dropped > 0 {
		var part []byte
		if dropped > 0 {
			part = fmt.Appendf(part, "[... %d bytes dropped: the server did not take them in time ...]\n", dropped)
		}
		n := min(len(data), maxAppend-len(part))
		part = append(part, data[:n]...)
		if err := w.post(part); err != nil {
			w.failed(data, err)
			return
		}
		w.mu.Lock()
		w.dropped -= dropped
		w.failure = nil
		w.mu.Unlock()
		data, dropped = data[n:], 0
	}
}

func (w *writer) post(p []byte) error {
	ctx, cancel := context.WithTimeout(w.ctx, sendTime)
	defer cancel()
	return w.sink.Client.Append(ctx, w.ref.PipelineName, w.ref.ActionRunID, p)
}

// failed handles a send that did not go through: a refusal stops sending; anything else
// puts the bytes back to be sent again.
func (w *writer) failed(unsent []byte, err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if refused(err) {
		w.err, w.buf = err, nil
		w.logf("the server refused the log; no more of it is sent", err)
		return
	}
	if w.failure == nil {
		w.logf("cannot send the log; retrying", err)
	}
	w.failure = err
	w.buf = append(append([]byte(nil), unsent...), w.buf...)
	w.trim()
	if !w.closed && !w.scheduled {
		w.schedule(false)
	}
}

func (w *writer) logf(msg string, err error) {
	if w.sink.Log != nil {
		w.sink.Log.Warn(msg, "pipeline", w.ref.PipelineName, "action_execution", w.ref.ActionRunID, "err", err)
	}
}

// refused reports whether the server answered with a status that a retry cannot change.
func refused(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.StatusCode/100 == 4 && e.StatusCode != http.StatusTooManyRequests &&
		e.StatusCode != http.StatusRequestTimeout
}
