package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice/sandbox"
)

// TestServerDataDirIsPrivate starts `sluice server` on a data directory holding a
// world-readable file, as an older version left it: once it serves, the directory is 0700
// and everything in it (database, generated key, that file) is the server's alone.
func TestServerDataDirIsPrivate(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	data := filepath.Join(root, "data")
	require.NoError(t, os.Mkdir(data, 0o755))
	require.NoError(t, os.Chmod(data, 0o755))
	old := filepath.Join(data, "old.txt")
	require.NoError(t, os.WriteFile(old, []byte("x"), 0o644))
	require.NoError(t, os.Chmod(old, 0o644))
	srv := startServer(t, data, freeAddr(t), "--sandbox=bwrap")

	fi, err := os.Stat(data)
	require.NoError(t, err)
	require.Equal(t, fs.FileMode(0o700), fi.Mode().Perm())
	seen := map[string]bool{}
	require.NoError(t, filepath.WalkDir(data, func(path string, d fs.DirEntry, err error) error {
		require.NoError(t, err)
		info, err := d.Info()
		require.NoError(t, err)
		require.Zero(t, info.Mode().Perm()&0o077, "%s is mode %04o", path, info.Mode().Perm())
		seen[filepath.Base(path)] = true
		return nil
	}))
	require.True(t, seen["sluice.db"] && seen["old.txt"], "walked %v", seen)
	log, err := os.ReadFile(srv.log.Name())
	require.NoError(t, err)
	require.NotContains(t, string(log), sandbox.OffWarning)
	key, err := os.Stat(data + ".encryption-key") // beside the data directory, as private
	require.NoError(t, err)
	require.Zero(t, key.Mode().Perm()&0o077, "the encryption key file is mode %04o", key.Mode().Perm())
}

// TestServerSandboxOffWarns: with --sandbox=off the server says, loudly, at start-up, what
// that costs.
func TestServerSandboxOffWarns(t *testing.T) {
	t.Parallel()
	data := filepath.Join(t.TempDir(), "data")
	srv := startServer(t, data, freeAddr(t), "--sandbox=off")
	log, err := os.ReadFile(srv.log.Name())
	require.NoError(t, err)
	require.Contains(t, strings.Split(string(log), "\n"), sandbox.OffWarning, "printed on stderr as it is")
	require.Contains(t, string(log), `"level":"WARN","msg":"`+sandbox.OffWarning, "and logged")
}
