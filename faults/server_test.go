package faults

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"time"

	"sluice/node/nodetest"
)

// server is one `sluice server` replica, or the `sluice worker` (Addr ""), started again
// after each kill. Its incarnations are numbered: "r2.3" is replica 2's third process, "w.2"
// the worker's second, the name its actions write to the journal, so a run is tied to the
// process that ran it.
type server struct {
	Name string   // "r1", or "w" for the worker
	Addr string   // a server's --listen address, the same at every start; "" for the worker
	bin  string   // the sluice command
	args []string // after the subcommand (and --listen)
	dir  string   // the harness's directory: logs and work directories go there

	life sync.Mutex // held by Start and Kill: one change of process at a time

	mu          sync.Mutex
	cmd         *exec.Cmd
	incarnation int
	done        chan struct{} // closed when the current process has exited
	killed      bool          // the harness killed the current process on purpose
	closed      bool          // the test is ending: no more starts
	groups      []int         // the process groups of its incarnations (and their actions)
	unexpected  func(string)  // told when a process exits without the harness killing it
}

// Incarnation names the current process.
func (s *server) Incarnation() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return fmt.Sprintf("%s.%d", s.Name, s.incarnation)
}

// Start runs a new process and waits until its /healthz answers 200. A process that exits
// without being killed is reported (unexpected) and started again.
func (s *server) Start(ctx context.Context) error {
	s.life.Lock()
	defer s.life.Unlock()
	return s.start(ctx)
}

func (s *server) start(ctx context.Context) error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.incarnation++
	runner := fmt.Sprintf("%s.%d", s.Name, s.incarnation)
	log, err := os.OpenFile(s.LogPath(), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		s.mu.Unlock()
		return err
	}
	fmt.Fprintf(log, "=== faults: start %s\n", runner)
	args := []string{"worker"}
	if s.Addr != "" {
		args = []string{"server", "--listen", s.Addr}
	}
	args = append(append(args, "--action-env", "FAULTS_RUNNER="+runner), s.args...)
	cmd := exec.Command(s.bin, args...)
	cmd.Env = processEnv()
	cmd.Stdout, cmd.Stderr = log, log
	// Its own process group, so that the end of the test takes its orphaned actions along.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		s.mu.Unlock()
		log.Close()
		return err
	}
	done := make(chan struct{})
	s.cmd, s.done, s.killed = cmd, done, false
	s.groups = append(s.groups, cmd.Process.Pid)
	s.mu.Unlock()
	go func() {
		err := cmd.Wait()
		log.Close()
		s.mu.Lock()
		killed := s.killed
		s.mu.Unlock()
		close(done)
		if !killed {
			s.unexpected(fmt.Sprintf("%s exited without being killed: %v (log %s)", runner, err, s.LogPath()))
			if err := s.Start(context.Background()); err != nil {
				s.unexpected(fmt.Sprintf("start %s again after it exited: %v", s.Name, err))
			}
		}
	}()
	if s.Addr == "" { // a worker answers nothing: it takes jobs once it reaches a server
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute) // a bound only a hang reaches
	defer cancel()
	return waitHealthy(ctx, "http://"+s.Addr, done)
}

// Kill sends SIGKILL to the current process and waits until it is gone; it returns the
// incarnation killed.
func (s *server) Kill() string {
	s.life.Lock()
	defer s.life.Unlock()
	s.mu.Lock()
	s.killed = true
	cmd, done := s.cmd, s.done
	name := fmt.Sprintf("%s.%d", s.Name, s.incarnation)
	s.mu.Unlock()
	_ = cmd.Process.Signal(syscall.SIGKILL)
	<-done
	return name
}

// Close kills the current process for good, as the test ends, with what is left of every
// incarnation's actions.
func (s *server) Close() {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	s.Kill()
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, pgid := range s.groups {
		_ = syscall.Kill(-pgid, syscall.SIGKILL)
	}
}

func (s *server) LogPath() string { return filepath.Join(s.dir, s.Name+".log") }

// waitHealthy polls url's /healthz (another process: there is nothing to wait on) until it
// answers 200, the process exits or ctx ends.
func waitHealthy(ctx context.Context, url string, exited <-chan struct{}) error {
	hc := &http.Client{Timeout: 5 * time.Second}
	for {
		resp, err := hc.Get(url + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-exited:
			return fmt.Errorf("the server at %s exited before it answered /healthz", url)
		case <-ctx.Done():
			return fmt.Errorf("the server at %s never answered /healthz: %v", url, err)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// processEnv is the environment of every process the harness starts: the root key, and of
// the test's own only what finds programs and temporary files.
func processEnv() []string {
	env := []string{"SLUICE_ACCESS_KEY_ID=" + nodetest.KeyID, "SLUICE_SECRET_ACCESS_KEY=" + nodetest.Secret}
	for _, k := range []string{"PATH", "HOME", "TMPDIR", "LANG"} {
		if v, ok := os.LookupEnv(k); ok {
			env = append(env, k+"="+v)
		}
	}
	return env
}
