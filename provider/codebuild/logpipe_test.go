package codebuild

import (
	"bytes"
	"sluice/actionlog"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestLogPipeScan feeds the copier a stream cut at every byte: a marker split across two
// reads must still be found, a stamp must start a line, and other output (a NUL, another
// build's marker) must pass through unchanged.
func TestLogPipeScan(t *testing.T) {
	t.Parallel()
	at := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	mark := "\x00sluice:n0nce:"
	stream := "a\x00b" + mark + "T\x00Running x\n" + "out\n" + mark + "S\x00" + "\x00sluice:other:T\x00c"
	want := "a\x00b\n[Container] 2025/01/02 03:04:05.000000 Running x\nout\n\x00sluice:other:T\x00c"
	for cut := 0; cut <= len(stream); cut++ {
		var buf bytes.Buffer
		l := &logPipe{dst: &buf, tail: actionlog.NewTail(tailBytes, tailLines), now: func() time.Time { return at },
			mark: []byte(mark), synced: make(chan struct{}, 1)}
		pending := l.scan([]byte(stream[:cut]))
		pending = l.scan(append(pending, stream[cut:]...))
		l.emit(pending)
		require.Equal(t, want, buf.String(), "cut at %d", cut)
		require.Len(t, l.synced, 1, "cut at %d", cut)
	}
}
