package actionlog

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
)

func TestRemove(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s, err := NewFileSink(dir, 0)
	require.NoError(t, err)
	w, err := s.Open(t.Context(), sluice.ActionRef{PipelineName: "app", ActionRunID: "run-1"})
	require.NoError(t, err)
	_, err = w.Write([]byte("built\n"))
	require.NoError(t, err)
	require.NoError(t, w.Close())
	changed := s.Changed("run-1")

	require.NoError(t, s.Remove("run-1"))
	<-changed // followers wake
	left, err := os.ReadDir(dir)
	require.NoError(t, err)
	require.Empty(t, left, "the log and its stamps are gone")
	require.NoError(t, s.Remove("never-written"))
	require.Error(t, s.Remove("../escape"))
	_, err = os.Stat(filepath.Join(dir, "run-1.log"))
	require.ErrorIs(t, err, os.ErrNotExist)
}
