package zipfile_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice/artifact/zipfile"
)

// TestExtractRefusesEscapes feeds malicious archives (zip-slip) and checks that Extract
// names the entry, wraps ErrUnsafePath and writes nothing outside the target directory.
func TestExtractRefusesEscapes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		entries []entry
		bad     string // the entry the error names
	}{
		{"DotDot", []entry{{Name: "../evil", Body: "x"}}, "../evil"},
		{"DotDotInside", []entry{{Name: "a/../../evil", Body: "x"}}, "a/../../evil"},
		{"Absolute", []entry{{Name: "/tmp/evil", Body: "x"}}, "/tmp/evil"},
		{"BackslashDotDot", []entry{{Name: `..\evil`, Body: "x"}}, `..\evil`},
		{"WindowsVolume", []entry{{Name: "C:/evil", Body: "x"}}, "C:/evil"},
		{"LinkToAbsolute", []entry{{Name: "etc", Link: "/etc"}}, "etc"},
		{"LinkUpAndOut", []entry{{Name: "sub/out", Link: "../../evil"}}, "sub/out"},
		{"LinkDotDotAfterName", []entry{
			{Name: "x/m", Link: "../q"},
			{Name: "x/l", Link: "m/../.."}, // lexically ".", but m resolves one level up
		}, "x/l"},
		{"FileThroughLink", []entry{
			{Name: "l", Link: "sub"},
			{Name: "l/evil", Body: "x"},
		}, "l/evil"},
		{"LinkThroughLink", []entry{
			{Name: "a/b", Link: ".."},
			{Name: "a/b/c", Link: "../../evil"},
		}, "a/b/c"},
		{"FileReplacingLink", []entry{
			{Name: "l", Link: "target"},
			{Name: "l", Body: "x"},
		}, "l"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			parent := t.TempDir()
			dir := filepath.Join(parent, "target")
			zr := makeZip(t, tt.entries...)
			err := zipfile.Extract(zr, zr.Size(), dir)
			require.ErrorIs(t, err, zipfile.ErrUnsafePath)
			require.ErrorContains(t, err, fmt.Sprintf("zip entry %q", tt.bad))
			entries, err := os.ReadDir(parent)
			require.NoError(t, err)
			require.Len(t, entries, 1) // only the target directory
		})
	}
}
