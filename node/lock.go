package node

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"golang.org/x/sys/unix"
)

// lockFile is the file in the data directory a running server holds a flock on: exclusive
// for a server on SQLite, shared for each replica on PostgreSQL. The kernel drops a lock
// when its process dies, so a crash leaves nothing to clean up.
const lockFile = "sluice.lock"

// replicasDir holds the replicas' slots: N.lock, held by the replica in slot N, and N.id,
// that slot's server id; and init.lock, which replicas starting at once take in turn.
const replicasDir = "replicas"

// maxReplicas bounds the slots a data directory offers.
const maxReplicas = 64

// dirLock is what a server holds of its data directory until Close.
type dirLock struct {
	files  []*os.File
	idFile string // where this server's id is kept
}

// lockDataDir takes the data directory for a single server: two servers on one SQLite
// database and one set of repositories would each believe they own every in-process job.
func lockDataDir(dir string) (*dirLock, error) {
	f, err := flockFile(filepath.Join(dir, lockFile), unix.LOCK_EX)
	if err != nil {
		return nil, inUse(dir, err, "stop that server first, or give this one another --data-dir")
	}
	return &dirLock{files: []*os.File{f}, idFile: filepath.Join(dir, serverIDFile)}, nil
}

// lockReplica takes the data directory for one of several replicas on one database: the
// directory's lock shared (a single server holding it refuses them, and they refuse one),
// and the first free slot, whose id this replica carries. A replica restarted after a crash
// gets a dead replica's slot, and with it that replica's in-process jobs to recover: no
// other live replica holds that slot, so none is running them.
func lockReplica(dir string) (*dirLock, error) {
	shared, err := flockFile(filepath.Join(dir, lockFile), unix.LOCK_SH)
	if err != nil {
		return nil, inUse(dir, err, "a server on SQLite uses it; replicas share a data directory only with each other")
	}
	slots := filepath.Join(dir, replicasDir)
	if err := os.MkdirAll(slots, 0o700); err != nil {
		shared.Close()
		return nil, fmt.Errorf("lock the data directory: %w", err)
	}
	for n := range maxReplicas {
		f, err := flockFile(filepath.Join(slots, strconv.Itoa(n)+".lock"), unix.LOCK_EX)
		if errors.Is(err, unix.EWOULDBLOCK) {
			continue
		}
		if err != nil {
			shared.Close()
			return nil, err
		}
		return &dirLock{files: []*os.File{shared, f}, idFile: filepath.Join(slots, strconv.Itoa(n)+".id")}, nil
	}
	shared.Close()
	return nil, fmt.Errorf("the data directory %s has %d replicas running already", dir, maxReplicas)
}

// lockInit holds the replicas' start-up lock: the first to start makes the data directory's
// keys, and the others must read them, not make their own at the same time. It waits.
func lockInit(dir string) (*os.File, error) {
	path := filepath.Join(dir, replicasDir, "init.lock")
	f, err := openLocked(path, func(f *os.File) error { return unix.Flock(int(f.Fd()), unix.LOCK_EX) })
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	return f, nil
}

func inUse(dir string, err error, hint string) error {
	if errors.Is(err, unix.EWOULDBLOCK) {
		return fmt.Errorf("the data directory %s is in use by another Sluice server (it holds %s): %s",
			dir, filepath.Join(dir, lockFile), hint)
	}
	return fmt.Errorf("lock the data directory: %w", err)
}

// flockFile opens path and takes how's lock on it without waiting long.
func flockFile(path string, how int) (*os.File, error) {
	return openLocked(path, func(f *os.File) error { return flock(f, how) })
}

// openLocked opens (creating) path and locks it with lock, closing it again when that fails.
func openLocked(path string, lock func(*os.File) error) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	if err := lock(f); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// flock takes the lock, waiting a moment for a holder that is going away: a server that
// just closed its lock may still share it with a child some other goroutine forked (git,
// an action) that has not yet run exec, which closes the descriptor.
func flock(f *os.File, how int) error {
	var err error
	for range 20 {
		if err = unix.Flock(int(f.Fd()), how|unix.LOCK_NB); !errors.Is(err, unix.EWOULDBLOCK) {
			return err
		}
		time.Sleep(50 * time.Millisecond)
	}
	return err
}
