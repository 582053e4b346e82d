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

// Limits bound what one extraction writes: a zip of a few kilobytes can claim terabytes, or
// a million empty files.
type Limits struct {
	MaxBytes   int64 // the files' and link targets' uncompressed bytes, all entries together
	MaxEntries int   // entries in the archive
}

// DefaultLimits are Extract's: CodePipeline allows 100,000 files per artifact, and 16 GiB
// is well above its largest source artifact (7 GB zipped).
var DefaultLimits = Limits{MaxBytes: 16 << 30, MaxEntries: 100_000}

// ErrTooLarge is wrapped by the error of an extraction that would pass its Limits; nothing
// is written when the archive's own sizes say so, which they do unless they lie.
var ErrTooLarge = errors.New("the archive is larger than the extraction limit")

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
// The archive must stay within DefaultLimits.
func Extract(r io.ReaderAt, size int64, dir string) error {
	return ExtractLimited(r, size, dir, DefaultLimits)
}

// ExtractLimited is Extract within lim: an archive with more entries or bytes is refused
// with ErrTooLarge before anything is written, and a file whose content outgrows what the
// archive declared fails the extraction there.
func ExtractLimited(r io.ReaderAt, size int64, dir string, lim Limits) error {
	zr, err := zip.NewReader(r, size)
	// With GODEBUG zipinsecurepath=0 the reader flags unsafe names itself; entry checks
	// below refuse them with a clearer message, so carry on.
	if err != nil && !(errors.Is(err, zip.ErrInsecurePath) && zr != nil) {
		return fmt.Errorf("not a valid zip file: %w", err)
	}
	if err := lim.check(zr.File); err != nil {
		return err
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
	x := &extractor{root: root, dirs: map[string]bool{}, links: map[string]bool{}, buf: *buf, budget: lim.MaxBytes}
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
	// budget is what the files may still write; archive/zip fails an entry longer than it
	// declared, and the budget holds even if it did not.
	budget int64
}

// check refuses an archive whose entry count or declared sizes pass the limits.
func (lim Limits) check(files []*zip.File) error {
	if len(files) > lim.MaxEntries {
		return fmt.Errorf("%w: %d entries, at most %d", ErrTooLarge, len(files), lim.MaxEntries)
	}
	var total uint64
	for _, f := range files {
		total += f.UncompressedSize64
		if f.UncompressedSize64 > uint64(lim.MaxBytes) || total > uint64(lim.MaxBytes) {
			return fmt.Errorf("%w: more than %d bytes once unpacked", ErrTooLarge, lim.MaxBytes)
		}
	}
	return nil
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
