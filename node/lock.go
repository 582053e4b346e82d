package node

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"golang.org/x/sys/unix"
)

// lockFile is the file in the data directory a running server holds an exclusive flock on.
const lockFile = "sluice.lock"

// lockDataDir takes the data directory for this process: two servers on one SQLite
// database and one set of repositories would each believe they own every in-process job.
// The kernel drops the lock when the process dies, so a crash leaves nothing to clean up.
func lockDataDir(dir string) (*os.File, error) {
	path := filepath.Join(dir, lockFile)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("lock the data directory: %w", err)
	}
	if err := flock(f); err != nil {
		f.Close()
		if errors.Is(err, unix.EWOULDBLOCK) {
			return nil, fmt.Errorf("the data directory %s is in use by another Sluice server (it holds %s): "+
				"stop that server first, or give this one another --data-dir", dir, path)
		}
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	return f, nil
}

// flock takes the exclusive lock, waiting a moment for a holder that is going away: a server
// that just closed its lock may still share it with a child some other goroutine forked
// (git, an action) that has not yet run exec, which closes the descriptor.
func flock(f *os.File) error {
	var err error
	for range 20 {
		if err = unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB); !errors.Is(err, unix.EWOULDBLOCK) {
			return err
		}
		time.Sleep(50 * time.Millisecond)
	}
	return err
}
