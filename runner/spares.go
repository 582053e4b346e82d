package runner

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"

	"sluice"
	"sluice/spare"
)

// sparePrefix names a workspace made ahead of the job that will take it.
const sparePrefix = ".spare-"

// maxSpares bounds the skeletons kept ready or coming back: for a worker running jobs one
// after another, one for its next job while the last job's workspace is still being
// emptied, and a few more for one running several at once.
const maxSpares = 3

// sparesOf holds each work root's spares and sweep, shared by the Runners on it in this
// process (a remote worker makes a Runner per job).
var sparesOf sync.Map // root -> *spares

func sparesFor(root string) *spares {
	if s, ok := sparesOf.Load(root); ok {
		return s.(*spares)
	}
	s, _ := sparesOf.LoadOrStore(root, &spares{Pool: spare.Pool{Max: maxSpares}, root: root})
	return s.(*spares)
}

// spares keeps workspace skeletons (the workspace, in/, scratch/, home/, tmp/, with their
// modes and owners) ready, so a job's workspace is one rename. Making and deleting
// directories is most of a short action's file-system work, and on some file systems
// (ext4 without a journal skips every recently freed inode when it allocates one) far
// from free. A spare is made in the background, or is a finished job's workspace emptied
// down to the directories only the worker can change (the workspace, in/, scratch/) when
// the sandbox says those may be reused; home/ and tmp/, the code's own, are always new.
// A reused workspace is lent while its job runs.
type spares struct {
	spare.Pool
	root  string
	sweep sync.Once // what an earlier process left in the root
	ready readyShells
}

// sweepOnce deletes, in the background, what an earlier process left being removed in
// the root and the spares it made, the first time this process runs a job there.
func (s *spares) sweepOnce(bg *sync.WaitGroup) {
	s.sweep.Do(func() {
		entries, err := os.ReadDir(s.root)
		if err != nil {
			return
		}
		for _, e := range entries {
			dir := filepath.Join(s.root, e.Name())
			switch {
			case strings.HasPrefix(e.Name(), removingPrefix) || strings.HasPrefix(e.Name(), sparePrefix):
				bg.Go(func() { _ = os.RemoveAll(dir) })
			case isReadyName(e.Name()):
				bg.Go(func() { sweepReady(dir) })
			}
		}
	})
}

// refill makes spares in the root in the background, counted in bg.
func (s *spares) refill(sb sluice.Sandbox, bg *sync.WaitGroup) {
	s.Refill(bg, func() (string, error) { return makeSpare(s.root, sb) })
}

// giveBack turns a lent workspace, renamed to dir when its job ended, into a spare, or
// deletes it when enough are ready or it cannot be reused.
func (s *spares) giveBack(dir string, sb sluice.Sandbox) {
	defer s.Back()
	name := ""
	if !s.Full() {
		var err error
		if name, err = recycle(s.root, dir, sb); err != nil {
			name = ""
		}
	}
	switch {
	case name == "":
		_ = os.RemoveAll(dir)
	case !s.Put(name):
		_ = os.RemoveAll(name)
	}
}

// recycle checks that a finished job's workspace at dir, its in/ and scratch/ are still
// the worker's own directories with their modes, empties it down to them, gives it new
// home/ and tmp/ and renames it to a spare's name.
func recycle(root, dir string, sb sluice.Sandbox) (string, error) {
	// Checked before anything is deleted: emptying a directory that has become a symlink
	// would empty what it points to.
	for _, d := range []string{dir, filepath.Join(dir, "in"), filepath.Join(dir, "scratch")} {
		if err := workerDir(d); err != nil {
			return "", err
		}
	}
	if err := emptyDir(dir, "in", "scratch"); err != nil {
		return "", err
	}
	for _, d := range []string{"in", "scratch"} {
		if err := emptyDir(filepath.Join(dir, d)); err != nil {
			return "", err
		}
	}
	w := &workspace{dir: dir}
	if err := w.mkdirs(ownMode, "home", "tmp"); err != nil {
		return "", err
	}
	if err := own(sb, filepath.Join(dir, "home"), filepath.Join(dir, "tmp")); err != nil {
		return "", err
	}
	spare := spareName(root)
	return spare, os.Rename(dir, spare)
}

// emptyDir deletes what dir holds but the names kept.
func emptyDir(dir string, keep ...string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
next:
	for _, e := range entries {
		for _, k := range keep {
			if e.Name() == k {
				continue next
			}
		}
		if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
			return err
		}
	}
	return nil
}

// workerDir checks that dir is a directory of this process's user with the mode a
// workspace's top directories have.
func workerDir(dir string) error {
	fi, err := os.Lstat(dir)
	if err != nil {
		return err
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if fi.Mode() != fs.ModeDir|passMode || !ok || int(st.Uid) != os.Geteuid() {
		return fmt.Errorf("%s is no longer the worker's directory (%v)", dir, fi.Mode())
	}
	return nil
}

// makeSpare makes a skeleton under a name of its own (processes may share a work root).
func makeSpare(root string, sb sluice.Sandbox) (string, error) {
	dir := spareName(root)
	return dir, makeSkeleton(dir, sb)
}

// makeSkeleton makes a workspace's directory and skeleton at dir, or nothing.
func makeSkeleton(dir string, sb sluice.Sandbox) error {
	w := &workspace{dir: dir}
	err := os.Mkdir(w.dir, passMode)
	if err == nil {
		err = os.Chmod(w.dir, passMode) // the umask may have taken the x bits
	}
	if err == nil {
		err = w.skeleton(sb)
	}
	if err != nil {
		_ = os.RemoveAll(w.dir)
	}
	return err
}

func spareName(root string) string { return spare.Name(root, sparePrefix) }
