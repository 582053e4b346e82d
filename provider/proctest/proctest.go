//go:build unix

// Package proctest helps tests of providers that run processes observe them without
// sleeping: a log that reports the pid a script prints, and waits on a process's exit
// through a pidfd. It is for tests only.
package proctest

import (
	"bytes"
	"regexp"
	"strconv"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"
)

// PIDLog is a job log that sends the first "pid=N" line written to it on Pids, so a test
// learns that a background process is running without sleeping.
type PIDLog struct {
	Pids chan int

	mu   sync.Mutex
	buf  bytes.Buffer
	sent bool
}

var pidLine = regexp.MustCompile(`(?m)^pid=(\d+)$`)

// NewPIDLog returns a log whose Pids channel holds the one pid it reports.
func NewPIDLog() *PIDLog { return &PIDLog{Pids: make(chan int, 1)} }

func (l *PIDLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.buf.Write(p)
	if m := pidLine.FindSubmatch(l.buf.Bytes()); m != nil && !l.sent {
		pid, _ := strconv.Atoi(string(m[1]))
		l.Pids <- pid
		l.sent = true
	}
	return len(p), nil
}

func (l *PIDLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// WatchExit opens a pidfd on a live process before the test stops it; WaitExit then blocks
// until the process has exited.
func WatchExit(t *testing.T, pid int) int {
	t.Helper()
	fd, err := unix.PidfdOpen(pid, 0)
	require.NoError(t, err)
	t.Cleanup(func() { _ = unix.Close(fd) })
	return fd
}

// WaitGone waits until pid has exited. Unlike kill(pid, 0) a pidfd does not mistake a zombie
// for a live process; a pid already reaped has no pidfd: it is gone.
func WaitGone(t *testing.T, pid int) {
	t.Helper()
	fd, err := unix.PidfdOpen(pid, 0)
	if err == unix.ESRCH {
		return
	}
	require.NoError(t, err)
	defer unix.Close(fd)
	WaitExit(t, fd)
}

// WaitExit blocks until the pidfd becomes readable: its process has exited.
func WaitExit(t *testing.T, pidfd int) {
	t.Helper()
	fds := []unix.PollFd{{Fd: int32(pidfd), Events: unix.POLLIN}}
	for {
		n, err := unix.Poll(fds, -1)
		if err == unix.EINTR {
			continue
		}
		require.NoError(t, err)
		require.Equal(t, 1, n)
		require.NotZero(t, fds[0].Revents&unix.POLLIN)
		return
	}
}
