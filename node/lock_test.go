package node_test

import (
	"context"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice/config"
	"sluice/node"
)

// testConfig is a server on a free loopback port over a fresh data directory.
func testConfig(t *testing.T) config.Server {
	t.Helper()
	cfg := config.Defaults()
	cfg.Listen, cfg.DataDir, cfg.Workers, cfg.PollInterval = "127.0.0.1:0", t.TempDir(), 1, 0
	cfg.AccessKeyID, cfg.SecretAccessKey = "AKIATESTKEY000000001", "test-secret-key-for-sluice-node-tests-00"
	return cfg
}

func testOptions(t *testing.T) node.Options {
	return node.Options{Log: slog.New(slog.NewTextHandler(testWriter{T: t}, &slog.HandlerOptions{Level: slog.LevelWarn}))}
}

// TestDataDirInUse: a second server on the data directory of a running one is refused,
// naming the directory; once the first has stopped, a new one starts.
func TestDataDirInUse(t *testing.T) {
	t.Parallel()
	ctx, cfg := context.Background(), testConfig(t)
	first, err := node.New(ctx, cfg, testOptions(t))
	require.NoError(t, err)

	second, err := node.New(ctx, cfg, testOptions(t))
	if err == nil {
		require.NoError(t, second.Close())
	}
	require.Error(t, err)
	require.ErrorContains(t, err, cfg.DataDir)
	require.ErrorContains(t, err, "another Sluice server")

	require.NoError(t, first.Close())
	third, err := node.New(ctx, cfg, testOptions(t))
	require.NoError(t, err)
	require.NoError(t, third.Close())
}
