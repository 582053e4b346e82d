package codebuild

import (
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sluice/glob"
)

// stager copies the files an artifact selects into a directory of their own, flattened
// with discard-paths, so the runner can zip that directory whole. Files are hard-linked
// where possible (the workspace is one file system), which costs no copy.
type stager struct {
	base, dst string
	discard   bool
	log       *logPipe
	sel, excl glob.Set
	staged    map[string]string // discard-paths: file name -> the path it came from
	n         int
}

func (s *stager) run(files, excludes []string) error {
	var err error
	if s.sel, err = glob.CompileSet(files, glob.Files); err != nil {
		return err
	}
	if s.excl, err = glob.CompileSet(excludes, glob.Files); err != nil {
		return err
	}
	if err := os.RemoveAll(s.dst); err != nil {
		return err
	}
	if err := os.MkdirAll(s.dst, 0o755); err != nil {
		return err
	}
	s.staged = map[string]string{}
	return s.walk("", nil, false)
}

// walk visits directory rel; whole means an enclosing directory was selected. Excluded
// paths are skipped, directories with their whole subtree.
func (s *stager) walk(rel string, elems []string, whole bool) error {
	entries, err := os.ReadDir(filepath.Join(s.base, filepath.FromSlash(rel)))
	if err != nil {
		return err
	}
	for _, e := range entries {
		name := path.Join(rel, e.Name())
		child := append(elems[:len(elems):len(elems)], e.Name())
		if s.excl.MatchElems(child) {
			continue
		}
		selected := whole || s.sel.MatchElems(child)
		if e.IsDir() {
			if selected || s.sel.MayMatchBelow(child) {
				if err := s.walk(name, child, selected); err != nil {
					return err
				}
			}
			continue
		}
		if selected && (e.Type().IsRegular() || e.Type()&fs.ModeSymlink != 0) {
			if err := s.put(name); err != nil {
				return err
			}
		}
	}
	return nil
}

// put stages one file. With discard-paths two files of one name collide: the later one
// (in path order) wins, and the log says so.
func (s *stager) put(name string) error {
	target := name
	if s.discard {
		target = path.Base(name)
		if prev, ok := s.staged[target]; ok {
			s.log.printf("discard-paths: %s replaces %s in the artifact", name, prev)
			s.n--
		}
		s.staged[target] = name
	}
	s.n++
	return linkOrCopy(filepath.Join(s.base, filepath.FromSlash(name)), filepath.Join(s.dst, filepath.FromSlash(target)))
}

// linkOrCopy puts src at dst: a hard link, else a copy. A symlink stays a symlink.
func linkOrCopy(src, dst string) error {
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	_ = os.Remove(dst)
	if os.Link(src, dst) == nil {
		return nil
	}
	fi, err := os.Lstat(src)
	if err != nil {
		return err
	}
	if fi.Mode()&fs.ModeSymlink != 0 {
		target, err := os.Readlink(src)
		if err != nil {
			return err
		}
		return os.Symlink(target, dst)
	}
	return copyFile(src, dst, fi.Mode().Perm())
}

func copyFile(src, dst string, perm fs.FileMode) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, perm)
	if err != nil {
		return err
	}
	_, err = io.Copy(out, in)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	return err
}
