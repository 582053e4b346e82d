package zipfile_test

import (
	"archive/zip"
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/stretchr/testify/require"
)

// entry is one file of a test tree or a test zip: Link makes a symlink, a trailing "/" a
// directory.
type entry struct {
	Name string
	Body string
	Mode fs.FileMode
	Link string
}

// makeTree creates entries under dir.
func makeTree(t *testing.T, dir string, entries ...entry) {
	t.Helper()
	for _, e := range entries {
		full := filepath.Join(dir, filepath.FromSlash(e.Name))
		if e.Name[len(e.Name)-1] == '/' {
			require.NoError(t, os.MkdirAll(full, 0o755))
			continue
		}
		require.NoError(t, os.MkdirAll(filepath.Dir(full), 0o755))
		if e.Link != "" {
			require.NoError(t, os.Symlink(e.Link, full))
			continue
		}
		mode := e.Mode
		if mode == 0 {
			mode = 0o644
		}
		require.NoError(t, os.WriteFile(full, []byte(e.Body), mode))
		require.NoError(t, os.Chmod(full, mode))
	}
}

// makeZip builds a zip in memory with names exactly as given, malicious ones included.
func makeZip(t *testing.T, entries ...entry) *bytes.Reader {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		hdr := &zip.FileHeader{Name: e.Name, Method: zip.Deflate}
		switch {
		case e.Link != "":
			hdr.SetMode(fs.ModeSymlink | 0o777)
		case e.Mode != 0:
			hdr.SetMode(e.Mode)
		default:
			hdr.SetMode(0o644)
		}
		w, err := zw.CreateHeader(hdr)
		require.NoError(t, err)
		body := e.Body
		if e.Link != "" {
			body = e.Link
		}
		_, err = w.Write([]byte(body))
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	return bytes.NewReader(buf.Bytes())
}

// readTree lists every path under dir (slash-separated, directories with a trailing "/")
// with file bodies, link targets and permission bits.
func readTree(t *testing.T, dir string) []entry {
	t.Helper()
	var got []entry
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		require.NoError(t, err)
		rel, err := filepath.Rel(dir, p)
		require.NoError(t, err)
		if rel == "." {
			return nil
		}
		rel = filepath.ToSlash(rel)
		info, err := d.Info()
		require.NoError(t, err)
		switch {
		case d.IsDir():
			got = append(got, entry{Name: rel + "/"})
		case d.Type()&fs.ModeSymlink != 0:
			target, err := os.Readlink(p)
			require.NoError(t, err)
			got = append(got, entry{Name: rel, Link: target})
		default:
			body, err := os.ReadFile(p)
			require.NoError(t, err)
			got = append(got, entry{Name: rel, Body: string(body), Mode: info.Mode().Perm()})
		}
		return nil
	})
	require.NoError(t, err)
	return got
}

// zipNames lists the entry names of a zip.
func zipNames(t *testing.T, b []byte) []string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	require.NoError(t, err)
	names := []string{}
	for _, f := range zr.File {
		names = append(names, f.Name)
	}
	sort.Strings(names)
	return names
}
