package api

import (
	"context"
	"net/http"
	"time"

	"sluice"
)

// followCheck is how long a follower waits without any change before it reads the action
// run's status again. The server notifies a log's followers when its run ends, so this is
// only the safety net for an end it was not told about.
const followCheck = 5 * time.Second

// logChunk is the most a follower reads and writes at once.
const logChunk = 32 << 10

// streamLog writes c's log from offset to w. Without follow it stops at the end of what is
// there; with follow it flushes each chunk and goes on until the action run has ended and
// its log is sent to the end, the client goes away or the server shuts down. It returns the
// offset reached and the run's status when it stopped. Its error is the server's (reading
// the log or the store), never the client's leaving.
//
// The order of the loop is what makes it lose nothing: the change channel is taken before
// each read, so a write after the read wakes the wait; the status is read only when a read
// found nothing, and a run seen ended gets one more read, which finds everything the run
// wrote (a worker closes its log before it reports the result that ends the run).
func (s *Server) streamLog(ctx context.Context, w http.ResponseWriter, c *logCall, offset int64, follow bool) (int64, sluice.ActionStatus, error) {
	rc := http.NewResponseController(w)
	buf := make([]byte, logChunk)
	status := c.run.Status
	check := time.NewTimer(followCheck)
	defer check.Stop()
	for {
		changed := s.Logs.Changed(c.run.ID)
		n, next, err := s.Logs.ReadLog(ctx, c.run.ID, offset, buf)
		if err != nil {
			return offset, status, err
		}
		if n > 0 {
			if _, err := w.Write(buf[:n]); err != nil {
				return offset, status, nil // the client went away
			}
			offset = next
			if follow {
				_ = rc.Flush()
			}
			continue
		}
		if !follow || status != sluice.ActionInProgress {
			return offset, status, nil
		}
		run, err := s.Service.ActionRunStatus(ctx, c.caller, c.pipeline, c.run.ID)
		if err != nil && ctx.Err() != nil {
			return offset, status, nil
		}
		if err != nil {
			return offset, status, err
		}
		if status = run.Status; status != sluice.ActionInProgress {
			continue
		}
		check.Reset(followCheck)
		select {
		case <-changed:
		case <-check.C:
		case <-ctx.Done():
			return offset, status, nil
		case <-s.stopFollowing():
			return offset, status, nil
		}
	}
}

// stopFollowing returns a channel closed by StopWaiting.
func (s *Server) stopFollowing() <-chan struct{} {
	s.followInit.Do(func() { s.followStop = make(chan struct{}) })
	return s.followStop
}

// StopWaiting ends every response following a log and every long poll for jobs, now and
// later, so that a graceful shutdown of the HTTP server (which waits for responses to end)
// is not held up by them; register it with http.Server.RegisterOnShutdown.
func (s *Server) StopWaiting() {
	s.stopFollowing()
	s.followDone.Do(func() { close(s.followStop) })
}
