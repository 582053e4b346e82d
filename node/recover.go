package node

import (
	"context"
	"fmt"
	"strings"
	"time"

	"sluice"
)

// recover fails the jobs an earlier run of this server was running (their processes died
// with it) and re-derives every execution's next step. Invoked Lambda jobs ("lambda:"
// workers) are left alone: their functions report through the API whether or not this
// server restarted, and the rescuer fails them when their window passes.
func (n *Node) recover(ctx context.Context) error {
	open, err := n.DB.ExpiredJobs(ctx, time.Now().Add(24*365*time.Hour), 10000)
	if err != nil {
		return err
	}
	for _, j := range open {
		switch {
		case strings.HasPrefix(j.Worker, "local:") && j.Worker != n.Pool.Worker:
			msg := "The Sluice server restarted while this action was running; the action was interrupted."
			if err := n.rescuer.Interrupted(ctx, j, msg); err != nil {
				return fmt.Errorf("fail interrupted job %s: %w", j.ID, err)
			}
		case strings.HasPrefix(j.Worker, "remote:") && j.Status == sluice.JobInProgress:
			// A remote worker kept running while the server was down, unable to heartbeat:
			// give it a whole lease to reach the server again before the rescuer judges it.
			if err := n.DB.ExtendLease(ctx, j.ID, j.Nonce, time.Now().Add(n.Config.Lease)); err != nil && !sluice.IsCode(err, sluice.EInvalidJobState) {
				return fmt.Errorf("extend the lease of remote job %s: %w", j.ID, err)
			}
		}
	}
	if err := n.Engine.Recover(ctx); err != nil {
		return err
	}
	if count, err := n.DB.InterruptWebhookDeliveries(ctx); err != nil {
		return err
	} else if count > 0 {
		n.Log.Warn("webhook deliveries were cut short by the last stop; their redeliveries will be taken", "count", count)
	}
	return n.push.CatchUp(ctx, func(ctx context.Context, repo, branch string) (string, error) {
		return n.Repos.ResolveRef(ctx, repo, "refs/heads/"+branch)
	})
}
