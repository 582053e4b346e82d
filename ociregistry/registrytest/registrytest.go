// Package registrytest runs a real OCI registry for tests: Debian's docker-registry package
// (Docker Distribution), started as a process on a free loopback port with a temporary
// storage directory, anonymous or behind basic (htpasswd) or bearer-token authentication.
// Images are pushed with plain distribution API calls, so no docker daemon is needed.
package registrytest

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// RequireEnv set to 1 fails, rather than skips, the tests that need the registry when its
// binary is missing; CI sets it.
const RequireEnv = "SLUICE_REQUIRE_REGISTRY"

// Binary is the registry server Debian's docker-registry package installs.
const Binary = "docker-registry"

// Auth says how the registry checks its clients.
type Auth int

const (
	Anonymous Auth = iota
	Basic          // htpasswd: HTTP basic authentication
	Token          // bearer tokens from a token service this package runs
)

// Username and Password are the one user of a registry with authentication.
const (
	Username = "sluice"
	Password = "registry-secret"
)

// Registry is a running registry server.
type Registry struct {
	URL  string // http://127.0.0.1:PORT
	Host string // 127.0.0.1:PORT, as image references name it
	auth Auth
	tok  *tokenService
}

// Start runs a registry until the test ends. It skips the test when the binary is missing,
// unless RequireEnv is 1.
func Start(t *testing.T, auth Auth) *Registry {
	t.Helper()
	bin, err := exec.LookPath(Binary)
	if err != nil {
		if os.Getenv(RequireEnv) == "1" {
			t.Fatalf("%s is not installed (apt-get install docker-registry) and %s=1", Binary, RequireEnv)
		}
		t.Skipf("%s is not installed: apt-get install docker-registry to run the OCI registry tests", Binary)
	}
	dir := t.TempDir()
	r := &Registry{auth: auth}
	authYAML := ""
	switch auth {
	case Basic:
		authYAML = htpasswdConfig(t, dir)
	case Token:
		r.tok = startTokenService(t, dir)
		authYAML = r.tok.config()
	}
	var errs []error
	for attempt := range 3 { // a port found free may be taken before the registry binds it
		addr := freeAddr(t)
		cfg := filepath.Join(dir, "config-"+strconv.Itoa(attempt)+".yml")
		require.NoError(t, os.WriteFile(cfg, []byte(config(filepath.Join(dir, "storage"), addr, authYAML)), 0o600))
		if err := run(t, bin, cfg, addr); err != nil {
			errs = append(errs, err)
			continue
		}
		r.URL, r.Host = "http://"+addr, addr
		return r
	}
	require.NoError(t, errors.Join(errs...), "docker-registry did not start")
	return nil
}

func config(storage, addr, auth string) string {
	return fmt.Sprintf(`version: 0.1
log:
  level: info
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: %s
  delete:
    enabled: true
http:
  addr: %s
  secret: sluice-test-secret
%s`, storage, addr, auth)
}

// run starts the registry and returns once it logs that it listens: the sign it is ready.
func run(t *testing.T, bin, cfg, addr string) error {
	cmd := exec.Command(bin, "serve", cfg)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH")} // no REGISTRY_* overrides from the caller
	out, err := cmd.StderrPipe()
	if err != nil {
		return err
	}
	cmd.Stdout = cmd.Stderr
	if err := cmd.Start(); err != nil {
		return err
	}
	listening := make(chan struct{})
	var log strings.Builder
	var logMu sync.Mutex
	go func() {
		sc := bufio.NewScanner(out)
		once := sync.Once{}
		for sc.Scan() {
			logMu.Lock()
			log.WriteString(sc.Text() + "\n")
			logMu.Unlock()
			if strings.Contains(sc.Text(), "listening on "+addr) {
				once.Do(func() { close(listening) })
			}
		}
		_, _ = io.Copy(io.Discard, out)
	}()
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	select {
	case <-listening:
		t.Cleanup(func() { _ = cmd.Process.Kill(); <-exited })
		return nil
	case <-exited:
		logMu.Lock()
		defer logMu.Unlock()
		return fmt.Errorf("docker-registry exited before listening on %s:\n%s", addr, log.String())
	case <-time.After(time.Minute): // a bound only a broken registry reaches
		_ = cmd.Process.Kill()
		<-exited
		return fmt.Errorf("docker-registry did not listen on %s within a minute", addr)
	}
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	return addr
}
