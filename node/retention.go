package node

import (
	"context"

	"github.com/prometheus/client_golang/prometheus"

	"sluice/metrics"
	"sluice/retention"
)

// buildRetention makes the pruner of --retain, counting on /metrics what it prunes.
func (n *Node) buildRetention(reg prometheus.Registerer) {
	m := metrics.NewRetention(reg)
	n.Retention = &retention.Pruner{Store: n.DB, Artifacts: n.Artifacts, Logs: n.Logs, Clock: SystemClock{},
		MaxAge: n.Config.Retain.Age, MaxCount: n.Config.Retain.Count, Pruned: m.Pruned, Log: n.Log}
}

// retentionTasks prune at start and then hourly; without --retain nothing is pruned.
func (n *Node) retentionTasks() []func(context.Context) {
	if !n.Retention.Enabled() {
		return nil
	}
	return []func(context.Context){n.Retention.Run}
}
