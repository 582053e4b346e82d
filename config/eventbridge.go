package config

import (
	"fmt"
	"net/url"
	"regexp"
	"sync"
)

// busARN is an EventBridge bus ARN: its region is the second group.
var busARN = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^arn:aws[\w-]*:events:([a-z]+-[a-z]+-[\w-]+):[0-9]{12}:event-bus/[/\.\-_A-Za-z0-9]+$`)
})

// eventBridgeFromEnv applies SLUICE_FORWARD_EVENTS and SLUICE_FORWARD_EVENTS_ENDPOINT.
func (s Server) eventBridgeFromEnv(getenv func(string) string) Server {
	if v := getenv("SLUICE_FORWARD_EVENTS"); v != "" {
		s.ForwardEvents = v
	}
	if v := getenv("SLUICE_FORWARD_EVENTS_ENDPOINT"); v != "" {
		s.ForwardEventsEndpoint = v
	}
	return s
}

func (s *Server) validateEventBridge() error {
	if s.ForwardEvents != "" && !busARN().MatchString(s.ForwardEvents) {
		return fmt.Errorf("--forward-events %q: want an event bus ARN such as arn:aws:events:us-east-1:123456789012:event-bus/default", s.ForwardEvents)
	}
	if s.ForwardEventsEndpoint != "" {
		if s.ForwardEvents == "" {
			return fmt.Errorf("--forward-events-endpoint needs --forward-events")
		}
		u, err := url.Parse(s.ForwardEventsEndpoint)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("--forward-events-endpoint %q: want an http(s) URL", s.ForwardEventsEndpoint)
		}
	}
	return nil
}

// ForwardRegion is the region of the bus events are forwarded to ("" when none).
func (s Server) ForwardRegion() string {
	m := busARN().FindStringSubmatch(s.ForwardEvents)
	if m == nil {
		return ""
	}
	return m[1]
}
