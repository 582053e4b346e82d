package main

import (
	"bufio"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestWorkerEndpoint: the worker takes --endpoint-url, its old --server and AWS_ENDPOINT_URL,
// and says at once when the server cannot be reached, naming where the URL came from.
func TestWorkerEndpoint(t *testing.T) {
	t.Parallel()
	const nowhere = "http://127.0.0.1:1"
	tests := []struct {
		name, env string
		args      []string
		source    string
	}{
		{"Flag", "", []string{"--endpoint-url", nowhere}, "--endpoint-url"},
		{"OldServerFlag", "", []string{"--server", nowhere}, "--endpoint-url"},
		{"Environment", nowhere, nil, "AWS_ENDPOINT_URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cmd := exec.Command(sluiceBinary(t), append([]string{"worker", "--sandbox=off", "--work-dir", t.TempDir(),
				"--access-key-id", testKeyID, "--secret-access-key", testSecret}, tt.args...)...)
			cmd.Env = append(os.Environ(), "AWS_ENDPOINT_URL="+tt.env, "SLUICE_SERVER=")
			stderr, err := cmd.StderrPipe()
			require.NoError(t, err)
			require.NoError(t, cmd.Start())
			t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
			stop := time.AfterFunc(2*time.Minute, func() { _ = cmd.Process.Kill() }) // rather than hang
			defer stop.Stop()
			readContaining(t, bufio.NewReader(stderr), "could not reach Sluice at "+nowhere+" (from "+tt.source+")")
		})
	}
}
