package actionlog_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"sluice/actionlog"
)

func TestURLPath(t *testing.T) {
	t.Parallel()
	require.Equal(t, "/v1/logs/app/run-1", actionlog.URLPath("app", "run-1"))
	require.Equal(t, "/v1/logs/%2E/run-1", actionlog.URLPath(".", "run-1"))
	require.Equal(t, "/v1/logs/%2E%2E/run-1", actionlog.URLPath("..", "run-1"))
	require.Equal(t, "/v1/logs/a.b@c/x%2Fy", actionlog.URLPath("a.b@c", "x/y"))
}
