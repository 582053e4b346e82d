package actionlog_test

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/actionlog"
)

func TestFileSink(t *testing.T) {
	t.Parallel()
	// writeLines writes lines "0000\n", "0001\n", ... (5 bytes each) one per Write.
	writeLines := func(t *testing.T, w io.Writer, from, to int) {
		t.Helper()
		for i := from; i < to; i++ {
			_, err := fmt.Fprintf(w, "%04d\n", i)
			require.NoError(t, err)
		}
	}
	lines := func(from, to int) string {
		var b strings.Builder
		for i := from; i < to; i++ {
			fmt.Fprintf(&b, "%04d\n", i)
		}
		return b.String()
	}

	t.Run("UnderCapKeepsAll", func(t *testing.T) {
		t.Parallel()
		sink := newSink(t, 100)
		w, err := sink.Open(t.Context(), ref("run-1"))
		require.NoError(t, err)
		writeLines(t, w, 0, 20)
		require.NoError(t, w.Close())
		require.Equal(t, lines(0, 20), readSinkFile(t, sink, "run-1"))
	})
	t.Run("KeepsLastBytesWithMarker", func(t *testing.T) {
		t.Parallel()
		sink := newSink(t, 100) // 20 lines
		w, err := sink.Open(t.Context(), ref("run-1"))
		require.NoError(t, err)
		writeLines(t, w, 0, 1000)
		require.NoError(t, w.Close())
		require.Equal(t, "[... 4900 bytes dropped ...]\n"+lines(980, 1000), readSinkFile(t, sink, "run-1"))
	})
	t.Run("CutStartsAtALine", func(t *testing.T) {
		t.Parallel()
		sink := newSink(t, 12)
		w, err := sink.Open(t.Context(), ref("run-1"))
		require.NoError(t, err)
		writeLines(t, w, 0, 6) // 30 bytes; the last 12 begin inside "0003\n"
		require.NoError(t, w.Close())
		require.Equal(t, "[... 20 bytes dropped ...]\n"+lines(4, 6), readSinkFile(t, sink, "run-1"))
	})
	t.Run("ContinuationAppendsAndKeepsCounting", func(t *testing.T) {
		t.Parallel()
		sink := newSink(t, 100)
		w, err := sink.Open(t.Context(), ref("run-1"))
		require.NoError(t, err)
		writeLines(t, w, 0, 40)
		require.NoError(t, w.Close())
		w, err = sink.Open(t.Context(), ref("run-1"))
		require.NoError(t, err)
		writeLines(t, w, 40, 50)
		require.NoError(t, w.Close())
		require.Equal(t, "[... 150 bytes dropped ...]\n"+lines(30, 50), readSinkFile(t, sink, "run-1"))
	})
	t.Run("ErrInvalidID", func(t *testing.T) {
		t.Parallel()
		sink := newSink(t, 0)
		for _, id := range []string{"", "..", "a/b", `a\b`} {
			_, err := sink.Open(t.Context(), ref(id))
			require.True(t, sluice.IsCode(err, sluice.EInvalid), "id %q", id)
		}
	})
}

// newSink is a FileSink capping logs at max bytes in a temporary directory.
func newSink(t *testing.T, max int64) *actionlog.FileSink {
	t.Helper()
	sink, err := actionlog.NewFileSink(filepath.Join(t.TempDir(), "logs"), max)
	require.NoError(t, err)
	return sink
}

// readSinkFile is the content of id's log file.
func readSinkFile(t *testing.T, sink *actionlog.FileSink, id string) string {
	t.Helper()
	name, err := sink.Path(id)
	require.NoError(t, err)
	b, err := os.ReadFile(name)
	require.NoError(t, err)
	return string(b)
}

// ref names an action run's log.
func ref(id string) sluice.ActionRef { return sluice.ActionRef{PipelineName: "pipe", ActionRunID: id} }

func TestFileSinkSharedWriters(t *testing.T) {
	t.Parallel()

	t.Run("AppendsInterleaveWithAWriter", func(t *testing.T) {
		t.Parallel()
		sink := newSink(t, 0)
		w, err := sink.Open(t.Context(), ref("run-1"))
		require.NoError(t, err)
		_, err = io.WriteString(w, "runner 1\n")
		require.NoError(t, err)
		require.NoError(t, sink.Append(t.Context(), "run-1", []byte("remote 1\n")))
		_, err = io.WriteString(w, "runner 2\n")
		require.NoError(t, err)
		require.NoError(t, w.Close())
		require.NoError(t, sink.Append(t.Context(), "run-1", []byte("remote 2\n")))
		require.Equal(t, "runner 1\nremote 1\nrunner 2\nremote 2\n", readSinkFile(t, sink, "run-1"))
	})
	t.Run("CompactionKeepsEveryWriter", func(t *testing.T) {
		t.Parallel()
		sink := newSink(t, 10) // two lines of 5 bytes
		a, err := sink.Open(t.Context(), ref("run-1"))
		require.NoError(t, err)
		b, err := sink.Open(t.Context(), ref("run-1"))
		require.NoError(t, err)
		for i := range 10 { // a compaction replaces the file every few lines
			w := a
			if i%2 == 1 {
				w = b
			}
			_, err := fmt.Fprintf(w, "%04d\n", i)
			require.NoError(t, err)
		}
		require.NoError(t, a.Close())
		require.NoError(t, b.Close())
		require.Equal(t, "[... 40 bytes dropped ...]\n0008\n0009\n", readSinkFile(t, sink, "run-1"))
	})
	t.Run("AppendsAloneStayUnderTwoCaps", func(t *testing.T) {
		t.Parallel()
		sink := newSink(t, 10)
		for i := range 5 {
			require.NoError(t, sink.Append(t.Context(), "run-1", fmt.Appendf(nil, "%04d\n", i)))
		}
		require.Equal(t, "[... 15 bytes dropped ...]\n0003\n0004\n", readSinkFile(t, sink, "run-1"))
	})
	t.Run("ErrAppendInvalidID", func(t *testing.T) {
		t.Parallel()
		sink := newSink(t, 0)
		err := sink.Append(t.Context(), "../x", []byte("x"))
		require.True(t, sluice.IsCode(err, sluice.EInvalid))
	})
}
