package node_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/config"
)

// TestAlarmRulesNeedPrometheus: CloudWatchAlarm rules are runnable, and watched, exactly
// when the server has a Prometheus to watch.
func TestAlarmRulesNeedPrometheus(t *testing.T) {
	t.Parallel()

	t.Run("Configured", func(t *testing.T) {
		t.Parallel()
		b := setupWith(t, func(c *config.Server) { c.PrometheusURL = "http://127.0.0.1:9090" })
		require.True(t, b.Node.Engine.Runnable(sluice.RuleJobAlarm))
		require.NotNil(t, b.Node.Alarms)
		require.Equal(t, "http://127.0.0.1:9090", b.Node.Alarms.URL)
		require.Equal(t, sluice.WorkerLocal, sluice.ParseWorkerID(b.Node.Alarms.Worker).Kind,
			"its jobs are the server's own: its next start settles them")
	})

	t.Run("Unset", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		require.False(t, b.Node.Engine.Runnable(sluice.RuleJobAlarm))
		require.Nil(t, b.Node.Alarms)
	})
}
