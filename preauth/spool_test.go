package preauth_test

import (
	"bytes"
	"crypto/sha256"
	"io"
	"os"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice/preauth"
)

// counting counts the bytes read from it.
type counting struct {
	r io.Reader
	n int64
}

func (c *counting) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

func TestReadBody(t *testing.T) {
	t.Parallel()
	for _, size := range []int{0, 10, preauth.InMemory, preauth.InMemory + 1, 1 << 20} {
		data := bytes.Repeat([]byte("0123456789abcdef"), size/16+1)[:size]
		h := sha256.New()
		b, err := preauth.ReadBody(bytes.NewReader(data), 1<<20, t.TempDir(), h)
		require.NoError(t, err)
		require.Equal(t, int64(size), b.Size())
		got, err := b.Bytes()
		require.NoError(t, err)
		require.True(t, bytes.Equal(data, got), "size %d", size)
		want := sha256.Sum256(data)
		require.Equal(t, want[:], h.Sum(nil), "every byte passed through the sink")
		b.Close()
	}
}

func TestReadBodyTooLargeReadsAtMostTheCap(t *testing.T) {
	t.Parallel()
	const max = 100 << 10
	src := &counting{r: bytes.NewReader(make([]byte, 10<<20))}
	_, err := preauth.ReadBody(src, max, t.TempDir(), io.Discard)
	require.ErrorIs(t, err, preauth.ErrTooLarge)
	require.Equal(t, int64(max+1), src.n, "one byte past the cap tells it is too large")
}

func TestReadBodyLeavesNoFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	b, err := preauth.ReadBody(bytes.NewReader(make([]byte, 1<<20)), 1<<20, dir, io.Discard)
	require.NoError(t, err)
	entries, err := readDir(dir)
	require.NoError(t, err)
	require.Empty(t, entries, "the spool file is unlinked while open")
	b.Close()
}

func readDir(dir string) ([]string, error) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return f.Readdirnames(-1)
}
