// Package artifacttest is the conformance suite every sluice.ArtifactStore passes: the disk
// store always, other stores when their test environment is configured.
package artifacttest

import (
	"bytes"
	"context"
	"errors"
	"io"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
)

// Run runs the suite. newStore returns an empty store for one subtest; subtests run in
// parallel, each on its own store.
func Run(t *testing.T, newStore func(t *testing.T) sluice.ArtifactStore) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			c.test(t.Context(), t, newStore(t))
		})
	}
}

type testCase struct {
	name string
	test func(ctx context.Context, t *testing.T, store sluice.ArtifactStore)
}

var cases = []testCase{
	{"PutOpenRoundTripStreams", testRoundTripStreams},
	{"PutReturnsSize", testPutReturnsSize},
	{"EmptyArtifact", testEmptyArtifact},
	{"Overwrite", testOverwrite},
	{"KeysWithSlashesAreDistinct", testKeysWithSlashes},
	{"Delete", testDelete},
	{"DeleteMissingKeySucceeds", testDeleteMissing},
	{"ErrNotFound", testNotFound},
	{"FailedPutKeepsPreviousVersion", testFailedPut},
	{"CanceledPutStoresNothing", testCanceledPut},
	{"ConcurrentPutsLeaveOneWholeVersion", testConcurrentPuts},
	{"ErrInvalidKey", testBadKeys},
}

func testPutReturnsSize(ctx context.Context, t *testing.T, store sluice.ArtifactStore) {
	n, err := store.Put(ctx, "p/a/k", bytes.NewReader([]byte("hello")))
	require.NoError(t, err)
	require.Equal(t, int64(5), n)
}

func testEmptyArtifact(ctx context.Context, t *testing.T, store sluice.ArtifactStore) {
	_, err := store.Put(ctx, "empty", bytes.NewReader(nil))
	require.NoError(t, err)
	require.Empty(t, read(ctx, t, store, "empty"))
}

func testOverwrite(ctx context.Context, t *testing.T, store sluice.ArtifactStore) {
	put(ctx, t, store, "p/a/k", "first version, longer")
	put(ctx, t, store, "p/a/k", "second")
	require.Equal(t, "second", read(ctx, t, store, "p/a/k"))
}

func testKeysWithSlashes(ctx context.Context, t *testing.T, store sluice.ArtifactStore) {
	put(ctx, t, store, "pipe/Source/k1", "one")
	put(ctx, t, store, "pipe/Source/k2", "two")
	put(ctx, t, store, "pipe/Build/k1", "three")
	require.Equal(t, "one", read(ctx, t, store, "pipe/Source/k1"))
	require.Equal(t, "two", read(ctx, t, store, "pipe/Source/k2"))
	require.Equal(t, "three", read(ctx, t, store, "pipe/Build/k1"))
}

func testDelete(ctx context.Context, t *testing.T, store sluice.ArtifactStore) {
	put(ctx, t, store, "p/a/k", "content")
	require.NoError(t, store.Delete(ctx, "p/a/k"))
	requireNotFound(t, openErr(ctx, store, "p/a/k"))
}

func testDeleteMissing(ctx context.Context, t *testing.T, store sluice.ArtifactStore) {
	require.NoError(t, store.Delete(ctx, "p/a/never"))
}

func testNotFound(ctx context.Context, t *testing.T, store sluice.ArtifactStore) {
	requireNotFound(t, openErr(ctx, store, "p/a/missing"))
	put(ctx, t, store, "p/a/k", "content")
	requireNotFound(t, openErr(ctx, store, "p/a"))       // a prefix of a key is no key
	requireNotFound(t, openErr(ctx, store, "p/a/k/sub")) // nor is a key below a key
}

func testCanceledPut(ctx context.Context, t *testing.T, store sluice.ArtifactStore) {
	canceled, cancel := context.WithCancel(ctx)
	cancel()
	_, err := store.Put(canceled, "p/a/k", bytes.NewReader([]byte("content")))
	require.Error(t, err)
	requireNotFound(t, openErr(ctx, store, "p/a/k"))
}

func put(ctx context.Context, t *testing.T, store sluice.ArtifactStore, key, content string) {
	t.Helper()
	n, err := store.Put(ctx, key, bytes.NewReader([]byte(content)))
	require.NoError(t, err)
	require.Equal(t, int64(len(content)), n)
}

func read(ctx context.Context, t *testing.T, store sluice.ArtifactStore, key string) string {
	t.Helper()
	rc, err := store.Open(ctx, key)
	require.NoError(t, err)
	defer rc.Close()
	b, err := io.ReadAll(rc)
	require.NoError(t, err)
	return string(b)
}

func openErr(ctx context.Context, store sluice.ArtifactStore, key string) error {
	rc, err := store.Open(ctx, key)
	if err == nil {
		_ = rc.Close()
	}
	return err
}

func requireNotFound(t *testing.T, err error) {
	t.Helper()
	var e *sluice.Error
	require.True(t, errors.As(err, &e), "want *sluice.Error, got %v", err)
	require.Equal(t, sluice.ENotFound, e.Code)
	require.Equal(t, "Artifact", e.Resource)
}
