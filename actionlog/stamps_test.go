package actionlog_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"sluice/actionlog"
)

// TestLogTimes: a log's writes are stamped with their second, once a second, through
// compactions and appends, and a reader gets the stamps from the one covering its offset.
func TestLogTimes(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	t.Run("OnePerSecond", func(t *testing.T) {
		t.Parallel()
		sink := newSink(t, 100)
		now := t0
		sink.Now = func() time.Time { return now }
		w, err := sink.Open(t.Context(), ref("run-1"))
		require.NoError(t, err)
		_, _ = w.Write([]byte("one\n"))
		now = now.Add(500 * time.Millisecond)
		_, _ = w.Write([]byte("two\n")) // the same second: no stamp
		now = now.Add(2 * time.Second)
		_, _ = w.Write([]byte("three\n"))
		require.NoError(t, sink.Append(t.Context(), "run-1", []byte("four\n")))
		now = now.Add(time.Second)
		require.NoError(t, sink.Append(t.Context(), "run-1", []byte("five\n")))
		require.NoError(t, w.Close())
		got, err := sink.LogTimes("run-1", 0)
		require.NoError(t, err)
		require.Equal(t, []actionlog.Stamp{{0, t0}, {8, t0.Add(2500 * time.Millisecond)}, {19, t0.Add(3500 * time.Millisecond)}}, utc(got))
		got, err = sink.LogTimes("run-1", 10)
		require.NoError(t, err)
		require.Equal(t, []actionlog.Stamp{{8, t0.Add(2500 * time.Millisecond)}, {19, t0.Add(3500 * time.Millisecond)}}, utc(got))
		got, err = sink.LogTimes("run-1", 19)
		require.NoError(t, err)
		require.Len(t, got, 1)
	})
	t.Run("OffsetsSurviveCompaction", func(t *testing.T) {
		t.Parallel()
		sink := newSink(t, 30)
		now := t0
		sink.Now = func() time.Time { return now }
		w, err := sink.Open(t.Context(), ref("run-1"))
		require.NoError(t, err)
		for range 10 {
			_, _ = w.Write([]byte("0123456789\n"))
			now = now.Add(time.Second)
		}
		require.NoError(t, w.Close())
		got, err := sink.LogTimes("run-1", 99)
		require.NoError(t, err)
		require.Equal(t, actionlog.Stamp{Offset: 99, At: t0.Add(9 * time.Second)}, utc(got)[0])
		buf := make([]byte, 64)
		n, _, err := sink.ReadLog(t.Context(), "run-1", 99, buf)
		require.NoError(t, err)
		require.Equal(t, "0123456789\n", string(buf[:n]), "the stamp's offset is the log's")
	})
	t.Run("OneSecondKeepsNoSidecar", func(t *testing.T) {
		t.Parallel()
		sink := newSink(t, 100)
		now := t0.Add(250 * time.Millisecond)
		sink.Now = func() time.Time { return now }
		w, err := sink.Open(t.Context(), ref("run-1"))
		require.NoError(t, err)
		_, _ = w.Write([]byte("one\n"))
		now = now.Add(500 * time.Millisecond)
		_, _ = w.Write([]byte("two\n"))
		require.NoError(t, w.Close())
		name, err := sink.Path("run-1")
		require.NoError(t, err)
		times := strings.TrimSuffix(name, ".log") + ".times"
		require.NoFileExists(t, times)
		got, err := sink.LogTimes("run-1", 0)
		require.NoError(t, err)
		require.Equal(t, []actionlog.Stamp{{0, t0.Add(250 * time.Millisecond)}}, utc(got))

		// A write in a later second makes the sidecar, first stamp included.
		now = t0.Add(3 * time.Second)
		require.NoError(t, sink.Append(t.Context(), "run-1", []byte("three\n")))
		require.FileExists(t, times)
		got, err = sink.LogTimes("run-1", 0)
		require.NoError(t, err)
		require.Equal(t, []actionlog.Stamp{{0, t0.Add(250 * time.Millisecond)}, {8, t0.Add(3 * time.Second)}}, utc(got))
	})
	t.Run("AnOpenLogGivesItsWriteTime", func(t *testing.T) {
		t.Parallel()
		// The sink's clock, not the file system's, stamps a log still being written.
		sink := newSink(t, 100)
		sink.Now = func() time.Time { return t0.Add(250 * time.Millisecond) }
		w, err := sink.Open(t.Context(), ref("run-1"))
		require.NoError(t, err)
		_, _ = w.Write([]byte("one\n"))
		got, err := sink.LogTimes("run-1", 0)
		require.NoError(t, err)
		require.Equal(t, []actionlog.Stamp{{0, t0.Add(250 * time.Millisecond)}}, utc(got))
		require.NoError(t, w.Close())
		got, err = sink.LogTimes("run-1", 0)
		require.NoError(t, err)
		require.Equal(t, []actionlog.Stamp{{0, t0.Add(250 * time.Millisecond)}}, utc(got), "and once it is closed")
	})
	t.Run("NoneForALogWithout", func(t *testing.T) {
		t.Parallel()
		got, err := newSink(t, 10).LogTimes("run-1", 0)
		require.NoError(t, err)
		require.Empty(t, got)
	})
}

func utc(st []actionlog.Stamp) []actionlog.Stamp {
	for i := range st {
		st[i].At = st[i].At.UTC()
	}
	return st
}
