package actionlog_test

import (
	"fmt"
	"io"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/actionlog"
)

func TestReadLog(t *testing.T) {
	t.Parallel()
	// readAll reads id's log from offset to its end, in reads of size bytes, and returns
	// the text and the offset to resume at.
	readAll := func(t *testing.T, sink *actionlog.FileSink, id string, offset int64, size int) (string, int64) {
		t.Helper()
		var out []byte
		buf := make([]byte, size)
		for {
			n, next, err := sink.ReadLog(t.Context(), id, offset, buf)
			require.NoError(t, err)
			if n == 0 {
				require.Equal(t, offset, next)
				return string(out), offset
			}
			out, offset = append(out, buf[:n]...), next
		}
	}
	write := func(t *testing.T, w io.Writer, from, to int) {
		t.Helper()
		for i := from; i < to; i++ {
			_, err := fmt.Fprintf(w, "%04d\n", i)
			require.NoError(t, err)
		}
	}

	t.Run("FromOffsets", func(t *testing.T) {
		t.Parallel()
		sink := newSink(t, 0)
		w, err := sink.Open(t.Context(), ref("run-1"))
		require.NoError(t, err)
		write(t, w, 0, 3)
		got, next := readAll(t, sink, "run-1", 0, actionlog.MinReadLog)
		require.Equal(t, "0000\n0001\n0002\n", got)
		require.Equal(t, int64(15), next)
		write(t, w, 3, 4)
		require.NoError(t, w.Close())
		got, next = readAll(t, sink, "run-1", next, actionlog.MinReadLog)
		require.Equal(t, "0003\n", got)
		require.Equal(t, int64(20), next)
		got, _ = readAll(t, sink, "run-1", 7, actionlog.MinReadLog)
		require.Equal(t, "01\n0002\n0003\n", got)
	})
	t.Run("NotStartedIsEmpty", func(t *testing.T) {
		t.Parallel()
		got, next := readAll(t, newSink(t, 0), "run-1", 0, actionlog.MinReadLog)
		require.Empty(t, got)
		require.Zero(t, next)
	})
	t.Run("PastTheEndWaitsForTheBytes", func(t *testing.T) {
		t.Parallel()
		sink := newSink(t, 0)
		require.NoError(t, sink.Append(t.Context(), "run-1", []byte("0000\n")))
		got, next := readAll(t, sink, "run-1", 7, actionlog.MinReadLog)
		require.Empty(t, got)
		require.Equal(t, int64(7), next)
		require.NoError(t, sink.Append(t.Context(), "run-1", []byte("0001\n")))
		got, _ = readAll(t, sink, "run-1", 7, actionlog.MinReadLog)
		require.Equal(t, "01\n", got)
	})
	t.Run("OffsetsSurviveCompaction", func(t *testing.T) {
		t.Parallel()
		sink := newSink(t, 100) // 20 lines
		w, err := sink.Open(t.Context(), ref("run-1"))
		require.NoError(t, err)
		write(t, w, 0, 10)
		_, next := readAll(t, sink, "run-1", 0, actionlog.MinReadLog)
		write(t, w, 10, 100) // compacts: lines 0-79 are dropped by Close
		require.NoError(t, w.Close())
		got, end := readAll(t, sink, "run-1", 90*5, actionlog.MinReadLog)
		require.Equal(t, "0090\n0091\n0092\n0093\n0094\n0095\n0096\n0097\n0098\n0099\n", got)
		require.Equal(t, int64(500), end)
		got, _ = readAll(t, sink, "run-1", next, actionlog.MinReadLog)
		marker := "[... 350 bytes dropped ...]\n"
		require.Equal(t, marker, got[:len(marker)])
		require.Len(t, got, len(marker)+100)
		got, _ = readAll(t, sink, "run-1", 0, 1000)
		require.Equal(t, "[... 400 bytes dropped ...]\n0080\n", got[:len("[... 400 bytes dropped ...]\n0080\n")])
	})
	t.Run("ErrSmallBuffer", func(t *testing.T) {
		t.Parallel()
		_, _, err := newSink(t, 0).ReadLog(t.Context(), "run-1", 0, make([]byte, 8))
		require.Error(t, err)
	})
	t.Run("ErrInvalidID", func(t *testing.T) {
		t.Parallel()
		_, _, err := newSink(t, 0).ReadLog(t.Context(), "a/b", 0, make([]byte, actionlog.MinReadLog))
		require.True(t, sluice.IsCode(err, sluice.EInvalid))
	})
}

func TestLogChanged(t *testing.T) {
	t.Parallel()
	setup := func(t *testing.T) *actionlog.FileSink {
		t.Helper()
		sink, err := actionlog.NewFileSink(filepath.Join(t.TempDir(), "logs"), 0)
		require.NoError(t, err)
		return sink
	}
	requireClosed := func(t *testing.T, c <-chan struct{}) {
		t.Helper()
		select {
		case <-c:
		default:
			t.Fatal("the change was not signalled")
		}
	}
	requireOpen := func(t *testing.T, c <-chan struct{}) {
		t.Helper()
		select {
		case <-c:
			t.Fatal("signalled without a change")
		default:
		}
	}

	t.Run("ByWrite", func(t *testing.T) {
		t.Parallel()
		sink := setup(t)
		w, err := sink.Open(t.Context(), ref("run-1"))
		require.NoError(t, err)
		c, other := sink.Changed("run-1"), sink.Changed("run-2")
		requireOpen(t, c)
		_, err = w.Write([]byte("x"))
		require.NoError(t, err)
		requireClosed(t, c)
		requireOpen(t, other)
		c = sink.Changed("run-1")
		require.NoError(t, w.Close())
		requireClosed(t, c)
	})
	t.Run("ByAppend", func(t *testing.T) {
		t.Parallel()
		sink := setup(t)
		c := sink.Changed("run-1")
		require.NoError(t, sink.Append(t.Context(), "run-1", []byte("x")))
		requireClosed(t, c)
	})
	t.Run("ByNotify", func(t *testing.T) {
		t.Parallel()
		sink := setup(t)
		c := sink.Changed("run-1")
		require.Equal(t, c, sink.Changed("run-1"))
		sink.Notify("run-1")
		requireClosed(t, c)
		requireOpen(t, sink.Changed("run-1"))
	})
}
