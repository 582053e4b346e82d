package commands_test

import (
	"bytes"
	"regexp"
	"strconv"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"

	"sluice"
	"sluice/provider/commands"
)

type bundle struct {
	provider *commands.Provider
	rc       *sluice.RunContext
	log      *signalLog
}

func setup(t *testing.T, cmds ...string) *bundle {
	t.Helper()
	log := &signalLog{pids: make(chan int, 1)}
	return &bundle{
		provider: &commands.Provider{},
		log:      log,
		rc: &sluice.RunContext{
			Job: &sluice.Job{
				ID: "job-1", ActionType: commands.TypeID,
				Data: sluice.JobData{ActionTypeID: commands.TypeID, Commands: cmds},
			},
			WorkDir:    t.TempDir(),
			ScratchDir: t.TempDir(),
			Env:        []string{"CODEPIPELINE_JOB_ID=job-1"},
			Log:        log,
		},
	}
}

// signalLog is the job log. It reports the first "pid=N" line the commands print, so a
// test learns that a background process is running without sleeping.
type signalLog struct {
	mu   sync.Mutex
	buf  bytes.Buffer
	pids chan int
	sent bool
}

var pidLine = regexp.MustCompile(`(?m)^pid=(\d+)$`)

func (l *signalLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.buf.Write(p)
	if m := pidLine.FindSubmatch(l.buf.Bytes()); m != nil && !l.sent {
		pid, _ := strconv.Atoi(string(m[1]))
		l.pids <- pid
		l.sent = true
	}
	return len(p), nil
}

func (l *signalLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// processGone waits until pid has exited, through a pidfd, which becomes readable when the
// process exits. Unlike kill(pid, 0) it does not mistake a zombie for a live process, and
// it needs no polling loop. A pid that is already reaped has no pidfd: it is gone.
func processGone(t *testing.T, pid int) {
	t.Helper()
	fd, err := unix.PidfdOpen(pid, 0)
	if err == unix.ESRCH {
		return
	}
	require.NoError(t, err)
	defer unix.Close(fd)
	waitReadable(t, fd)
}

// watchExit opens a pidfd on a live process before the test stops it; waitExit then
// blocks until the process has exited.
func watchExit(t *testing.T, pid int) int {
	t.Helper()
	fd, err := unix.PidfdOpen(pid, 0)
	require.NoError(t, err)
	t.Cleanup(func() { _ = unix.Close(fd) })
	return fd
}

func waitExit(t *testing.T, pidfd int) {
	t.Helper()
	waitReadable(t, pidfd)
}

func waitReadable(t *testing.T, fd int) {
	t.Helper()
	fds := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}
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
