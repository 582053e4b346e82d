package node

import "context"

// recover settles the jobs this server held when it last stopped (jobqueue's Recover) and
// re-derives every execution's next step.
func (n *Node) recover(ctx context.Context) error {
	if err := n.rescuer.Recover(ctx, n.ServerID); err != nil {
		return err
	}
	if err := n.Engine.Recover(ctx); err != nil {
		return err
	}
	// This server is the store's one sender: what its last run had claimed is due now,
	// not when those claims would have run out.
	if count, err := n.DB.ReleaseDeliveryLeases(ctx); err != nil {
		return err
	} else if count > 0 {
		n.Log.Warn("deliveries in flight at the last stop are sent again", "count", count)
	}
	if count, err := n.DB.InterruptWebhookDeliveries(ctx); err != nil {
		return err
	} else if count > 0 {
		n.Log.Warn("webhook deliveries were cut short by the last stop; their redeliveries will be taken", "count", count)
	}
	return n.push.CatchUp(ctx)
}
