package runner

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"syscall"

	"sluice"
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
	s, _ := sparesOf.LoadOrStore(root, &spares{})
	return s.(*spares)
}

// spares keeps workspace skeletons (the workspace, in/, scratch/, home/, tmp/, with their
// modes and owners) ready, so a job's workspace is one rename. Making and deleting
// directories is most of a short action's file-system work, and on some file systems
// (ext4 without a journal skips every recently freed inode when it allocates one) far
// from free. A spare is made in the background, or is a finished job's workspace emptied
// down to the directories only the worker can change (the workspace, in/, scratch/) when
// the sandbox says those may be reused; home/ and tmp/, the code's own, are always new.
type spares struct {
	mu     sync.Mutex
	ready  []string
	out    int // workspaces of running jobs that come back as spares when they end
	making bool
	swept  bool // what an earlier process left in the root is being deleted
}

// take returns a spare's path, or "" when none is ready.
func (s *spares) take() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.ready) == 0 {
		return ""
	}
	dir := s.ready[len(s.ready)-1]
	s.ready = s.ready[:len(s.ready)-1]
	return dir
}

// lend counts a running job's workspace that will come back as a spare.
func (s *spares) lend() {
	s.mu.Lock()
	s.out++
	s.mu.Unlock()
}

// refill makes spares in root in the background, counted in bg, until maxSpares are ready
// or coming back; one maker at a time, so a burst of jobs does not make a burst of spares.
func (s *spares) refill(root string, sb sluice.Sandbox, bg *sync.WaitGroup) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.making || len(s.ready)+s.out >= maxSpares {
		return
	}
	s.making = true
	bg.Add(1)
	go func() {
		defer bg.Done()
		for {
			dir, err := makeSpare(root, sb)
			s.mu.Lock()
			if err == nil {
				s.ready = append(s.ready, dir)
			}
			if err != nil || len(s.ready)+s.out >= maxSpares {
				s.making = false
				s.mu.Unlock()
				return
			}
			s.mu.Unlock()
		}
	}()
}

// giveBack turns a lent workspace, renamed to dir when its job ended, into a spare, or
// deletes it when enough are ready or it cannot be reused ("": it is gone already).
func (s *spares) giveBack(root, dir string, sb sluice.Sandbox) {
	s.mu.Lock()
	full := len(s.ready) >= maxSpares
	s.mu.Unlock()
	spare := ""
	if !full && dir != "" {
		var err error
		if spare, err = recycle(root, dir, sb); err != nil {
			spare = ""
		}
	}
	if spare == "" && dir != "" {
		_ = os.RemoveAll(dir)
	}
	s.mu.Lock()
	s.out--
	if spare != "" && len(s.ready) < maxSpares {
		s.ready, spare = append(s.ready, spare), ""
	}
	s.mu.Unlock()
	if spare != "" {
		_ = os.RemoveAll(spare)
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
	w := &workspace{dir: spareName(root)}
	err := os.Mkdir(w.dir, passMode)
	if err == nil {
		err = os.Chmod(w.dir, passMode) // the umask may have taken the x bits
	}
	if err == nil {
		err = w.skeleton(sb)
	}
	if err != nil {
		_ = os.RemoveAll(w.dir)
		return "", err
	}
	return w.dir, nil
}

func spareName(root string) string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return filepath.Join(root, sparePrefix+hex.EncodeToString(b[:]))
}
