package actionlog_test

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice/actionlog"
)

func TestFileSinkMakesAhead(t *testing.T) {
	t.Parallel()
	// setup returns a sink that makes files ahead, and its directory.
	setup := func(t *testing.T) (*actionlog.FileSink, string) {
		dir := filepath.Join(t.TempDir(), "logs")
		sink, err := actionlog.NewFileSink(dir, 0)
		require.NoError(t, err)
		sink.MakeAhead = true
		t.Cleanup(sink.Wait) // before the directory goes
		return sink, dir
	}
	write := func(t *testing.T, sink *actionlog.FileSink, id, text string) {
		t.Helper()
		w, err := sink.Open(t.Context(), ref(id))
		require.NoError(t, err)
		_, err = io.WriteString(w, text)
		require.NoError(t, err)
		require.NoError(t, w.Close())
	}
	// spares lists the inodes of the files made ahead.
	spares := func(t *testing.T, dir string) map[uint64]bool {
		t.Helper()
		entries, err := os.ReadDir(dir)
		require.NoError(t, err)
		out := map[uint64]bool{}
		for _, e := range entries {
			if strings.HasPrefix(e.Name(), ".spare-") {
				fi, err := os.Stat(filepath.Join(dir, e.Name()))
				require.NoError(t, err)
				require.Zero(t, fi.Size(), e.Name())
				out[fi.Sys().(*syscall.Stat_t).Ino] = true
			}
		}
		return out
	}
	inode := func(t *testing.T, name string) uint64 {
		t.Helper()
		fi, err := os.Stat(name)
		require.NoError(t, err)
		return fi.Sys().(*syscall.Stat_t).Ino
	}

	t.Run("NewLogsTakeASpare", func(t *testing.T) {
		t.Parallel()
		sink, dir := setup(t)
		write(t, sink, "run-1", "one\n")
		sink.Wait()
		ready := spares(t, dir)
		require.NotEmpty(t, ready, "files are made while the first log is written")
		write(t, sink, "run-2", "two\n")
		require.True(t, ready[inode(t, filepath.Join(dir, "run-2.log"))], "run-2's log is a spare")
		require.Equal(t, "one\n", readSinkFile(t, sink, "run-1"))
		require.Equal(t, "two\n", readSinkFile(t, sink, "run-2"))
		sink.Wait()
		require.NotContains(t, spares(t, dir), inode(t, filepath.Join(dir, "run-2.log")), "a taken spare is gone")
	})
	t.Run("ALogThereIsKept", func(t *testing.T) {
		t.Parallel()
		sink, dir := setup(t)
		write(t, sink, "run-1", "one\n")
		sink.Wait()
		// Made by another process on a shared directory, or by this one's earlier job.
		require.NoError(t, os.WriteFile(filepath.Join(dir, "run-9.log"), []byte("theirs\n"), 0o644))
		write(t, sink, "run-9", "ours\n")
		write(t, sink, "run-1", "again\n")
		require.Equal(t, "theirs\nours\n", readSinkFile(t, sink, "run-9"))
		require.Equal(t, "one\nagain\n", readSinkFile(t, sink, "run-1"))
	})
	t.Run("LeftoversAreSwept", func(t *testing.T) {
		t.Parallel()
		sink, dir := setup(t)
		left := filepath.Join(dir, ".spare-left")
		require.NoError(t, os.WriteFile(left, nil, 0o644))
		write(t, sink, "run-1", "one\n")
		sink.Wait()
		require.NoFileExists(t, left)
	})
}
