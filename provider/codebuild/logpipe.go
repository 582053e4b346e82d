package codebuild

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"sluice/actionlog"
	"time"
)

// logPipe is the build's one output channel. Every shell and every background process
// writes to the same pipe, and Sluice writes its own "[Container]" lines into it too, so
// the log shows everything in the order it happened. The copier also reads two kinds of
// in-band markers, "\x00sluice:<nonce>:<kind>\x00": T starts a "[Container] <time> " line
// (the scripts print one before each command, and Sluice before its own lines, so all
// stamps come from one clock),
// and S (sync) tells Run that everything written before it is in the log.
type logPipe struct {
	r, w    *os.File
	dst     io.Writer
	tail    *actionlog.Tail
	now     func() time.Time
	nonce   string
	mark    []byte // "\x00sluice:<nonce>:"
	synced  chan struct{}
	done    chan struct{}
	midLine bool // the log's last byte is not a newline (copier only)
}

func newLogPipe(dst io.Writer, now func() time.Time) (*logPipe, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	if dst == nil {
		dst = io.Discard
	}
	nonce := make([]byte, 8)
	_, _ = rand.Read(nonce)
	l := &logPipe{r: r, w: w, dst: dst, tail: actionlog.NewTail(tailBytes, tailLines), now: now, nonce: hex.EncodeToString(nonce),
		synced: make(chan struct{}, 1), done: make(chan struct{})}
	l.mark = []byte("\x00sluice:" + l.nonce + ":")
	go l.copy()
	return l, nil
}

// stamp formats a time as CodeBuild's log lines do.
func stamp(t time.Time) string {
	return t.UTC().Format("2006/01/02 15:04:05.000000")
}

// printf writes one "[Container]" line. It goes through the pipe, behind what the build
// wrote before it, and is stamped by the copier like the scripts' lines.
func (l *logPipe) printf(format string, args ...any) {
	fmt.Fprintf(l.w, "%sT\x00%s\n", l.mark, fmt.Sprintf(format, args...))
}

// sync returns once everything written to the pipe so far has reached the log. Only the
// Run goroutine calls it, one call at a time.
func (l *logPipe) sync() {
	if _, err := l.w.Write(append(l.mark[:len(l.mark):len(l.mark)], 'S', 0)); err != nil {
		return
	}
	select {
	case <-l.synced:
	case <-l.done:
	}
}

// close waits for what the build wrote, then stops the copier. Processes that escaped the
// build's process group may still hold the pipe: closing the read end cuts them off
// rather than waiting for them.
func (l *logPipe) close() {
	l.sync()
	_ = l.w.Close()
	_ = l.r.Close()
	<-l.done
}

func (l *logPipe) copy() {
	defer close(l.done)
	buf := make([]byte, 32<<10)
	var pending []byte
	for {
		n, err := l.r.Read(buf)
		pending = l.scan(append(pending, buf[:n]...))
		if err != nil {
			l.emit(pending)
			return
		}
	}
}

// scan writes out p up to the next marker, acts on the marker, and repeats; it returns
// the bytes it holds back because they may be the start of a marker cut by the read.
func (l *logPipe) scan(p []byte) []byte {
	for {
		i := bytes.Index(p, l.mark)
		if i < 0 {
			keep := partialMark(p, l.mark)
			l.emit(p[:len(p)-keep])
			return append(p[:0], p[len(p)-keep:]...)
		}
		end := i + len(l.mark) + 2
		if end > len(p) {
			l.emit(p[:i])
			return append(p[:0], p[i:]...)
		}
		l.emit(p[:i])
		switch p[end-2] {
		case 'T': // on a line of its own, even after output without a final newline
			if l.midLine {
				l.emit([]byte{'\n'})
			}
			l.emit([]byte("[Container] " + stamp(l.now()) + " "))
		case 'S':
			select {
			case l.synced <- struct{}{}:
			default:
			}
		}
		p = p[end:]
	}
}

// partialMark is the length of the longest end of p that begins mark. Markers start with
// a NUL, which text output does not contain, so normal output is never held back.
func partialMark(p, mark []byte) int {
	start := max(0, len(p)-len(mark)-1)
	for i := start; i < len(p); i++ {
		if p[i] == 0 && bytes.HasPrefix(mark, p[i:min(len(p), i+len(mark))]) {
			return len(p) - i
		}
	}
	return 0
}

// emit feeds the log and the tail. A log write error is dropped: stopping the copy would
// fill the pipe and block the build.
func (l *logPipe) emit(p []byte) {
	if len(p) == 0 {
		return
	}
	_, _ = l.dst.Write(p)
	_, _ = l.tail.Write(p)
	l.midLine = p[len(p)-1] != '\n'
}
