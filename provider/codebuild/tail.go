package codebuild

import (
	"bytes"
	"strings"
	"sync"
)

// Bounds of the log tail quoted in a failure summary (which may hold 2048 characters,
// part of it taken by the headline).
const (
	tailBytes = 1400
	tailLines = 15
)

// lastLines keeps the end of the build's log for the failure summary.
type lastLines struct {
	mu  sync.Mutex
	buf []byte
	cut bool // the start of buf is not the start of the log
}

// Write appends, trimming at twice the bound so each byte is moved about once.
func (l *lastLines) Write(p []byte) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(p) >= tailBytes {
		l.buf, l.cut = append(l.buf[:0], p[len(p)-tailBytes:]...), true
		return
	}
	l.buf = append(l.buf, p...)
	if len(l.buf) > 2*tailBytes {
		l.buf, l.cut = append(l.buf[:0], l.buf[len(l.buf)-tailBytes:]...), true
	}
}

// String returns up to tailLines whole lines from the end.
func (l *lastLines) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.buf
	if len(b) > tailBytes {
		b = b[len(b)-tailBytes:]
	}
	if l.cut || len(l.buf) > tailBytes {
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			b = b[i+1:] // the first line was cut
		}
	}
	b = bytes.TrimRight(b, "\n")
	for i, n := len(b)-1, 0; i >= 0; i-- {
		if b[i] == '\n' {
			if n++; n == tailLines {
				b = b[i+1:]
				break
			}
		}
	}
	return strings.ToValidUTF8(string(b), "")
}
