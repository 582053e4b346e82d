package sqlite_test

import (
	"path/filepath"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/sealbox"
	"sluice/store/sqlite"
	"sluice/store/storetest"
)

func TestStore(t *testing.T) {
	t.Parallel()
	var paths sync.Map         // *sqlite.DB -> its file
	box := sealbox.Ephemeral() // one key for every open, so a reopened store reads its secrets
	open := func(t *testing.T, path string) sluice.Store {
		db, err := sqlite.Open(path, sqlite.WithSealer(box))
		require.NoError(t, err)
		paths.Store(db, path)
		t.Cleanup(func() { require.NoError(t, db.Close()) }) // closing twice is harmless
		return db
	}
	storetest.Run(t, func(t *testing.T) sluice.Store {
		return open(t, filepath.Join(t.TempDir(), "sluice.db"))
	}, storetest.WithReopen(func(t *testing.T, s sluice.Store) sluice.Store {
		path, ok := paths.Load(s)
		require.True(t, ok)
		require.NoError(t, s.Close())
		return open(t, path.(string))
	}))
}
