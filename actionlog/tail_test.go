package actionlog

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestTail(t *testing.T) {
	t.Parallel()

	t.Run("ShortLogWhole", func(t *testing.T) {
		t.Parallel()
		b := NewTail(100, 5)
		_, _ = b.Write([]byte("a\nb\n"))
		require.Equal(t, "a\nb", b.String())
	})

	t.Run("LastLinesOnly", func(t *testing.T) {
		t.Parallel()
		b := NewTail(1000, 3)
		for i := range 10 {
			_, _ = fmt.Fprintf(b, "line %d\n", i)
		}
		require.Equal(t, "line 7\nline 8\nline 9", b.String())
	})

	t.Run("CutLineDropped", func(t *testing.T) {
		t.Parallel()
		b := NewTail(10, 5)
		_, _ = b.Write([]byte(strings.Repeat("x", 20) + "\nend\n"))
		require.Equal(t, "end", b.String())
	})

	t.Run("ManySmallWritesKeepTheEnd", func(t *testing.T) {
		t.Parallel()
		b := NewTail(16, 10)
		for i := range 100 {
			_, _ = fmt.Fprintf(b, "%d\n", i)
		}
		require.True(t, strings.HasSuffix(b.String(), "98\n99"), b.String())
		require.LessOrEqual(t, len(b.String()), 16)
	})

	t.Run("InvalidUTF8Dropped", func(t *testing.T) {
		t.Parallel()
		b := NewTail(100, 5)
		_, _ = b.Write([]byte("ok \xff\n"))
		require.Equal(t, "ok ", b.String())
	})
}
