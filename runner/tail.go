package runner

import (
	"bytes"
	"strings"
)

// tailSize bounds the log tail kept for failure summaries, which may hold 2048 characters.
const (
	tailSize  = 1536
	tailLines = 20
)

// tail remembers the last tailSize bytes written to a job's log, in a ring, so a failure
// summary can quote the end of the log without reading the file back.
type tail struct {
	buf     [tailSize]byte
	pos     int  // next write position
	wrapped bool // the ring has been filled at least once
}

func (t *tail) Write(p []byte) {
	if len(p) >= tailSize {
		copy(t.buf[:], p[len(p)-tailSize:])
		t.pos, t.wrapped = 0, true
		return
	}
	n := copy(t.buf[t.pos:], p)
	if n < len(p) {
		copy(t.buf[:], p[n:])
		t.wrapped = true
	}
	t.pos = (t.pos + len(p)) % tailSize
}

// String returns the last tailLines complete lines (a line cut by the ring is dropped).
func (t *tail) String() string {
	var b []byte
	if t.wrapped {
		b = append(append(b, t.buf[t.pos:]...), t.buf[:t.pos]...)
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			b = b[i+1:]
		}
	} else {
		b = t.buf[:t.pos]
	}
	b = bytes.TrimRight(b, "\n")
	for i, lines := len(b)-1, 0; i >= 0; i-- {
		if b[i] == '\n' {
			if lines++; lines == tailLines {
				b = b[i+1:]
				break
			}
		}
	}
	return strings.ToValidUTF8(string(b), "")
}
