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

// startRetention prunes at start and then hourly; without --retain it keeps everything.
// It runs in every server: with replicas it belongs under the leader lease (its batches
// already hold each pipeline's lock, so two at once only repeat work).
func (n *Node) startRetention(ctx context.Context) {
	if n.Retention.Enabled() {
		n.wg.Go(func() { n.Retention.Run(ctx) })
	}
}
