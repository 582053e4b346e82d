package sandbox_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/sandbox"
)

// TestBwrap runs a shell in a real bubblewrap sandbox and checks what it can reach.
func TestBwrap(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("bwrap"); err != nil {
		t.Skip("bubblewrap is not installed")
	}
	root, err := os.MkdirTemp("", "sandbox-test-")
	require.NoError(t, err)
	t.Cleanup(func() { _ = os.RemoveAll(root) })
	data, work := filepath.Join(root, "data"), filepath.Join(root, "work")
	ws, other := filepath.Join(work, "job-1"), filepath.Join(work, "job-2")
	for _, d := range []string{data, ws, other, filepath.Join(ws, "w")} {
		require.NoError(t, os.MkdirAll(d, 0o711))
		require.NoError(t, os.Chmod(d, 0o711))
	}
	require.NoError(t, os.Chmod(root, 0o711))
	require.NoError(t, os.WriteFile(filepath.Join(data, "key"), []byte("s3cr3t"), 0o600))
	require.NoError(t, os.WriteFile(filepath.Join(other, "theirs"), []byte("other job"), 0o644))
	sb, err := sandbox.New(sandbox.ModeBwrap, []string{data, work})
	require.NoError(t, err)
	require.NoError(t, sb.Own(filepath.Join(ws, "w")))
	require.NoError(t, sandbox.Reachable(sb, work))

	cmd := sb.Command(t.Context(), sluice.SandboxCommand{Workspace: ws, Dir: filepath.Join(ws, "w"),
		Args: []string{"/bin/sh", "-c", `id -u; pwd; echo "env=$(env | sort | tr '\n' ' ')"; echo made > mine
cat ` + filepath.Join(data, "key") + ` || echo no-key
cat ` + filepath.Join(other, "theirs") + ` || echo no-other
ls ` + work + `
echo "pids=$(ls /proc | grep -c '^[0-9]')"
cat /proc/` + strconv.Itoa(os.Getpid()) + `/environ || echo no-environ`},
		Env: []string{"PATH=/usr/bin:/bin", "ONLY=this"}})
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, string(out))
	text := string(out)
	lines := strings.Split(strings.TrimSpace(text), "\n")
	require.Equal(t, "65534", lines[0], text)
	require.Equal(t, filepath.Join(ws, "w"), lines[1])
	require.Equal(t, "env=ONLY=this PATH=/usr/bin:/bin PWD="+filepath.Join(ws, "w")+" ", lines[2])
	require.Contains(t, text, "no-key")
	require.Contains(t, text, "no-other")
	require.Contains(t, text, "no-environ")
	require.NotContains(t, text, "s3cr3t")
	require.NotContains(t, text, "other job")
	require.Contains(t, text, "no-other\njob-1\npids=") // the work root holds only this job's workspace
	require.Contains(t, text, "\npids=")                // its own /proc: a handful of its own processes
	require.Len(t, strings.TrimPrefix(lines[len(lines)-3], "pids="), 1, text)
	b, err := os.ReadFile(filepath.Join(ws, "w", "mine"))
	require.NoError(t, err)
	require.Equal(t, "made\n", string(b))
}

// TestNew refuses a mode it does not know, naming the setting.
func TestNew(t *testing.T) {
	t.Parallel()
	_, err := sandbox.New("docker", nil)
	require.EqualError(t, err, `--sandbox "docker": want bwrap or off`)
	sb, err := sandbox.New(sandbox.ModeOff, nil)
	require.NoError(t, err)
	require.Equal(t, sandbox.Off{}, sb)
}
