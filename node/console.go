package node

import (
	"context"
	"fmt"
	"strings"
	"time"

	"sluice/console"
	"sluice/githost"
	"sluice/outbox"
	"sluice/service"
)

// The console shows hosted repositories' branches and commits through githost.
var _ service.RepoBrowser = (*githost.Host)(nil)

// buildConsole makes the web console over the API's core, and the outbox consumer that
// feeds its live pages.
func (n *Node) buildConsole(ctx context.Context) error {
	hub := &console.Hub{}
	n.Console = &console.Console{Service: n.API.Service, Log: n.Log, Live: hub, SessionTTL: n.Config.ConsoleSessionTTL,
		Artifacts: n.Artifacts, Logs: n.Logs, URL: n.URL,
		TLS: n.Config.TLSCert != "" || strings.HasPrefix(n.Config.PublicURL, "https:")}
	// Live pages want changes at once: a short gap between drains, as the metrics' consumer
	// has a long one. A change missed while the server was down is harmless: pages refetch
	// when their stream reconnects. So the cursor is volatile: each replica feeds its own
	// pages, and one that is gone holds nothing back from pruning.
	n.live = &outbox.Consumer{Name: "console", Store: n.DB, Handle: hub.Consume, Gap: 100 * time.Millisecond,
		Volatile: true, Log: n.Log}
	if err := n.live.Register(ctx); err != nil {
		return fmt.Errorf("register the console's outbox consumer: %w", err)
	}
	return nil
}

// sessionPrune is how often expired console sessions are removed.
const sessionPrune = time.Hour

// pruneSessions removes expired console sessions hourly until ctx ends.
func (n *Node) pruneSessions(ctx context.Context) {
	n.repeat(ctx, sessionPrune, "console: prune expired sessions", func(ctx context.Context) error {
		_, err := n.API.Service.PruneSessions(ctx)
		return err
	})
}

// repeat runs fn now and then every interval until ctx ends, logging its failures as what.
func (n *Node) repeat(ctx context.Context, every time.Duration, what string, fn func(context.Context) error) {
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		if err := fn(ctx); err != nil && ctx.Err() == nil {
			n.Log.Error(what, "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}
