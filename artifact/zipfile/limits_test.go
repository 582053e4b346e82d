package zipfile_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice/artifact/zipfile"
)

// TestExtractLimits: an archive whose entries or unpacked bytes pass the limits is refused
// before anything is written; one within them is unpacked.
func TestExtractLimits(t *testing.T) {
	t.Parallel()
	lim := zipfile.Limits{MaxBytes: 1 << 20, MaxEntries: 3}
	for _, tt := range []struct {
		name    string
		entries []entry
		err     string
	}{
		{"OKAtTheLimits", []entry{{Name: "a", Body: strings.Repeat("x", 1<<19)}, {Name: "b", Body: strings.Repeat("y", 1<<19)}, {Name: "d/"}}, ""},
		{"ErrBomb", []entry{{Name: "zeros", Body: strings.Repeat("\x00", 1<<20+1)}}, "more than 1048576 bytes"},
		{"ErrBytesTogether", []entry{{Name: "a", Body: strings.Repeat("x", 1<<19+1)}, {Name: "b", Body: strings.Repeat("y", 1<<19)}}, "more than 1048576 bytes"},
		{"ErrEntries", []entry{{Name: "a"}, {Name: "b"}, {Name: "c"}, {Name: "d/"}}, "4 entries, at most 3"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := filepath.Join(t.TempDir(), "target")
			zr := makeZip(t, tt.entries...)
			err := zipfile.ExtractLimited(zr, zr.Size(), dir, lim)
			if tt.err == "" {
				require.NoError(t, err)
				require.Len(t, readTree(t, dir), len(tt.entries))
				return
			}
			require.ErrorIs(t, err, zipfile.ErrTooLarge)
			require.ErrorContains(t, err, tt.err)
			_, err = os.Stat(dir)
			require.True(t, os.IsNotExist(err), "a refused archive made %s", dir)
		})
	}
}
