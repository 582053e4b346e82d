package zipfile

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"strings"
)

// ExtractFile extracts the zip file at name into dir; see Extract.
func ExtractFile(name, dir string) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	return Extract(f, fi.Size(), dir)
}

// Extract unpacks the zip in r into dir, creating dir and directories as needed and keeping
// permission bits (setuid, setgid and sticky bits dropped). It refuses, with an error naming
// the entry, any entry that would land outside dir: absolute names, ".." escapes, entries
// below a symlink of the archive, and symlinks whose target leaves dir. Every file is
// created through an os.Root on dir, so symlinks already in dir cannot be used to escape
// either. Backslashes in names are taken as separators, as Windows zip tools write them.
func Extract(r io.ReaderAt, size int64, dir string) error {
	zr, err := zip.NewReader(r, size)
	// With GODEBUG zipinsecurepath=0 the reader flags unsafe names itself; entry checks
	// below refuse them with a clearer message, so carry on.
	if err != nil && !(errors.Is(err, zip.ErrInsecurePath) && zr != nil) {
		return fmt.Errorf("not a valid zip file: %w", err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return err
	}
	defer root.Close()
	buf := copyBufs.Get().(*[]byte)
	defer copyBufs.Put(buf)
	x := &extractor{root: root, dirs: map[string]bool{}, links: map[string]bool{}, buf: *buf}
	for _, f := range zr.File {
		if err := x.entry(f); err != nil {
			return fmt.Errorf("zip entry %q: %w", f.Name, err)
		}
	}
	return nil
}

// ErrUnsafePath is wrapped by Extract's errors for entries that would land outside the
// target directory.
var ErrUnsafePath = errors.New("path escapes the target directory")

type extractor struct {
	root  *os.Root
	dirs  map[string]bool // directories made, so deep trees cost one MkdirAll per directory
	links map[string]bool // symlinks made; nothing may be written through them
	buf   []byte
}

func (x *extractor) entry(f *zip.File) error {
	name, err := entryName(f.Name)
	if err != nil || name == "." {
		return err
	}
	if err := x.checkNotBelowLink(name); err != nil {
		return err
	}
	mode := f.Mode()
	switch {
	case mode.IsDir() || strings.HasSuffix(f.Name, "/"):
		return x.mkdirAll(name)
	case mode&fs.ModeSymlink != 0:
		return x.symlink(f, name)
	case mode.IsRegular():
		return x.file(f, name, filePerm(mode))
	default:
		return fmt.Errorf("unsupported file type %v", mode.Type())
	}
}

// entryName cleans an entry name into a local slash path, "." for the root itself.
func entryName(raw string) (string, error) {
	name := strings.ReplaceAll(raw, `\`, "/")
	if path.IsAbs(name) || hasVolume(name) {
		return "", ErrUnsafePath
	}
	name = path.Clean(name)
	if name == ".." || strings.HasPrefix(name, "../") {
		return "", ErrUnsafePath
	}
	return name, nil
}

// hasVolume spots "C:..." names, which would be absolute for a Windows worker.
func hasVolume(name string) bool {
	return len(name) >= 2 && name[1] == ':' &&
		(name[0] >= 'a' && name[0] <= 'z' || name[0] >= 'A' && name[0] <= 'Z')
}

// checkNotBelowLink refuses to write at or below a symlink the archive made: the link's
// target was checked from the link's own place, and writing through it would shift every
// relative target below it.
func (x *extractor) checkNotBelowLink(name string) error {
	if len(x.links) == 0 {
		return nil
	}
	for i := range len(name) + 1 {
		if (i == len(name) || name[i] == '/') && x.links[name[:i]] {
			return fmt.Errorf("%w: it is at or below symlink %q", ErrUnsafePath, name[:i])
		}
	}
	return nil
}

func (x *extractor) mkdirAll(dir string) error {
	if dir == "." || x.dirs[dir] {
		return nil
	}
	if err := x.root.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	x.dirs[dir] = true
	return nil
}

// filePerm keeps an entry's permission bits, except that an entry without any (some zip
// tools write none) gets 0644 rather than an unreadable file.
func filePerm(mode fs.FileMode) fs.FileMode {
	if mode.Perm() == 0 {
		return 0o644
	}
	return mode.Perm()
}
