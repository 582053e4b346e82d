package node

import (
	"context"

	"sluice"
	"sluice/trigger"
)

// runSchedules fires EventBridge rules' schedules until ctx ends: their events go to the
// outbox, and the events' router hands them to the rules' targets. The clock is the
// wall clock unless Options.ScheduleClock sets another (tests move it).
func (n *Node) runSchedules(ctx context.Context) {
	var clock sluice.Clock = SystemClock{}
	if n.Options.ScheduleClock != nil {
		clock = n.Options.ScheduleClock
	}
	s := &trigger.Schedules{Store: n.DB, Clock: clock, Log: n.Log}
	n.wg.Go(func() {
		if err := s.Run(ctx); err != nil {
			n.Log.Error("schedules: stopped", "err", err)
		}
	})
}
