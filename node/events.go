package node

import (
	"context"
	"fmt"
	"time"

	"sluice"
	"sluice/eventbus"
	"sluice/eventroute"
	"sluice/outbox"
)

// eventsGap is the least time between two drains of the events' consumer: short, since
// a notification's latency is the time a person waits to hear of a failure.
const eventsGap = time.Millisecond

// buildEvents sets where the core's events happen and makes their router, an outbox
// consumer of its own: a route that is slow or down does not hold the metrics or the
// console back.
func (n *Node) buildEvents(ctx context.Context) error {
	core := n.API.Service
	core.EventScope = eventbus.Scope{ARNScope: core.Scope(), Locate: n.API.Locate, Salt: n.ServerID}
	core.ConsoleURL = n.URL()
	n.router = &eventroute.Router{Scope: core.EventScope, ConsoleURL: n.URL(), Log: n.Log, Rules: core.RouteToRules,
		Notifications: core.RouteToNotificationRules,
		Publish: func(ctx context.Context, in sluice.PublishInput) error {
			_, err := core.Publish(ctx, sluice.ServerCaller(), in)
			return err
		}}
	n.events = &outbox.Consumer{Name: "events", Store: n.DB, Handle: n.router.Handle, Gap: eventsGap,
		Retain: n.Config.EventRetention, Log: n.Log}
	if err := n.events.Register(ctx); err != nil {
		return fmt.Errorf("register the events' outbox consumer: %w", err)
	}
	return nil
}
