package nodetest

import (
	"net"
	"net/mail"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// SMTPD is Debian's aiosmtpd serving on loopback, storing every message in Maildir.
// SLUICE_REQUIRE_SMTPD makes its absence a failure; without it the test is skipped.
type SMTPD struct {
	Addr    string // host:port
	Maildir string
}

// StartSMTPD starts aiosmtpd (with args, such as --tlscert) until t ends.
func StartSMTPD(t *testing.T, args ...string) *SMTPD {
	t.Helper()
	if exec.Command("/usr/bin/python3", "-c", "import aiosmtpd").Run() != nil {
		if os.Getenv("SLUICE_REQUIRE_SMTPD") != "" {
			t.Fatal("python3-aiosmtpd is not installed")
		}
		t.Skip("python3-aiosmtpd is not installed")
	}
	s := &SMTPD{Addr: FreeAddr(t), Maildir: filepath.Join(t.TempDir(), "mail")}
	cmd := exec.Command("/usr/bin/python3", append(append([]string{"-m", "aiosmtpd", "-n", "-l", s.Addr}, args...),
		"-c", "aiosmtpd.handlers.Mailbox", s.Maildir)...)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	deadline := time.Now().Add(time.Minute)
	for { // ready when it accepts a connection
		c, err := net.Dial("tcp", s.Addr)
		if err == nil {
			require.NoError(t, c.Close())
			return s
		}
		require.True(t, time.Now().Before(deadline), "aiosmtpd did not start: %v", err)
		time.Sleep(50 * time.Millisecond)
	}
}

// Mails reads every message received so far. A message is in the maildir before the
// server answers its DATA, so a delivery recorded Delivered is here.
func (s *SMTPD) Mails(t *testing.T) []*mail.Message {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(s.Maildir, "new", "*"))
	require.NoError(t, err)
	var out []*mail.Message
	for _, f := range files {
		r, err := os.Open(f)
		require.NoError(t, err)
		t.Cleanup(func() { r.Close() })
		m, err := mail.ReadMessage(r)
		require.NoError(t, err)
		out = append(out, m)
	}
	return out
}
