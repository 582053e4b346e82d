package node

import (
	"context"
	"time"
)

// recover settles the jobs this server held when it last stopped (jobqueue's Recover) and
// re-derives every execution's next step.
func (n *Node) recover(ctx context.Context) error {
	if err := n.rescuer.Recover(ctx, n.ServerID); err != nil {
		return err
	}
	if err := n.Engine.Recover(ctx); err != nil {
		return err
	}
	if !n.replicated() {
		// This server is the store's one sender and receiver: what its last run had
		// claimed is due now, not when those claims would have run out, and what it was
		// receiving was cut short. Replicas leave other replicas' claims to run out, and the
		// leader sweeps deliveries cut short (sweepDeliveries).
		if count, err := n.DB.ReleaseDeliveryLeases(ctx); err != nil {
			return err
		} else if count > 0 {
			n.Log.Warn("deliveries in flight at the last stop are sent again", "count", count)
		}
		if err := n.interruptDeliveries(ctx, time.Now()); err != nil {
			return err
		}
	}
	return n.push.CatchUp(ctx)
}

// interruptDeliveries marks the webhook deliveries received before before and never
// finished as interrupted, so that their redeliveries are taken.
func (n *Node) interruptDeliveries(ctx context.Context, before time.Time) error {
	count, err := n.DB.InterruptWebhookDeliveries(ctx, before)
	if count > 0 {
		n.Log.Warn("webhook deliveries were cut short by a server's stop; their redeliveries will be taken", "count", count)
	}
	return err
}
