package diskstore_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/artifact/artifacttest"
	"sluice/artifact/diskstore"
)

func TestStore(t *testing.T) {
	t.Parallel()
	artifacttest.Run(t, func(t *testing.T) sluice.ArtifactStore {
		store, err := diskstore.New(filepath.Join(t.TempDir(), "artifacts"))
		require.NoError(t, err)
		return store
	})
}

func TestStoreFiles(t *testing.T) {
	t.Parallel()
	setup := func(t *testing.T) (*diskstore.Store, string) {
		t.Helper()
		parent := t.TempDir()
		store, err := diskstore.New(filepath.Join(parent, "root"))
		require.NoError(t, err)
		return store, parent
	}

	t.Run("KeyIsAFileUnderTheRoot", func(t *testing.T) {
		t.Parallel()
		store, parent := setup(t)
		_, err := store.Put(t.Context(), "pipe/Source/k", bytes.NewReader([]byte("zip")))
		require.NoError(t, err)
		b, err := os.ReadFile(filepath.Join(parent, "root", "pipe", "Source", "k"))
		require.NoError(t, err)
		require.Equal(t, "zip", string(b))
	})
	t.Run("OpenReturnsAFile", func(t *testing.T) {
		t.Parallel()
		store, _ := setup(t)
		_, err := store.Put(t.Context(), "k", bytes.NewReader([]byte("zip")))
		require.NoError(t, err)
		rc, err := store.Open(t.Context(), "k")
		require.NoError(t, err)
		defer rc.Close()
		require.IsType(t, &os.File{}, rc) // the runner extracts from it without a copy
	})
	t.Run("NothingLeftBehind", func(t *testing.T) {
		t.Parallel()
		store, parent := setup(t)
		_, err := store.Put(t.Context(), "../outside", bytes.NewReader([]byte("x")))
		require.Error(t, err)
		_, err = store.Put(t.Context(), "p/k", iotestErrReader{})
		require.Error(t, err)
		entries, err := os.ReadDir(filepath.Join(parent, "root", "p"))
		require.NoError(t, err)
		require.Empty(t, entries) // the failed Put removed its temporary file
		entries, err = os.ReadDir(parent)
		require.NoError(t, err)
		require.Len(t, entries, 1)
	})
	t.Run("ErrInvalidTempName", func(t *testing.T) {
		t.Parallel()
		store, _ := setup(t)
		_, err := store.Put(t.Context(), "p/.put-123", bytes.NewReader([]byte("x")))
		require.True(t, sluice.IsCode(err, sluice.EInvalid))
	})
}

type iotestErrReader struct{}

func (iotestErrReader) Read([]byte) (int, error) { return 0, os.ErrClosed }
