package zipfile_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice/artifact/zipfile"
)

func TestExtract(t *testing.T) {
	t.Parallel()
	// setup returns a target directory inside a parent, so escapes show up as extra entries
	// of the parent.
	setup := func(t *testing.T) (dir, parent string) {
		t.Helper()
		parent = t.TempDir()
		return filepath.Join(parent, "target"), parent
	}
	extract := func(r *bytes.Reader, dir string) error {
		return zipfile.Extract(r, r.Size(), dir)
	}

	t.Run("CreatesDirectoriesAsNeeded", func(t *testing.T) {
		t.Parallel()
		dir, _ := setup(t)
		require.NoError(t, extract(makeZip(t, entry{Name: "deep/er/file", Body: "x"}), dir))
		require.Equal(t, []entry{
			{Name: "deep/"}, {Name: "deep/er/"}, {Name: "deep/er/file", Body: "x", Mode: 0o644},
		}, readTree(t, dir))
	})
	t.Run("KeepsModesDropsSetuid", func(t *testing.T) {
		t.Parallel()
		dir, _ := setup(t)
		zr := makeZip(t, entry{Name: "run", Body: "x", Mode: 0o755 | os.ModeSetuid},
			entry{Name: "key", Body: "k", Mode: 0o600})
		require.NoError(t, extract(zr, dir))
		require.Equal(t, []entry{
			{Name: "key", Body: "k", Mode: 0o600}, {Name: "run", Body: "x", Mode: 0o755},
		}, readTree(t, dir))
	})
	t.Run("WindowsSeparators", func(t *testing.T) {
		t.Parallel()
		dir, _ := setup(t)
		require.NoError(t, extract(makeZip(t, entry{Name: `sub\file`, Body: "x"}), dir))
		require.FileExists(t, filepath.Join(dir, "sub", "file"))
	})
	t.Run("InsideLinksAllowed", func(t *testing.T) {
		t.Parallel()
		dir, _ := setup(t)
		zr := makeZip(t,
			entry{Name: "node_modules/tool/bin.js", Body: "js"},
			entry{Name: "node_modules/.bin/tool", Link: "../tool/bin.js"},
			entry{Name: "lib/libx.so", Link: "./libx.so.1"},
		)
		require.NoError(t, extract(zr, dir))
		b, err := os.ReadFile(filepath.Join(dir, "node_modules", ".bin", "tool"))
		require.NoError(t, err)
		require.Equal(t, "js", string(b))
	})
	t.Run("ExtractFile", func(t *testing.T) {
		t.Parallel()
		dir, parent := setup(t)
		zr := makeZip(t, entry{Name: "f", Body: "x"})
		name := filepath.Join(parent, "a.zip")
		b := make([]byte, zr.Size())
		_, err := zr.Read(b)
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(name, b, 0o644))
		require.NoError(t, zipfile.ExtractFile(name, dir))
		require.FileExists(t, filepath.Join(dir, "f"))
	})
	t.Run("ErrNotAZip", func(t *testing.T) {
		t.Parallel()
		dir, _ := setup(t)
		require.ErrorContains(t, extract(bytes.NewReader([]byte("not a zip")), dir), "not a valid zip")
	})
	t.Run("ErrLinkAlreadyInDir", func(t *testing.T) {
		t.Parallel()
		dir, parent := setup(t)
		require.NoError(t, os.MkdirAll(dir, 0o755))
		require.NoError(t, os.Symlink(parent, filepath.Join(dir, "out")))
		require.Error(t, extract(makeZip(t, entry{Name: "out/evil", Body: "x"}), dir))
		require.NoFileExists(t, filepath.Join(parent, "evil"))
	})
}
