package artifacttest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
)

// bigSize is larger than any buffer a store should use, so a store that holds content in
// memory shows up in profiles, and one that truncates or reorders chunks fails the hash.
const bigSize = 8<<20 + 12345

// testRoundTripStreams puts generated content and compares hashes: neither side of the test
// holds the artifact in memory.
func testRoundTripStreams(ctx context.Context, t *testing.T, store sluice.ArtifactStore) {
	sent := sha256.New()
	src := io.TeeReader(io.LimitReader(rand.NewChaCha8([32]byte{1}), bigSize), sent)
	n, err := store.Put(ctx, "pipeline/BuildOutp/abc123", src)
	require.NoError(t, err)
	require.Equal(t, int64(bigSize), n)

	rc, err := store.Open(ctx, "pipeline/BuildOutp/abc123")
	require.NoError(t, err)
	defer rc.Close()
	got := sha256.New()
	m, err := io.Copy(got, rc)
	require.NoError(t, err)
	require.Equal(t, int64(bigSize), m)
	require.Equal(t, sent.Sum(nil), got.Sum(nil))
}

var errBrokenSource = errors.New("source broke")

// testFailedPut checks atomicity: a Put whose reader fails midway leaves the old version.
func testFailedPut(ctx context.Context, t *testing.T, store sluice.ArtifactStore) {
	put(ctx, t, store, "p/a/k", "old")
	broken := io.MultiReader(bytes.NewReader(make([]byte, 1<<20)), iotestErrReader{})
	_, err := store.Put(ctx, "p/a/k", broken)
	require.ErrorIs(t, err, errBrokenSource)
	require.Equal(t, "old", read(ctx, t, store, "p/a/k"))

	_, err = store.Put(ctx, "p/a/new", io.MultiReader(bytes.NewReader([]byte("x")), iotestErrReader{}))
	require.ErrorIs(t, err, errBrokenSource)
	requireNotFound(t, openErr(ctx, store, "p/a/new"))
}

type iotestErrReader struct{}

func (iotestErrReader) Read([]byte) (int, error) { return 0, errBrokenSource }

// testConcurrentPuts races writers of one key; each writer then reads the key, and whatever
// version it sees must be one writer's content, whole.
func testConcurrentPuts(ctx context.Context, t *testing.T, store sluice.ArtifactStore) {
	const writers, size = 8, 256 << 10
	errs := make(chan error, writers)
	var wg sync.WaitGroup
	for i := range writers {
		wg.Go(func() {
			content := bytes.Repeat([]byte{byte('a' + i)}, size)
			if _, err := store.Put(ctx, "p/a/same", bytes.NewReader(content)); err != nil {
				errs <- err
				return
			}
			errs <- checkWhole(ctx, store, "p/a/same", size)
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	require.NoError(t, checkWhole(ctx, store, "p/a/same", size))
}

func checkWhole(ctx context.Context, store sluice.ArtifactStore, key string, size int) error {
	rc, err := store.Open(ctx, key)
	if err != nil {
		return err
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	switch {
	case err != nil:
		return err
	case len(b) != size:
		return fmt.Errorf("read %d bytes, want %d", len(b), size)
	case bytes.Count(b, b[:1]) != size:
		return errors.New("content mixes versions")
	}
	return nil
}

// badKeys escape the store's root or spell a key in more than one way; every store refuses
// them, so a key that works on one store works on all.
var badKeys = []string{
	"", ".", "..", "/abs/key", "../escape", "a/../../escape", "a/../b", "./a", "a//b", "a/",
	"a/./b", `a\..\b`, "a\x00b",
}

func testBadKeys(ctx context.Context, t *testing.T, store sluice.ArtifactStore) {
	for _, key := range badKeys {
		_, err := store.Put(ctx, key, bytes.NewReader([]byte("x")))
		require.True(t, sluice.IsCode(err, sluice.EInvalid), "Put(%q): %v", key, err)
		require.True(t, sluice.IsCode(openErr(ctx, store, key), sluice.EInvalid), "Open(%q)", key)
		require.True(t, sluice.IsCode(store.Delete(ctx, key), sluice.EInvalid), "Delete(%q)", key)
	}
}
