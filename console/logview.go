package console

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"regexp"
	"sync"
	"time"

	"sluice"
	"sluice/service"
)

// inlineLog bounds how much of a log the action's page draws; the raw link has all of it.
const inlineLog = 4 << 20

// logChunk is the most the log views read at once.
const logChunk = 32 << 10

type actionData struct {
	Pipeline string
	Run      actionView
	Detailed bool // the caller may read the run's configuration and outputs
	LogError string
	Lines    []logLine
	Cut      bool  // the log is longer than the page shows
	Offset   int64 // where the page's log ends: the stream goes on from there
	Follow   bool  // the run is going on: the page follows its log
}

// logLine is one line of a log and when it was written (zero when unknown).
type logLine struct {
	At   time.Time
	Text string
}

// actionPage shows one action run: status, times, summary, configuration, outputs and its
// log so far, which static/log.js then follows while the run goes on.
func (c *Console) actionPage(w http.ResponseWriter, r *http.Request, s *session) {
	name, id := r.PathValue("name"), r.PathValue("id")
	detail, derr := c.Service.ActionRun(r.Context(), s.caller, name, id)
	run, lerr := c.Service.LogRun(r.Context(), s.caller, name, id, false)
	if derr != nil && lerr != nil {
		c.failed(w, r, s, derr)
		return
	}
	d := actionData{Pipeline: name, Detailed: derr == nil}
	if derr != nil {
		detail = service.ActionRunDetail{ActionRun: run}
	}
	d.Run = actionView{ActionRunDetail: detail, Pipeline: name, Downloads: c.Artifacts != nil}
	switch {
	case lerr != nil:
		d.LogError = errorText(lerr)
	case c.Logs == nil:
		d.LogError = "This server's console does not read logs."
	default:
		lines, next, full, err := c.readLines(r.Context(), id, 0, inlineLog)
		if err != nil {
			c.failed(w, r, s, err)
			return
		}
		d.Lines, d.Offset, d.Cut = lines, next, full
		d.Follow = run.Status == sluice.ActionInProgress && !full
		if !d.Follow && !full {
			last, _ := c.lastLine(r.Context(), id, next)
			d.Lines = append(d.Lines, last...)
		}
	}
	c.render(w, r, s, http.StatusOK, "action", d)
}

// readLines reads whole lines of id's log from offset, up to about limit bytes, and returns
// them with the offset after the last whole line, and whether it stopped at the limit. A
// last line without its line break is left for later, unless the log ends there for good
// (see logStream). Bytes are counted as received: a marker standing for dropped bytes
// counts as its own length.
func (c *Console) readLines(ctx context.Context, id string, offset int64, limit int) ([]logLine, int64, bool, error) {
	var (
		text []byte
		buf  = make([]byte, logChunk)
		at   = offset
	)
	for len(text) < limit {
		n, next, err := c.Logs.ReadLog(ctx, id, at, buf)
		if err != nil {
			return nil, offset, false, err
		}
		if n == 0 {
			break
		}
		text, at = append(text, buf[:n]...), next
	}
	whole := bytes.LastIndexByte(text, '\n') + 1
	full := len(text) >= limit
	if whole == 0 && full { // one line longer than limit: send it cut
		whole = len(text)
	}
	return c.split(id, offset, text[:whole]), offset + int64(whole), full, nil
}

// split cuts text, which starts at offset in id's log, into lines with their times.
func (c *Console) split(id string, offset int64, text []byte) []logLine {
	stamps := c.stamps(id, offset)
	var out []logLine
	for len(text) > 0 {
		line, rest, _ := bytes.Cut(text, []byte("\n"))
		out = append(out, logLine{At: stamps.at(offset), Text: string(ansi().ReplaceAll(line, nil))})
		offset += int64(len(line)) + 1
		text = rest
	}
	return out
}

// ansi matches terminal colour and cursor sequences, which a browser would show as noise.
var ansi = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\x1b\[[0-9;?]*[A-Za-z]`) })

// rawLog sends the whole log as plain text, as the API's log endpoint does.
func (c *Console) rawLog(w http.ResponseWriter, r *http.Request, s *session) {
	name, id := r.PathValue("name"), r.PathValue("id")
	if _, err := c.Service.LogRun(r.Context(), s.caller, name, id, false); err != nil {
		c.failed(w, r, s, err)
		return
	}
	if c.Logs == nil {
		c.errorPage(w, r, s, http.StatusNotFound, "This server's console does not read logs.")
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	buf := make([]byte, logChunk)
	for offset := int64(0); ; {
		n, next, err := c.Logs.ReadLog(r.Context(), id, offset, buf)
		if err != nil {
			c.Log.Error("console: read a log", "pipeline", name, "id", id, "err", err)
			return
		}
		if n == 0 {
			return
		}
		if _, err := w.Write(buf[:n]); err != nil {
			return
		}
		offset = next
	}
}

// Clock is the line's time of day for the page (UTC; the script shows it in the browser's
// time zone), "" when unknown.
func (l logLine) Clock() string {
	if l.At.IsZero() {
		return ""
	}
	return l.At.UTC().Format("15:04:05")
}

// Stream is the URL the page's script follows the log at.
func (d actionData) Stream() string {
	return fmt.Sprintf("/pipelines/%s/actions/%s/log/stream?offset=%d", pathEscape(d.Pipeline), pathEscape(d.Run.ID), d.Offset)
}
