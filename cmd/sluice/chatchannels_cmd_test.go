package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/node"
)

// TestChatChannelsCommand configures, lists and deletes chat channels with `sluice
// chat-channels`; the URL goes in by a file or standard input and never comes out.
func TestChatChannelsCommand(t *testing.T) {
	t.Parallel()
	b := setup(t)
	dir := t.TempDir()
	require.NoError(t, node.WriteKey(filepath.Join(dir, "root-access-key.json"), sluice.AccessKey{ID: testKeyID, Secret: testSecret}))
	run := func(stdin string, args ...string) (string, string, error) {
		var stdout, stderr bytes.Buffer
		cmd := rootCmd()
		cmd.SetArgs(append([]string{"chat-channels"}, append(args, "--endpoint-url", b.URL, "--data-dir", dir)...))
		cmd.SetIn(strings.NewReader(stdin))
		cmd.SetOut(&stdout)
		cmd.SetErr(&stderr)
		err := cmd.ExecuteContext(context.Background())
		return stdout.String(), stderr.String(), err
	}

	file := filepath.Join(t.TempDir(), "slack.url")
	require.NoError(t, os.WriteFile(file, []byte("https://hooks.slack.example/services/T1/B1/secret-one\n"), 0o600))
	out, _, err := run("", "create", "ops", "--url-file", file)
	require.NoError(t, err)
	require.Equal(t, "arn:aws:chatbot::000000000000:chat-configuration/slack-channel/ops\n", out)
	out, _, err = run("https://example.webhook.office.com/webhookb2/secret-two\n", "create", "releases", "--kind", "teams", "--url-file", "-")
	require.NoError(t, err)
	require.Equal(t, "arn:aws:chatbot::000000000000:chat-configuration/microsoft-teams-channel/releases\n", out)
	ch, err := b.Node.DB.GetChatChannel(context.Background(), strings.TrimSpace(out))
	require.NoError(t, err)
	require.Equal(t, "https://example.webhook.office.com/webhookb2/secret-two", ch.URL)

	out, _, err = run("", "list")
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.Len(t, lines, 3)
	require.Regexp(t, `^ops\s+slack\s+arn:aws:chatbot::000000000000:chat-configuration/slack-channel/ops\s+\d{4}-`, lines[1])
	require.Regexp(t, `^releases\s+teams\s+`, lines[2])
	require.NotContains(t, out, "secret")

	_, _, err = run("", "create", "bad", "--kind", "irc", "--url-file", file)
	require.ErrorContains(t, err, "ValidationException")
	_, _, err = run("\n", "create", "empty", "--url-file", "-")
	require.ErrorContains(t, err, "no URL")

	_, msg, err := run("", "delete", "ops")
	require.NoError(t, err)
	require.Contains(t, msg, "Deleted chat channel ops")
	_, _, err = run("", "delete", "ops")
	require.ErrorContains(t, err, "ResourceNotFoundException")
}
