package console

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"time"

	"sluice"
	"sluice/actionlog"
)

// logTimes is what a LogReader may also do: say when a log's bytes were written
// (actionlog.FileSink does). Without it lines have no times.
type logTimes interface {
	LogTimes(id string, from int64) ([]actionlog.Stamp, error)
}

// stampList finds the time of an offset of one log.
type stampList []actionlog.Stamp

// stamps reads id's stamps from offset on; none when the reader keeps none.
func (c *Console) stamps(id string, offset int64) stampList {
	lt, ok := c.Logs.(logTimes)
	if !ok {
		return nil
	}
	st, err := lt.LogTimes(id, offset)
	if err != nil {
		c.Log.Warn("console: read a log's times", "id", id, "err", err)
	}
	return st
}

// at is when the byte at offset was written: the time of the last stamp at or before it.
func (l stampList) at(offset int64) time.Time {
	i := sort.Search(len(l), func(i int) bool { return l[i].Offset > offset })
	if i == 0 {
		return time.Time{}
	}
	return l[i-1].At
}

// followCheck is how long the stream waits without a change before it reads the run's
// status again; the log store wakes followers when the run ends, so this is a safety net.
const followCheck = 5 * time.Second

// streamLine is a "line" event: one line of the log and when it was written ("" unknown).
type streamLine struct {
	At   string `json:"t,omitempty"`
	Text string `json:"text"`
}

// logStream sends the log of an action run from ?offset= (or the Last-Event-ID a
// reconnecting browser sends) as Server-Sent Events: a "line" event per whole line, whose
// id is the offset after it, and an "end" event with the run's final status when the run
// has ended and its log is sent. It follows the log as api/logfollow.go does: the change
// channel is taken before each read, and a run seen ended gets one more read.
func (c *Console) logStream(w http.ResponseWriter, r *http.Request, s *session) {
	name, id := r.PathValue("name"), r.PathValue("id")
	run, err := c.Service.LogRun(r.Context(), s.caller, name, id, false)
	if err == nil && c.Logs == nil {
		err = sluice.Errorf(sluice.ENotFound, "", "This server's console does not read logs.")
	}
	if err != nil { // an EventSource shows no page: the status and message are for people
		c.failed(w, r, s, err)
		return
	}
	offset := streamOffset(r)
	rc := http.NewResponseController(w)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("X-Accel-Buffering", "no")
	_ = rc.SetWriteDeadline(time.Time{})
	fmt.Fprint(w, "retry: 2000\n\n")
	_ = rc.Flush()
	status, shutdown := run.Status, c.shutdown()
	check, alive := time.NewTimer(followCheck), time.NewTicker(keepAlive)
	defer check.Stop()
	defer alive.Stop()
	for {
		changed := c.Logs.Changed(id)
		lines, next, _, err := c.readLines(r.Context(), id, offset, logChunk)
		if err != nil {
			c.Log.Error("console: follow a log", "pipeline", name, "id", id, "err", err)
			return
		}
		if next > offset {
			offset = sendLines(w, lines, next)
			_ = rc.Flush()
			continue
		}
		if status != sluice.ActionInProgress {
			c.endStream(r.Context(), w, id, offset, status)
			_ = rc.Flush()
			return
		}
		if run, err = c.Service.ActionRunStatus(r.Context(), s.caller, name, id); err != nil {
			return // the browser left, or may no longer read: it reconnects and is told
		}
		if status = run.Status; status != sluice.ActionInProgress {
			continue
		}
		check.Reset(followCheck)
		select {
		case <-changed:
		case <-check.C:
		case <-alive.C:
			fmt.Fprint(w, ": keep-alive\n\n")
			if rc.Flush() != nil {
				return
			}
		case <-r.Context().Done():
			return
		case <-shutdown: // the browser reconnects to the next server, after its last line
			return
		}
	}
}

// shutdown is closed when the server shuts down (Hub.Close), so a following stream does not
// hold the shutdown up; nil (never) without a hub.
func (c *Console) shutdown() <-chan struct{} {
	if c.Live == nil {
		return nil
	}
	c.Live.mu.Lock()
	defer c.Live.mu.Unlock()
	return c.Live.closed()
}

// streamOffset is where a stream starts: after the last line a reconnecting browser got,
// else ?offset=, else the start.
func streamOffset(r *http.Request) int64 {
	for _, v := range []string{r.Header.Get("Last-Event-ID"), r.URL.Query().Get("offset")} {
		if n, err := strconv.ParseInt(v, 10, 64); err == nil && n >= 0 {
			return n
		}
	}
	return 0
}

// sendLines writes lines as events; next is the offset after the last one.
func sendLines(w http.ResponseWriter, lines []logLine, next int64) int64 {
	for i, l := range lines {
		ev := streamLine{Text: l.Text}
		if !l.At.IsZero() {
			ev.At = l.At.UTC().Format(time.RFC3339Nano)
		}
		b, _ := json.Marshal(ev) // strings only
		if i == len(lines)-1 {
			fmt.Fprintf(w, "id: %d\n", next) // a reconnect resumes after the last line sent
		}
		fmt.Fprintf(w, "event: line\ndata: %s\n\n", b)
	}
	return next
}

// endStream sends what is left of an ended run's log (a last line without its line break)
// and the "end" event.
func (c *Console) endStream(ctx context.Context, w http.ResponseWriter, id string, offset int64, status sluice.ActionStatus) {
	if lines, next := c.lastLine(ctx, id, offset); len(lines) > 0 {
		sendLines(w, lines, next)
	}
	b, _ := json.Marshal(map[string]string{"status": string(status), "class": statusClass(status)})
	fmt.Fprintf(w, "event: end\ndata: %s\n\n", b)
}

// lastLine reads the line without a line break that may end an ended run's log at offset.
func (c *Console) lastLine(ctx context.Context, id string, offset int64) ([]logLine, int64) {
	buf := make([]byte, logChunk)
	n, next, err := c.Logs.ReadLog(ctx, id, offset, buf)
	if err != nil || n == 0 {
		return nil, offset
	}
	return c.split(id, offset, buf[:n]), next
}
