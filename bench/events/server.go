package main

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

type server struct {
	url  string
	stop func() error
}

// startServer runs `sluice server` on a free loopback port, allowed to deliver to loopback
// (the receiver is in this process).
func startServer(bin, dir, data string) (*server, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	addr := l.Addr().String()
	l.Close()
	cmd := exec.Command(bin, "server", "--listen", addr, "--data-dir", data, "--workers", "2", "--poll-interval", "0",
		"--allow-local-destinations", "--sandbox=off")
	cmd.Env = append(os.Environ(), "SLUICE_ACCESS_KEY_ID="+keyID, "SLUICE_SECRET_ACCESS_KEY="+secret)
	logf, err := os.OpenFile(filepath.Join(dir, "server.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, err
	}
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	srv := &server{url: "http://" + addr, stop: func() error {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		err := cmd.Wait()
		logf.Close()
		return err
	}}
	for range 400 {
		if resp, err := http.Get(srv.url + "/healthz"); err == nil && resp.StatusCode == 200 {
			resp.Body.Close()
			return srv, nil
		}
		time.Sleep(25 * time.Millisecond)
	}
	_ = cmd.Process.Kill()
	return nil, fmt.Errorf("server did not become healthy; see %s", logf.Name())
}
