package runner

import (
	"crypto/rand"
	"encoding/hex"
	"os"
	"path/filepath"
	"sync"

	"sluice"
)

// sparePrefix names a workspace made ahead of the job that will take it.
const sparePrefix = ".spare-"

// maxSpares bounds the skeletons kept ready: enough for the next job of a worker running
// jobs one after another, a few more for one running several at once.
const maxSpares = 2

// sparesOf holds each work root's spares, shared by the Runners on it in this process (a
// remote worker makes a Runner per job).
var sparesOf sync.Map // root -> *spares

func sparesFor(root string) *spares {
	s, _ := sparesOf.LoadOrStore(root, &spares{})
	return s.(*spares)
}

// spares keeps workspace skeletons (the workspace, in/, scratch/, home/, tmp/, with their
// modes and owners) made in the background while jobs run, so a job's workspace is one
// rename. Making directories is most of a short action's file-system work, and on some
// file systems (ext4 without a journal skips every recently freed inode when it allocates
// one) far from free. A spare is never a used workspace: isolation between jobs is that
// of fresh directories.
type spares struct {
	mu     sync.Mutex
	ready  []string
	making bool
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

// refill makes spares in root in the background, counted in bg, until maxSpares are ready;
// one maker at a time, so a burst of jobs does not make a burst of spares.
func (s *spares) refill(root string, sb sluice.Sandbox, bg *sync.WaitGroup) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.making || len(s.ready) >= maxSpares {
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
			if err != nil || len(s.ready) >= maxSpares {
				s.making = false
				s.mu.Unlock()
				return
			}
			s.mu.Unlock()
		}
	}()
}

// makeSpare makes a skeleton under a name of its own (processes may share a work root).
func makeSpare(root string, sb sluice.Sandbox) (string, error) {
	var b [8]byte
	_, _ = rand.Read(b[:])
	w := &workspace{dir: filepath.Join(root, sparePrefix+hex.EncodeToString(b[:]))}
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
