// Package benchserver starts the sluice binary a benchmark measures: built from this tree
// unless one is given, and run as `sluice server` on a free loopback port with a known root
// key, so that every request of a benchmark stays on 127.0.0.1.
package benchserver

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"time"
)

// The root access key of every server a benchmark starts.
const (
	KeyID  = "AKIABENCHMARK0000001"
	Secret = "benchmark-secret-0000000000000000000000"
)

// Env is the environment of a sluice process the benchmark starts: the root key, and of the
// benchmark's own only what a server needs to find its tools and temporary directory and the
// Go runtime's settings (GOGC, GOMEMLIMIT) a run measures (an explicit list: nothing else of
// the caller's reaches the server or its actions).
func Env() []string {
	return append(baseEnv(), "SLUICE_ACCESS_KEY_ID="+KeyID, "SLUICE_SECRET_ACCESS_KEY="+Secret)
}

func baseEnv() []string {
	var env []string
	for _, k := range []string{"PATH", "HOME", "TMPDIR", "LANG", "GOGC", "GOMEMLIMIT"} {
		if v, ok := os.LookupEnv(k); ok {
			env = append(env, k+"="+v)
		}
	}
	return env
}

// Build returns bin or, when bin is empty, a sluice built from the tree in the current
// directory into dir.
func Build(bin, dir string) (string, error) {
	if bin != "" {
		return bin, nil
	}
	bin = filepath.Join(dir, "sluice")
	if out, err := exec.Command("go", "build", "-o", bin, "./cmd/sluice").CombinedOutput(); err != nil {
		return "", fmt.Errorf("build: %v: %s", err, out)
	}
	return bin, nil
}

// Server is a running `sluice server`.
type Server struct {
	Addr string // host:port on loopback
	URL  string // http://Addr
	PID  int
	cmd  *exec.Cmd
	logf *os.File
}

// Start runs `sluice server --listen ADDR --data-dir data` and args after them, writing its
// output to dir/server.log (appended to, so that a restart keeps the first run's lines), and
// waits until its /healthz answers 200.
func Start(bin, dir, data string, args ...string) (*Server, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	addr := l.Addr().String()
	l.Close()
	cmd := exec.Command(bin, append([]string{"server", "--listen", addr, "--data-dir", data}, args...)...)
	cmd.Env = Env()
	logf, err := os.OpenFile(filepath.Join(dir, "server.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, err
	}
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		logf.Close()
		return nil, err
	}
	s := &Server{Addr: addr, URL: "http://" + addr, PID: cmd.Process.Pid, cmd: cmd, logf: logf}
	for range 400 {
		if resp, err := http.Get(s.URL + "/healthz"); err == nil && resp.StatusCode == 200 {
			resp.Body.Close()
			return s, nil
		}
		time.Sleep(25 * time.Millisecond)
	}
	s.Kill()
	return nil, fmt.Errorf("server did not become healthy; see %s", logf.Name())
}

// Stop ends the server cleanly (SIGTERM) and waits for it: its store is closed on return.
func (s *Server) Stop() error {
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	err := s.cmd.Wait()
	s.logf.Close()
	if err != nil {
		return fmt.Errorf("the server stopped with %v; see %s", err, s.logf.Name())
	}
	return nil
}

// Kill ends the server at once and waits for it.
func (s *Server) Kill() {
	_ = s.cmd.Process.Kill()
	_ = s.cmd.Wait()
	s.logf.Close()
}
