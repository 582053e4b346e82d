package node_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice/node"
)

// TestServerID: a server keeps its id across restarts on its data directory, and servers
// on other data directories have other ids.
func TestServerID(t *testing.T) {
	t.Parallel()
	ctx, cfg := context.Background(), testConfig(t)
	first, err := node.New(ctx, cfg, testOptions(t))
	require.NoError(t, err)
	id := first.ServerID
	require.NotEmpty(t, id)
	require.Contains(t, first.Pool.Worker, id, "the in-process workers carry the server id")
	require.NoError(t, first.Close())

	again, err := node.New(ctx, cfg, testOptions(t))
	require.NoError(t, err)
	require.Equal(t, id, again.ServerID)
	require.NoError(t, again.Close())

	other, err := node.New(ctx, testConfig(t), testOptions(t))
	require.NoError(t, err)
	require.NotEqual(t, id, other.ServerID)
	require.NoError(t, other.Close())
}
