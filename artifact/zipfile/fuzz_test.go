package zipfile_test

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice/artifact/zipfile"
)

// fuzzLimits keep fuzzed archives small: the properties are the same at any size.
var fuzzLimits = zipfile.Limits{MaxBytes: 1 << 20, MaxEntries: 64}

// FuzzExtract unpacks arbitrary bytes as a zip. Whatever they hold, Extract must not panic,
// must write nothing outside the target directory (no file beside it, no link inside it
// that leads out), must stay within its limits, and when it succeeds every file must hold
// what the archive's last entry of that name holds.
func FuzzExtract(f *testing.F) {
	for _, entries := range fuzzSeedTrees() {
		f.Add(zipBytes(f, entries...))
	}
	f.Add([]byte{})
	f.Add([]byte("PK\x05\x06" + strings.Repeat("\x00", 18)))
	base := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		checkExtract(t, base, data)
	})
}

// FuzzExtractEntries builds archives from fuzzed names, link targets, modes and bodies, so
// the fuzzer explores names and links rather than zip's framing: each line of names is an
// entry, a line "name -> target" a symlink.
func FuzzExtractEntries(f *testing.F) {
	for _, s := range []string{"a\nb/c\nd/", "../evil\n/abs\nC:/x\n..\\y", "l -> sub\nl/evil", "a/b -> ..\na/b/c -> ../../evil",
		"x/m -> ../q\nx/l -> m/../..", "l -> target\nl", "d/\nd -> .", "./a\na/./b\n.\n", "s -> ./../t\nu -> \\etc"} {
		f.Add(s, []byte("body"), uint16(0o644))
		f.Add(s, []byte{}, uint16(0o4755))
	}
	base := f.TempDir()
	f.Fuzz(func(t *testing.T, names string, body []byte, mode uint16) {
		var entries []entry
		for i, line := range strings.Split(names, "\n") {
			e := entry{Name: line, Body: string(body), Mode: fs.FileMode(mode) & fs.ModePerm}
			if name, target, ok := strings.Cut(line, " -> "); ok {
				e = entry{Name: name, Link: target}
			}
			if e.Name == "" || i >= fuzzLimits.MaxEntries {
				continue
			}
			entries = append(entries, e)
		}
		checkExtract(t, base, zipBytes(t, entries...))
	})
}

func fuzzSeedTrees() [][]entry {
	return [][]entry{
		{{Name: "a", Body: "x"}, {Name: "d/"}, {Name: "d/e/f", Body: "y", Mode: 0o755}},
		{{Name: "l", Link: "d/f"}, {Name: "d/f", Body: "z"}},
		{{Name: "../evil", Body: "x"}}, {{Name: "etc", Link: "/etc"}},
		{{Name: "l", Link: "sub"}, {Name: "l/evil", Body: "x"}},
		{{Name: "big", Body: strings.Repeat("\x00", 1<<20+1)}},
	}
}

// zipBytes is a zip of entries with names exactly as given (makeZip's, as bytes).
func zipBytes(tb testing.TB, entries ...entry) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		hdr := &zip.FileHeader{Name: e.Name, Method: zip.Deflate}
		hdr.SetMode(e.Mode | 0o600)
		body := e.Body
		if e.Link != "" {
			hdr.SetMode(fs.ModeSymlink | 0o777)
			body = e.Link
		}
		w, err := zw.CreateHeader(hdr)
		require.NoError(tb, err)
		if strings.HasSuffix(e.Name, "/") {
			continue // a directory has no body
		}
		_, err = io.WriteString(w, body)
		require.NoError(tb, err)
	}
	require.NoError(tb, zw.Close())
	return buf.Bytes()
}

func checkExtract(t *testing.T, base string, data []byte) {
	parent, err := os.MkdirTemp(base, "x")
	require.NoError(t, err)
	defer os.RemoveAll(parent)
	dir := filepath.Join(parent, "target")
	err = zipfile.ExtractLimited(bytes.NewReader(data), int64(len(data)), dir, fuzzLimits)

	beside, rerr := os.ReadDir(parent)
	require.NoError(t, rerr)
	require.LessOrEqual(t, len(beside), 1, "Extract wrote beside its target directory")
	if len(beside) == 0 {
		return
	}
	files, bytesWritten := requireConfined(t, dir)
	require.LessOrEqual(t, files, fuzzLimits.MaxEntries)
	require.LessOrEqual(t, bytesWritten, fuzzLimits.MaxBytes)
	if err == nil {
		requireContents(t, dir, data)
	}
}

// requireConfined walks dir: every symlink resolves inside it (or nowhere), checked through
// an os.Root, which refuses to follow a path out. It returns the files and links made and
// the bytes the files hold.
func requireConfined(t *testing.T, dir string) (files int, size int64) {
	root, err := os.OpenRoot(dir)
	require.NoError(t, err)
	defer root.Close()
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		require.NoError(t, err)
		rel, _ := filepath.Rel(dir, p)
		switch {
		case d.Type()&fs.ModeSymlink != 0:
			files++
			if _, serr := root.Stat(rel); serr != nil && !errors.Is(serr, fs.ErrNotExist) {
				require.NotContains(t, serr.Error(), "escapes", "symlink %s leads out of the target directory", rel)
			}
		case d.Type().IsRegular():
			files++
			info, ierr := d.Info()
			require.NoError(t, ierr)
			require.Zero(t, info.Mode()&(fs.ModeSetuid|fs.ModeSetgid|fs.ModeSticky), rel)
			size += info.Size()
		}
		return nil
	})
	require.NoError(t, err)
	return files, size
}

// requireContents: each regular file entry's content is on disk under its cleaned name,
// the last entry of a name winning; one naming the directory itself is skipped.
func requireContents(t *testing.T, dir string, data []byte) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	require.NoError(t, err)
	want := map[string][]byte{}
	for _, f := range zr.File {
		name := path.Clean(strings.ReplaceAll(f.Name, `\`, "/"))
		if name == "." {
			continue
		}
		if !f.Mode().IsRegular() || strings.HasSuffix(f.Name, "/") {
			delete(want, name)
			continue
		}
		rc, err := f.Open()
		require.NoError(t, err)
		want[name], err = io.ReadAll(rc)
		require.NoError(t, err)
		rc.Close()
	}
	for name, body := range want {
		got, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
		require.NoError(t, err, name)
		require.Equal(t, body, got, name)
	}
}
