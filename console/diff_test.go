package console

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestDiffLines(t *testing.T) {
	t.Parallel()
	render := func(ls []diffLine) string {
		var b strings.Builder
		for _, l := range ls {
			b.WriteString(l.Sign() + l.Text + "\n")
		}
		return b.String()
	}
	t.Run("Change", func(t *testing.T) {
		t.Parallel()
		got := diffLines(strings.Split("a b c d e", " "), strings.Split("a b X d e f", " "))
		require.Equal(t, " a\n b\n-c\n+X\n d\n e\n+f\n", render(got))
		require.Equal(t, diffLine{'+', 0, 3, "X"}, got[3])
		require.Equal(t, diffLine{' ', 4, 4, "d"}, got[4])
	})
	t.Run("LCSInTheMiddle", func(t *testing.T) {
		t.Parallel()
		got := diffLines(strings.Split("h x1 k1 x2 k2 t", " "), strings.Split("h k1 y k2 t", " "))
		require.Equal(t, " h\n-x1\n k1\n-x2\n+y\n k2\n t\n", render(got))
	})
	t.Run("Same", func(t *testing.T) {
		t.Parallel()
		require.Empty(t, hunks(diffLines([]string{"a", "b"}, []string{"a", "b"}), 3))
	})
	t.Run("TooLargeFallsBackToReplace", func(t *testing.T) {
		t.Parallel()
		a, b := make([]string, 3000), make([]string, 3000)
		for i := range a {
			a[i], b[i] = "a"+strings.Repeat("x", i%7), "b"+strings.Repeat("y", i%5)
		}
		got := diffLines(a, b)
		require.Len(t, got, 6000)
		require.Equal(t, byte('-'), got[0].Op)
		require.Equal(t, byte('+'), got[5999].Op)
	})
}

func TestHunks(t *testing.T) {
	t.Parallel()
	var a []string
	for i := range 30 {
		a = append(a, "line"+strings.Repeat("i", i))
	}
	b := append([]string(nil), a...)
	b[2], b[5], b[25] = "two", "five", "twenty-five"
	hs := hunks(diffLines(a, b), 3)
	require.Len(t, hs, 2, "changes 3 lines apart share a hunk; a far one has its own")
	require.Equal(t, "@@ -1,9 +1,9 @@", hs[0].Header)
	require.Equal(t, "@@ -23,7 +23,7 @@", hs[1].Header)
}
