// Package zipfile writes a directory as a zip artifact and extracts one safely. Both sides
// stream: no file is held in memory whole.
package zipfile

import (
	"archive/zip"
	"bufio"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
)

// WriteDir streams a zip of the files under dir to w and returns how many files (regular
// files and symlinks) it wrote. With no globs it takes every file; otherwise the files the
// globs select (see selector for the syntax). Entries keep their permission bits; symlinks
// are stored as links, never followed, so a link to /etc/passwd does not copy the file.
// Directories that a glob selects as a whole get entries of their own, so empty ones
// survive; sockets, pipes and devices are skipped. Entries are in lexical order.
func WriteDir(w io.Writer, dir string, globs []string) (n int, err error) {
	sel, err := newSelector(globs)
	if err != nil {
		return 0, err
	}
	bw := bufWriters.Get().(*bufio.Writer)
	bw.Reset(w)
	buf := copyBufs.Get().(*[]byte)
	defer func() {
		bw.Reset(nil) // drop w, so the pool does not keep it alive
		bufWriters.Put(bw)
		copyBufs.Put(buf)
	}()
	// zip.NewWriter uses bw as its buffer rather than wrapping it in a 4 KB one.
	d := &dirWriter{zw: zip.NewWriter(bw), root: dir, sel: sel, buf: *buf}
	d.zw.RegisterCompressor(zip.Deflate, newFlateWriter)
	err = d.walk("", nil, sel.all)
	if cerr := d.zw.Close(); err == nil {
		err = cerr
	}
	return d.n, err
}

type dirWriter struct {
	zw   *zip.Writer
	root string
	sel  *selector
	n    int
	buf  []byte
}

// walk visits the directory rel (elems are its path elements); whole means an enclosing
// directory was selected, so everything below goes in without matching.
func (d *dirWriter) walk(rel string, elems []string, whole bool) error {
	entries, err := os.ReadDir(filepath.Join(d.root, filepath.FromSlash(rel)))
	if err != nil {
		return err
	}
	for _, e := range entries {
		name := path.Join(rel, e.Name())
		child := append(elems[:len(elems):len(elems)], e.Name())
		if err := d.entry(e, name, child, whole); err != nil {
			return err
		}
	}
	return nil
}

func (d *dirWriter) entry(e fs.DirEntry, name string, elems []string, whole bool) error {
	selected := whole || d.sel.matches(elems)
	if e.IsDir() {
		if selected {
			if err := d.add(e, name+"/"); err != nil {
				return err
			}
		}
		if selected || d.sel.mayMatchBelow(elems) {
			return d.walk(name, elems, selected)
		}
		return nil
	}
	if !selected || !(e.Type().IsRegular() || e.Type()&fs.ModeSymlink != 0) {
		return nil
	}
	d.n++
	return d.add(e, name)
}

// add writes one entry: a directory, a symlink (its target as content) or a file.
func (d *dirWriter) add(e fs.DirEntry, name string) error {
	info, err := e.Info()
	if err != nil {
		return err
	}
	hdr, err := zip.FileInfoHeader(info)
	if err != nil {
		return err
	}
	hdr.Name = name
	full := filepath.Join(d.root, filepath.FromSlash(name))
	switch {
	case info.IsDir():
		hdr.Method = zip.Store
		_, err = d.zw.CreateHeader(hdr)
		return err
	case info.Mode()&fs.ModeSymlink != 0:
		return d.addLink(hdr, full)
	default:
		hdr.Method = zip.Deflate
		return d.addFile(hdr, full)
	}
}

func (d *dirWriter) addLink(hdr *zip.FileHeader, full string) error {
	target, err := os.Readlink(full)
	if err != nil {
		return err
	}
	hdr.Method = zip.Store
	w, err := d.zw.CreateHeader(hdr)
	if err != nil {
		return err
	}
	_, err = io.WriteString(w, filepath.ToSlash(target))
	return err
}

func (d *dirWriter) addFile(hdr *zip.FileHeader, full string) error {
	f, err := os.Open(full)
	if err != nil {
		return err
	}
	defer f.Close()
	w, err := d.zw.CreateHeader(hdr)
	if err != nil {
		return err
	}
	_, err = io.CopyBuffer(w, readerOnly{f}, d.buf)
	return err
}
