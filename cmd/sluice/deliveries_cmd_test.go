package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/node"
)

// TestDeliveriesCommand lists a subscription's delivery log with `sluice deliveries`: a
// delivery to a loopback address the server refuses (no --allow-local-destinations) is
// Failed at its first attempt, with the guard's reason.
func TestDeliveriesCommand(t *testing.T) {
	t.Parallel()
	b := setup(t)
	dir := t.TempDir()
	require.NoError(t, node.WriteKey(filepath.Join(dir, "root-access-key.json"), sluice.AccessKey{ID: testKeyID, Secret: testSecret}))
	sub := "arn:aws:sns:us-east-1:000000000000:alerts:0b5e1c55-0000-4000-8000-000000000001"
	d := &sluice.Delivery{ID: "8c1f9a40-0000-4000-8000-00000000000a", Target: sub, TopicARN: "arn:aws:sns:us-east-1:000000000000:alerts",
		Protocol: "http", Endpoint: "http://admin:hunter2@127.0.0.1:9/hook", Type: "Notification", Message: "m"}
	require.NoError(t, b.Node.DB.EnqueueDeliveries(t.Context(), d))
	deadline := time.Now().Add(time.Minute)
	for {
		log, _, err := b.Node.DB.ListDeliveries(t.Context(), sluice.DeliveryFilter{Target: sub, Status: sluice.DeliveryFailed})
		require.NoError(t, err)
		if len(log) == 1 {
			break
		}
		require.True(t, time.Now().Before(deadline), "the delivery did not fail")
		time.Sleep(20 * time.Millisecond)
	}
	run := func(args ...string) (string, error) {
		var stdout, stderr bytes.Buffer
		cmd := rootCmd()
		cmd.SetArgs(append([]string{"deliveries"}, append(args, "--endpoint-url", b.URL, "--data-dir", dir)...))
		cmd.SetOut(&stdout)
		cmd.SetErr(&stderr)
		err := cmd.ExecuteContext(context.Background())
		return stdout.String() + stderr.String(), err
	}
	out, err := run(sub, "--attempts")
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.Len(t, lines, 3, out)
	require.Regexp(t, `^CREATED\s+MESSAGE ID\s+TYPE\s+STATUS\s+ATTEMPTS`, lines[0])
	require.Regexp(t, `\s8c1f9a40-0000-4000-8000-00000000000a\s+Notification\s+Failed\s+1\s+-\s+.*local destinations are not allowed`, lines[1])
	require.Regexp(t, `^\s+#1\s`, lines[2])
	require.NotContains(t, out, "hunter2")

	out, err = run(sub, "--status", "Delivered")
	require.NoError(t, err)
	require.Len(t, strings.Split(strings.TrimSpace(out), "\n"), 1, "the header alone")

	out, err = run("arn:aws:chatbot::000000000000:chat-configuration/slack-channel/ops")
	require.NoError(t, err, "a chat channel's ARN has no region")
	require.Len(t, strings.Split(strings.TrimSpace(out), "\n"), 1)

	out, err = run("not-an-arn")
	require.Error(t, err)
	require.Contains(t, out+err.Error(), "TargetArn")

	out, err = run(sub, "--status", "Lost")
	require.Error(t, err)
	require.Contains(t, out+err.Error(), "Status")
}
