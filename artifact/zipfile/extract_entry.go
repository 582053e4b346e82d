package zipfile

import (
	"archive/zip"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"strings"
)

// maxLinkTarget bounds the content read for a symlink entry; PATH_MAX is 4096.
const maxLinkTarget = 4096

func (x *extractor) symlink(f *zip.File, name string) error {
	target, err := readLinkTarget(f)
	if err != nil {
		return err
	}
	if err := checkLinkTarget(name, target); err != nil {
		return err
	}
	if err := x.mkdirAll(path.Dir(name)); err != nil {
		return err
	}
	if err := x.root.Symlink(target, name); err != nil {
		return err
	}
	x.links[name] = true
	return nil
}

func readLinkTarget(f *zip.File) (string, error) {
	rc, err := f.Open()
	if err != nil {
		return "", err
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, maxLinkTarget+1))
	if err != nil {
		return "", err
	}
	if len(b) == 0 || len(b) > maxLinkTarget {
		return "", fmt.Errorf("symlink target of %d bytes", len(b))
	}
	return string(b), nil
}

// checkLinkTarget accepts relative targets that stay inside the directory from the link's
// own place. ".." may only lead the target: "sub/../.." would be resolved by the kernel
// through sub, which may itself be a link to a shallower place, so its lexical depth proves
// nothing. A leading run of ".." is exact, because no entry is written below a link.
func checkLinkTarget(name, target string) error {
	if path.IsAbs(target) || strings.HasPrefix(target, `\`) || hasVolume(target) {
		return fmt.Errorf("%w: symlink to %q", ErrUnsafePath, target)
	}
	depth := 0
	if dir := path.Dir(name); dir != "." {
		depth = strings.Count(dir, "/") + 1
	}
	ups, leading := 0, true
	for elem := range strings.SplitSeq(target, "/") {
		switch {
		case elem == "..":
			if !leading {
				return fmt.Errorf("%w: symlink to %q has '..' after a name", ErrUnsafePath, target)
			}
			ups++
		case elem != "" && elem != ".":
			leading = false
		}
	}
	if ups > depth {
		return fmt.Errorf("%w: symlink to %q", ErrUnsafePath, target)
	}
	return nil
}

// file writes a regular file; an existing file of that name is replaced.
func (x *extractor) file(f *zip.File, name string, perm fs.FileMode) error {
	if err := x.mkdirAll(path.Dir(name)); err != nil {
		return err
	}
	rc, err := f.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	out, err := x.root.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, perm)
	if err != nil {
		return err
	}
	n, err := io.CopyBuffer(writerOnly{out}, readerOnly{io.LimitReader(rc, x.budget+1)}, x.buf)
	if x.budget -= n; err == nil && x.budget < 0 {
		err = fmt.Errorf("%w: the files hold more than they declared", ErrTooLarge)
	}
	if err == nil {
		err = out.Chmod(perm) // the umask applied at create may have cleared bits
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	return err
}
