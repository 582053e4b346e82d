package runner

import (
	"os"
	"strings"
	"sync"
	"syscall"

	"sluice"
	"sluice/spare"
)

// readyPrefix names a workspace whose shell was started before its job (Runner.ReadyShells).
// The sandbox binds the workspace at its path, so it keeps this name through its job.
const readyPrefix = "ws-"

// readyWorkspace is a workspace skeleton with a shell waiting in its sandbox. Its directory
// is locked (flock) while this process has it, so another process's sweep of the work
// root leaves it alone; one left by a process that died is swept.
type readyWorkspace struct {
	dir   string
	shell sluice.ReadyShell
	lock  *os.File
}

// discard ends the shell and deletes the workspace.
func (rw *readyWorkspace) discard() {
	rw.shell.Close()
	_ = os.RemoveAll(rw.dir)
	_ = rw.lock.Close()
}

// readyShells are a work root's workspaces kept ready for its next jobs. Two: setting up a
// sandbox takes longer than a short action and its result, so one started when the last
// job began may not be ready when the next one comes.
type readyShells struct {
	mu     sync.Mutex
	next   []*readyWorkspace
	making int
	made   chan struct{} // closed, and replaced, each time one being readied is ready or failed
}

const maxReady = 2

// readyFor tells whether the job takes a ready workspace, when the runner keeps them: one
// that runs a shell, with commands (Commands actions). Other jobs would end it unused.
func (r *Runner) readyFor(job *sluice.Job) bool {
	return r.ReadyShells && r.Sandbox != nil && len(job.Data.Commands) > 0
}

// takeReady takes a ready workspace, waiting for one being readied, if any: it was started
// before this job came, so it is ready sooner than a shell started now.
func (s *spares) takeReady() *readyWorkspace {
	s.ready.mu.Lock()
	defer s.ready.mu.Unlock()
	for len(s.ready.next) == 0 && s.ready.making > 0 {
		made := s.ready.made
		s.ready.mu.Unlock()
		<-made
		s.ready.mu.Lock()
	}
	if len(s.ready.next) == 0 {
		return nil
	}
	rw := s.ready.next[0]
	s.ready.next = s.ready.next[1:]
	return rw
}

// makeReady readies workspaces in the background, counted in bg, up to maxReady ready or
// being readied.
func (s *spares) makeReady(sb sluice.Sandbox, bg *sync.WaitGroup) {
	s.ready.mu.Lock()
	defer s.ready.mu.Unlock()
	if s.ready.made == nil {
		s.ready.made = make(chan struct{})
	}
	for ; len(s.ready.next)+s.ready.making < maxReady; s.ready.making++ {
		bg.Go(func() {
			rw, err := s.newReady(sb)
			s.ready.mu.Lock()
			defer s.ready.mu.Unlock()
			s.ready.making--
			if err == nil {
				s.ready.next = append(s.ready.next, rw)
			}
			close(s.ready.made)
			s.ready.made = make(chan struct{})
		})
	}
}

// dropReady discards the ready workspaces.
func (s *spares) dropReady() {
	s.ready.mu.Lock()
	next := s.ready.next
	s.ready.next = nil
	s.ready.mu.Unlock()
	for _, rw := range next {
		rw.discard()
	}
}

// newReady turns a spare (or a skeleton made now) into a ready workspace.
func (s *spares) newReady(sb sluice.Sandbox) (*readyWorkspace, error) {
	dir := spare.Name(s.root, readyPrefix)
	spare := s.Take()
	if spare == "" || os.Rename(spare, dir) != nil {
		if spare != "" {
			_ = os.RemoveAll(spare)
		}
		if err := makeSkeleton(dir, sb); err != nil {
			return nil, err
		}
	}
	lock, err := lockDir(dir)
	if err != nil {
		_ = os.RemoveAll(dir)
		return nil, err
	}
	shell, err := sb.StartShell(dir)
	if err != nil {
		_ = os.RemoveAll(dir)
		_ = lock.Close()
		return nil, err
	}
	return &readyWorkspace{dir: dir, shell: shell, lock: lock}, nil
}

// lockDir takes an exclusive flock on dir, held until the returned file is closed.
func lockDir(dir string) (*os.File, error) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		_ = f.Close()
		return nil, err
	}
	return f, nil
}

// sweepReady deletes a ready workspace that an earlier process left, unless a live process
// still holds it.
func sweepReady(dir string) {
	lock, err := lockDir(dir)
	if err != nil { // EWOULDBLOCK: held
		return
	}
	_ = os.RemoveAll(dir)
	_ = lock.Close()
}

func isReadyName(name string) bool { return strings.HasPrefix(name, readyPrefix) }
