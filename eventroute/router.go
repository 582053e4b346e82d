// Package eventroute hands each event of the outbox to what listens for it: EventBridge
// rules, notification rules, and the topic an approval names. It is an outbox consumer
// (package outbox): at least once, in commit order. Each route deduplicates by the event's
// stable id, so an event handled twice (a crash before the acknowledgement) is delivered
// once per destination.
package eventroute

import (
	"context"
	"log/slog"

	"sluice"
	"sluice/eventbus"
)

// Route handles one event. It returns an error only when trying again later could succeed
// (the store is unavailable); a destination that refuses for good (a deleted topic) is the
// route's to record or log.
type Route func(ctx context.Context, env *eventbus.Envelope) error

// Publisher publishes a message to a topic (the core's Publish, as the server).
type Publisher func(ctx context.Context, in sluice.PublishInput) error

// Router routes each record of a batch. Scope must be set; a nil route is skipped.
type Router struct {
	Scope eventbus.Scope
	// Rules are EventBridge's rules; Notifications the notification rules.
	Rules         Route
	Notifications Route
	// Publish sends approval messages; ConsoleURL is the console's base URL, which the
	// approval message links to.
	Publish    Publisher
	ConsoleURL string
	Log        *slog.Logger
}

// Handle is the outbox consumer's handler. An error leaves the batch unacknowledged: it
// comes again, and the routes' deduplication keeps what was already delivered single.
func (r *Router) Handle(ctx context.Context, recs []*sluice.OutboxRecord) error {
	for _, rec := range recs {
		env := r.Scope.Envelope(rec)
		for _, route := range []Route{r.approval, r.Rules, r.Notifications} {
			if route == nil {
				continue
			}
			if err := route(ctx, env); err != nil {
				return err
			}
		}
	}
	return nil
}
