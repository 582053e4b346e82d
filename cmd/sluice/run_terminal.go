package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"sluice"
	"sluice/jobqueue"
	"sluice/runner"
	"sync"
)

// terminal serialises what the goroutines of a run print: reports, questions and the lines
// of action logs. A line printed while a question waits for its answer starts on a new line.
type terminal struct {
	mu      sync.Mutex
	w       io.Writer
	pending bool // the last thing printed is a question without its newline
}

func (t *terminal) printf(format string, args ...any) { t.write(fmt.Sprintf(format, args...), false) }

func (t *terminal) prompt(q string) { t.write(q, true) }

// write prints s; a question leaves its line open for the answer.
func (t *terminal) write(s string, question bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.pending {
		_, _ = io.WriteString(t.w, "\n")
	}
	_, _ = io.WriteString(t.w, s)
	t.pending = question
}

// answered ends the question's line with echo.
func (t *terminal) answered(echo string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.pending {
		_, _ = io.WriteString(t.w, echo)
	}
	t.pending = false
}

// terminalSink prints action logs on the terminal, each line prefixed with its action.
type terminalSink struct {
	term  *terminal
	mu    sync.Mutex
	names map[string]string // action run id -> "stage/action", for the jobs running
}

var _ runner.LogSink = (*terminalSink)(nil)

func (s *terminalSink) Open(_ context.Context, ref sluice.ActionRef) (io.WriteCloser, error) {
	s.mu.Lock()
	name := s.names[ref.ActionRunID]
	s.mu.Unlock()
	if name == "" {
		name = ref.ActionRunID
	}
	return &lineWriter{term: s.term, prefix: name + " | "}, nil
}

func (s *terminalSink) name(id, name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if name == "" {
		delete(s.names, id)
		return
	}
	s.names[id] = name
}

// namingRunner tells the sink the action of each job before the job opens its log.
type namingRunner struct {
	run  jobqueue.Runner
	sink *terminalSink
}

func (n namingRunner) Run(ctx context.Context, job *sluice.Job) sluice.JobResult {
	id := job.ActionRunID
	if id == "" {
		id = job.ID
	}
	n.sink.name(id, job.StageName+"/"+job.ActionName)
	defer n.sink.name(id, "")
	return n.run.Run(ctx, job)
}

// maxLogLine bounds a line held back for its end: longer ones are printed in pieces.
const maxLogLine = 16 << 10

// lineWriter prints one action's log whole lines at a time, each prefixed, so the logs of
// actions running side by side interleave by line, never within one. It is used by one
// goroutine at a time (the runner's log serialises writes).
type lineWriter struct {
	term   *terminal
	prefix string
	buf    []byte
}

func (l *lineWriter) Write(p []byte) (int, error) {
	l.buf = append(l.buf, p...)
	var out []byte
	rest := l.buf
	for {
		i := bytes.IndexByte(rest, '\n')
		if i < 0 && len(rest) < maxLogLine {
			break
		}
		if i < 0 {
			i = len(rest)
		}
		out = l.line(out, rest[:i])
		rest = rest[min(i+1, len(rest)):]
	}
	if len(out) > 0 {
		l.term.write(string(out), false)
	}
	l.buf = append(l.buf[:0], rest...)
	return len(p), nil
}

func (l *lineWriter) line(out, line []byte) []byte {
	out = append(out, l.prefix...)
	out = append(out, bytes.TrimSuffix(line, []byte("\r"))...)
	return append(out, '\n')
}

// Close prints a last line that did not end in a newline.
func (l *lineWriter) Close() error {
	if len(l.buf) > 0 {
		l.term.write(string(l.line(nil, l.buf)), false)
		l.buf = nil
	}
	return nil
}
