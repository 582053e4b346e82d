package actionlog

import (
	"bytes"
	"strings"
	"sync"
)

// Tail keeps about the last maxBytes written to a log and returns up to maxLines whole lines
// of them, so a failure summary can quote the end of a log without reading it back. It is
// safe for concurrent use.
type Tail struct {
	maxBytes, maxLines int

	mu  sync.Mutex
	buf []byte
	cut bool // the start of buf is not the start of the log
}

// NewTail returns a tail keeping the last maxBytes and quoting up to maxLines lines.
func NewTail(maxBytes, maxLines int) *Tail {
	return &Tail{maxBytes: maxBytes, maxLines: maxLines}
}

// Write appends p, trimming at twice the bound so each byte is moved about once.
func (b *Tail) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(p) >= b.maxBytes {
		b.buf, b.cut = append(b.buf[:0], p[len(p)-b.maxBytes:]...), true
		return len(p), nil
	}
	b.buf = append(b.buf, p...)
	if len(b.buf) > 2*b.maxBytes {
		b.buf, b.cut = append(b.buf[:0], b.buf[len(b.buf)-b.maxBytes:]...), true
	}
	return len(p), nil
}

// String returns up to maxLines whole lines from the end (a line cut by the bound is left
// out), as valid UTF-8.
func (b *Tail) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	t := b.buf
	if len(t) > b.maxBytes {
		t = t[len(t)-b.maxBytes:]
	}
	if b.cut || len(b.buf) > b.maxBytes {
		if i := bytes.IndexByte(t, '\n'); i >= 0 {
			t = t[i+1:]
		}
	}
	t = bytes.TrimRight(t, "\n")
	for i, n := len(t)-1, 0; i >= 0; i-- {
		if t[i] == '\n' {
			if n++; n == b.maxLines {
				t = t[i+1:]
				break
			}
		}
	}
	return strings.ToValidUTF8(string(t), "")
}
