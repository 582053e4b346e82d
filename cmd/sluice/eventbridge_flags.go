package main

import (
	"github.com/spf13/pflag"

	"sluice/config"
)

// eventBridgeFlags are the settings of forwarding events to Amazon EventBridge
// (docs/eventbridge.md).
func eventBridgeFlags(f *pflag.FlagSet, cfg *config.Server) {
	f.StringVar(&cfg.ForwardEvents, "forward-events", cfg.ForwardEvents, "send every event to this Amazon EventBridge bus with PutEvents, signed with the AWS SDK's default credentials (AWS_ACCESS_KEY_ID, AWS_PROFILE, ...), e.g. arn:aws:events:us-east-1:123456789012:event-bus/default (env SLUICE_FORWARD_EVENTS)")
	f.StringVar(&cfg.ForwardEventsEndpoint, "forward-events-endpoint", cfg.ForwardEventsEndpoint, "EventBridge endpoint for --forward-events instead of https://events.<region>.amazonaws.com (env SLUICE_FORWARD_EVENTS_ENDPOINT)")
}
