package node_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/config"
)

// A server once started with --forward-events, then without it, prunes its outbox: the
// forwarding consumer's cursor, left behind and no longer moving, would hold every later
// record back.
func TestOutboxPrunedAfterForwardingIsTurnedOff(t *testing.T) {
	t.Parallel()
	b := setupWith(t, func(c *config.Server) { c.EventRetention = 0 })
	ctx := t.Context()
	require.NoError(t, b.Node.DB.AddOutboxConsumer(ctx, "forward-events")) // as --forward-events left it
	b.Restart(t)
	require.True(t, sluice.IsCode(b.Node.DB.DeleteOutboxConsumer(ctx, "forward-events"), sluice.ENotFound),
		"the start without --forward-events removed its cursor")
	require.NoError(t, b.Node.DB.AddEvents(ctx, sluice.Event{Source: "bench", State: "E"}))
	b.WaitFor(t, "every consumer to pass the event and prune it", func() bool {
		recs, err := b.Node.DB.ReadOutboxAfter(ctx, 0, 0)
		require.NoError(t, err)
		return len(recs) == 0
	})
}
