package gitremote_test

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	osuser "os/user"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"sluice/gitremote"
)

// sshServer runs OpenSSH's sshd on a free loopback port, accepting one key for the current
// user: git over SSH as a git host serves it. It skips without sshd unless
// SLUICE_REQUIRE_SSHD=1.
func sshServer(t *testing.T) (port int, privateKey string) {
	t.Helper()
	sshd, err := exec.LookPath("sshd")
	if err != nil {
		sshd = "/usr/sbin/sshd"
	}
	if _, err := os.Stat(sshd); err != nil {
		if os.Getenv("SLUICE_REQUIRE_SSHD") == "1" {
			t.Fatalf("sshd is required (SLUICE_REQUIRE_SSHD=1) but missing: install openssh-server")
		}
		t.Skip("sshd is not installed (openssh-server)")
	}
	if os.Geteuid() == 0 {
		// sshd started by root insists on its privilege separation directory, which the
		// package's service would create.
		require.NoError(t, os.MkdirAll("/run/sshd", 0o755))
	}
	dir := t.TempDir()
	for _, k := range []string{"host", "user"} {
		out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", filepath.Join(dir, k)).CombinedOutput()
		require.NoError(t, err, "%s", out)
	}
	pub, err := os.ReadFile(filepath.Join(dir, "user.pub"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "authorized_keys"), pub, 0o600))
	key, err := os.ReadFile(filepath.Join(dir, "user"))
	require.NoError(t, err)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	port = l.Addr().(*net.TCPAddr).Port
	l.Close()
	me, err := osuser.Current()
	require.NoError(t, err)
	cfg := fmt.Sprintf(`Port %d
ListenAddress 127.0.0.1
HostKey %s
AuthorizedKeysFile %s
PidFile %s
AllowUsers %s
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
StrictModes no
UsePAM no
`, port, filepath.Join(dir, "host"), filepath.Join(dir, "authorized_keys"), filepath.Join(dir, "sshd.pid"), me.Username)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "sshd_config"), []byte(cfg), 0o600))
	cmd := exec.Command(sshd, "-D", "-e", "-f", filepath.Join(dir, "sshd_config"))
	stderr, err := cmd.StderrPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	listening := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			t.Log("sshd: " + sc.Text())
			if strings.Contains(sc.Text(), "listening on") {
				close(listening)
			}
		}
	}()
	select {
	case <-listening:
	case <-time.After(30 * time.Second):
		t.Fatal("sshd did not start listening")
	}
	return port, string(key)
}

// TestMirrorsOverSSH reaches a repository with an SSH key, as a connection with SshKey does.
func TestMirrorsOverSSH(t *testing.T) {
	t.Parallel()
	port, key := sshServer(t)
	ctx := context.Background()
	r := newRemote(t)
	sha := r.commit(t, "a.txt", "a\n")
	bare := filepath.Join(t.TempDir(), "app.git")
	r.git(t, "", "clone", "-q", "--bare", r.work, bare)
	me, err := osuser.Current()
	require.NoError(t, err)
	url := fmt.Sprintf("ssh://%s@127.0.0.1:%d%s", me.Username, port, bare)
	// A data directory with a space and a quote: the key's path reaches ssh through a shell.
	m, err := gitremote.New(filepath.Join(t.TempDir(), "Application Support", "it's"))
	require.NoError(t, err)

	head, err := m.Head(ctx, url, gitremote.Auth{SSHKey: key}, "main")
	require.NoError(t, err)
	require.Equal(t, sha, head)
	require.NoError(t, m.Fetch(ctx, url, gitremote.Auth{SSHKey: key}))
	c, err := m.Commit(ctx, url, gitremote.Auth{SSHKey: key}, sha)
	require.NoError(t, err)
	require.Equal(t, "add a.txt", c.Message)

	_, err = m.Head(ctx, url, gitremote.Auth{}, "main")
	require.Error(t, err, "no key, no access")
}
