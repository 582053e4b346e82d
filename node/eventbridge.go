package node

import (
	"context"
	"fmt"

	awsconfig "github.com/aws/aws-sdk-go-v2/config"

	"sluice"
	"sluice/eventforward"
	"sluice/outbox"
	"sluice/trigger"
)

// forwardConsumer is the outbox consumer of --forward-events.
const forwardConsumer = "forward-events"

// buildForwarding makes the outbox consumer that sends every event to the EventBridge bus
// of --forward-events (nothing without it), with the AWS SDK's default credentials.
// Without it, the cursor an earlier start with it left is removed: a consumer that no longer
// reads would keep every later record from being pruned.
func (n *Node) buildForwarding(ctx context.Context) error {
	if n.Config.ForwardEvents == "" {
		if err := n.DB.DeleteOutboxConsumer(ctx, forwardConsumer); err != nil && !sluice.IsCode(err, sluice.ENotFound) {
			return fmt.Errorf("remove the forwarding outbox consumer: %w", err)
		}
		return nil
	}
	region := n.Config.ForwardRegion()
	aws, err := awsconfig.LoadDefaultConfig(ctx, awsconfig.WithRegion(region))
	if err != nil {
		return fmt.Errorf("--forward-events: AWS credentials: %w", err)
	}
	f := &eventforward.Forwarder{Bus: n.Config.ForwardEvents, Region: region, Endpoint: n.Config.ForwardEventsEndpoint,
		Credentials: aws.Credentials, Scope: n.API.Service.EventScope, Log: n.Log}
	n.forward = &outbox.Consumer{Name: forwardConsumer, Store: n.DB, Handle: f.Handle, Retain: n.Config.EventRetention, Log: n.Log}
	if err := n.forward.Register(ctx); err != nil {
		return fmt.Errorf("register the forwarding outbox consumer: %w", err)
	}
	return nil
}

// eventBridgeTasks fire EventBridge rules' schedules until ctx ends (their events go to the
// outbox, and the events' router hands them to the rules' targets), and forward events
// when --forward-events is set. Schedules fire by the wall clock unless
// Options.ScheduleClock sets another (tests move it).
func (n *Node) eventBridgeTasks() []func(context.Context) {
	var clock sluice.Clock = SystemClock{}
	if n.Options.ScheduleClock != nil {
		clock = n.Options.ScheduleClock
	}
	s := &trigger.Schedules{Store: n.DB, Clock: clock, Log: n.Log}
	tasks := []func(context.Context){func(ctx context.Context) {
		if err := s.Run(ctx); err != nil && ctx.Err() == nil {
			n.Log.Error("schedules: stopped", "err", err)
		}
	}}
	if n.forward != nil {
		tasks = append(tasks, n.forward.Run)
	}
	return tasks
}
