package shellword_test

import (
	"os/exec"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice/shellword"
)

// TestQuote hands quoted words to /bin/sh and requires them back as they were.
func TestQuote(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"", "plain", "it's", `"$HOME" $(id) ` + "`x`", "a\nb", "'''"} {
		out, err := exec.Command("/bin/sh", "-c", "printf %s "+shellword.Quote(s)).Output()
		require.NoError(t, err)
		require.Equal(t, s, string(out))
	}
}

func TestIsName(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"A", "_", "a_1", "PATH"} {
		require.True(t, shellword.IsName(s), s)
	}
	for _, s := range []string{"", "1A", "A-B", "A B", "é", "A=1"} {
		require.False(t, shellword.IsName(s), s)
	}
}
