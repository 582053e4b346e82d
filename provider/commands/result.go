package commands

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"sluice"
)

// failure returns the failed outcome of a stopped or failed run, nil for a success.
func (r *shellRun) failure(ctx context.Context) *sluice.Outcome {
	var headline string
	switch {
	case ctx.Err() != nil:
		headline = "Commands were stopped"
	case r.waitErr == nil:
		return nil
	case r.state == nil:
		headline = fmt.Sprintf("Commands could not be waited for: %v", r.waitErr)
	case r.state.ExitCode() < 0:
		headline = fmt.Sprintf("Commands were killed (%s)", r.state)
	default:
		headline = fmt.Sprintf("Command failed with exit status %d", r.state.ExitCode())
	}
	text := headline
	if t := r.tail.String(); t != "" {
		text += "\n" + t
	}
	return &sluice.Outcome{ErrorType: sluice.FailureJobFailed, Summary: text, ErrorMessage: text}
}

// Bounds of the output quoted in a failure summary, which may hold 2048 characters.
const (
	tailBytes = 1536
	tailLines = 20
)

// lastLines keeps the end of the commands' output. It is written by one goroutine and read
// after that goroutine is done.
type lastLines struct {
	buf     []byte
	trimmed bool // the start of buf is not the start of the output
}

// Write appends and trims lazily, at twice the bound, so each byte is moved about once.
func (l *lastLines) Write(p []byte) {
	if len(p) >= tailBytes {
		l.buf, l.trimmed = append(l.buf[:0], p[len(p)-tailBytes:]...), true
		return
	}
	l.buf = append(l.buf, p...)
	if len(l.buf) > 2*tailBytes {
		l.buf, l.trimmed = append(l.buf[:0], l.buf[len(l.buf)-tailBytes:]...), true
	}
}

// String returns up to tailLines whole lines from the end.
func (l *lastLines) String() string {
	b := l.buf
	if len(b) > tailBytes {
		b = b[len(b)-tailBytes:]
	}
	if l.trimmed || len(l.buf) > tailBytes {
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
