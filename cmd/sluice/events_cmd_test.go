package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"
	"github.com/stretchr/testify/require"
)

// eventsCommand is `sluice events ARGS` against the fixture's server.
func (l *logsCLI) eventsCommand(t *testing.T, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(sluiceBinary(t), append([]string{"events", "--endpoint-url", l.URL, "--data-dir", l.dataDir}, args...)...)
	cmd.Env = append(os.Environ(), "AWS_ACCESS_KEY_ID=", "AWS_SECRET_ACCESS_KEY=")
	return cmd
}

func TestEventsCommand(t *testing.T) {
	t.Parallel()
	l := setupLogsCLI(t)

	// --follow from the first event kept, so that it sees the pipeline's events whenever it
	// connects; it prints them as they come.
	follow := l.eventsCommand(t, "--follow", "--after", "0", "--pipeline", "ev-cli")
	out, err := follow.StdoutPipe()
	require.NoError(t, err)
	var stderr bytes.Buffer
	follow.Stderr = &stderr
	require.NoError(t, follow.Start())
	t.Cleanup(func() { _ = follow.Process.Kill(); _ = follow.Wait() })
	id := l.Create(t, pipeline("ev-cli", stage("Build", cmdAction("Compile", "exit 3"))))
	l.WaitStatus(t, "ev-cli", id, types.PipelineExecutionStatusFailed)
	r := bufio.NewReader(out)
	var lines []string
	for {
		line, err := r.ReadString('\n')
		require.NoError(t, err, "stderr: %s", stderr.String())
		lines = append(lines, line)
		if strings.Contains(line, "Pipeline") && strings.Contains(line, "FAILED") {
			break
		}
	}
	joined := strings.Join(lines, "")
	require.Contains(t, joined, "ev-cli")
	require.Contains(t, joined, id[:8])
	require.Regexp(t, `Build/Compile\s+Action\s+FAILED\s+JobFailed: `, joined, "a failed action shows its error code and summary")

	t.Run("JSONReplay", func(t *testing.T) {
		t.Parallel()
		var stdout, errOut bytes.Buffer
		cmd := l.eventsCommand(t, "--pipeline", "ev-cli", "--json", "--type", "CodePipeline Pipeline Execution State Change")
		cmd.Stdout, cmd.Stderr = &stdout, &errOut
		require.NoError(t, cmd.Run(), errOut.String())
		var states []string
		for _, line := range strings.Split(strings.TrimSpace(stdout.String()), "\n") {
			var ev struct {
				Source string `json:"source"`
				Detail struct {
					State string `json:"state"`
				} `json:"detail"`
			}
			require.NoError(t, json.Unmarshal([]byte(line), &ev), line)
			require.Equal(t, "aws.codepipeline", ev.Source)
			states = append(states, ev.Detail.State)
		}
		require.Equal(t, []string{"STARTED", "FAILED"}, states)
	})
	t.Run("RefusedKey", func(t *testing.T) {
		t.Parallel()
		cmd := exec.Command(sluiceBinary(t), "events", "--endpoint-url", l.URL)
		cmd.Env = append(os.Environ(), "AWS_ACCESS_KEY_ID="+testKeyID, "AWS_SECRET_ACCESS_KEY=wrong")
		out, err := cmd.CombinedOutput()
		require.Error(t, err)
		require.Contains(t, string(out), "HTTP 403")
	})
}
