package sluice_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
)

func TestLogPath(t *testing.T) {
	t.Parallel()
	require.Equal(t, "/v1/logs/app/run-1", sluice.LogPath("app", "run-1"))
	require.Equal(t, "/v1/logs/%2E/run-1", sluice.LogPath(".", "run-1"))
	require.Equal(t, "/v1/logs/%2E%2E/run-1", sluice.LogPath("..", "run-1"))
	require.Equal(t, "/v1/logs/a.b@c/x%2Fy", sluice.LogPath("a.b@c", "x/y"))
}
