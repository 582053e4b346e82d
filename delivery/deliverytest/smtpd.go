package deliverytest

import (
	"io"
	"mime"
	"mime/multipart"
	"net"
	"net/mail"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
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
	for { // ready when it accepts a connection (it binds after starting Python)
		c, err := net.Dial("tcp", s.Addr)
		if err == nil {
			require.NoError(t, c.Close())
			return s
		}
		require.True(t, time.Now().Before(deadline), "aiosmtpd did not start: %v", err)
		time.Sleep(50 * time.Millisecond)
	}
}

// FreeAddr returns a loopback address nothing listens on.
func FreeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer l.Close()
	return l.Addr().String()
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

// Next waits for the maildir's (n+1)-th message and returns the newest one with its
// plain text (the text/plain part of a multipart mail, or the whole body).
func (s *SMTPD) Next(t *testing.T, n int) (*mail.Message, string) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	var files []string
	for {
		var err error
		files, err = filepath.Glob(filepath.Join(s.Maildir, "new", "*"))
		require.NoError(t, err)
		if len(files) > n {
			break
		}
		require.True(t, time.Now().Before(deadline), "mail %d did not arrive", n+1)
		time.Sleep(50 * time.Millisecond)
	}
	newest, newestTime := "", time.Time{}
	for _, f := range files {
		st, err := os.Stat(f)
		require.NoError(t, err)
		if newest == "" || st.ModTime().After(newestTime) {
			newest, newestTime = f, st.ModTime()
		}
	}
	fh, err := os.Open(newest)
	require.NoError(t, err)
	t.Cleanup(func() { fh.Close() })
	m, err := mail.ReadMessage(fh)
	require.NoError(t, err)
	return m, Text(t, m)
}

// Text is a mail's plain text: its text/plain part, decoded, when it is multipart, or its
// whole body.
func Text(t *testing.T, m *mail.Message) string {
	t.Helper()
	mt, params, err := mime.ParseMediaType(m.Header.Get("Content-Type"))
	require.NoError(t, err)
	if !strings.HasPrefix(mt, "multipart/") {
		b, err := io.ReadAll(m.Body)
		require.NoError(t, err)
		return string(b)
	}
	r := multipart.NewReader(m.Body, params["boundary"])
	for {
		p, err := r.NextPart()
		require.NoError(t, err, "no text/plain part")
		if strings.HasPrefix(p.Header.Get("Content-Type"), "text/plain") {
			b, err := io.ReadAll(p) // NextPart decodes quoted-printable
			require.NoError(t, err)
			return string(b)
		}
	}
}
